/** The sweep's heap growth setting: set while sweeps run, given back after the last, and never over a value node was started with. */
import { describe, expect, it } from 'vitest';
import { SWEEP_HEAP_GROWING_PERCENT, SweepHeapGrowth } from '../../../src/modes/sweep/heap-growth.ts';

function growth(execArgv: string[] = []) {
  const set: string[] = [];
  return { set, growth: new SweepHeapGrowth({ setFlags: (f) => set.push(f), execArgv }) };
}

describe('sweep heap growth', () => {
  it('is set while a sweep runs and given back to V8 after it', () => {
    const { set, growth: g } = growth();
    const release = g.hold();
    expect(set).toEqual([`--heap-growing-percent=${SWEEP_HEAP_GROWING_PERCENT}`]);
    release();
    expect(set).toEqual([`--heap-growing-percent=${SWEEP_HEAP_GROWING_PERCENT}`, '--heap-growing-percent=0']);
  });

  it('holds until the last of overlapping sweeps ends, and a second release of one sweep changes nothing', () => {
    const { set, growth: g } = growth();
    const first = g.hold();
    const second = g.hold();
    first();
    first();
    expect(set).toHaveLength(1);
    second();
    expect(set.at(-1)).toBe('--heap-growing-percent=0');
    expect(set).toHaveLength(2);
  });

  it("leaves a value given on node's command line alone", () => {
    for (const arg of ['--heap-growing-percent=200', '--heap_growing_percent=10']) {
      const { set, growth: g } = growth(['--import', 'tsx', arg]);
      g.hold()();
      expect(set).toEqual([]);
    }
  });
});
