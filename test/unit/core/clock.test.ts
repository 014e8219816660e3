import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../src/core/clock.ts';
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
