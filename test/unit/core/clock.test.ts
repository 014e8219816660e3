import { describe, expect, it } from 'vitest';
import { SessionClock, VirtualClock } from '../../../src/core/clock.ts';
import { SeededIds } from '../../../src/core/ids.ts';

describe('VirtualClock', () => {
  it('never goes backwards and fires timers in time order at their own time', () => {
    const clock = new VirtualClock(1_000);
    const fired: [string, number, number][] = [];
    clock.setTimer(3_000, (at) => fired.push(['b', at, clock.now()]));
    clock.setTimer(2_000, (at) => fired.push(['a', at, clock.now()]));
    const cancel = clock.setTimer(2_500, () => fired.push(['cancelled', 0, 0]));
    cancel();
    clock.advanceTo(5_000);
    expect(fired).toEqual([
      ['a', 2_000, 2_000],
      ['b', 3_000, 3_000],
    ]);
    clock.advanceTo(4_000);
    expect(clock.now()).toBe(5_000);
  });
});

describe('SeededIds', () => {
  it('gives the same ids and salts for the same seed', () => {
    const a = new SeededIds(7);
    const b = new SeededIds(7);
    expect([a.next('o'), a.next('o'), a.salt(), a.random()]).toEqual([b.next('o'), b.next('o'), b.salt(), b.random()]);
    expect(new SeededIds(8).salt()).not.toBe(new SeededIds(7).salt());
  });
});

describe('SessionClock', () => {
  it('stands still while one event is handled, and nested calls share the moment', () => {
    let wall = 1_000;
    const clock = new SessionClock(() => wall);
    const seen: number[] = [];
    clock.during(() => {
      seen.push(clock.now());
      wall = 1_005;
      clock.during(() => seen.push(clock.now()));
      seen.push(clock.now());
    });
    expect(seen).toEqual([1_000, 1_000, 1_000]);
    expect(clock.now()).toBe(1_005);
  });

  it('keeps equal moments in rank order: a lower rank after a higher one in the same ms gets the next ms', () => {
    let wall = 2_000;
    const clock = new SessionClock(() => wall);
    const at = (rank?: number) => clock.during(() => clock.now(), rank);
    expect([at(2), at(2), at(3)]).toEqual([2_000, 2_000, 2_000]); // book changes, then a trade: already in order
    expect(at(2)).toBe(2_001); // a book change after the trade: a new moment
    expect(at(5)).toBe(2_001);
    expect(at(undefined)).toBe(2_001); // not recorded: no constraint
    wall = 2_010;
    expect(at(0)).toBe(2_010); // the wall moved on: rank starts over
    wall = 2_003; // the wall went back: moments do not
    expect(at(1)).toBe(2_010);
    expect(at(0)).toBe(2_011);
  });
});
