/**
 * A sweep whose held-out window holds none of the target's trades: on the bundled Nobel recording, the
 * wallet 0xe8dd… trades 108 times, the last at 09:01, and the default split (0.7) falls at 11:01. The
 * sweep reports how the trades fall and a --train that holds some out; with that --train the held-out
 * window has trades to copy.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/config.ts';
import { runSweep } from '../../../src/modes/sweep/sweep.ts';

const NOBEL = join(import.meta.dirname, '../../../recordings/nobel-peace-prize-2025.duckdb');
const WALLET = '0xe8dd7741ccb12350957ec71e9ee332e0d1e6ec86';

const sweep = (train: number) =>
  runSweep({
    recording: NOBEL,
    config: parseConfig({}),
    overrides: { targets: [WALLET] },
    axes: [{ key: 'multiplier', values: [1] }],
    train,
    workers: 1,
    objective: 'pnl',
    save: false,
  });

describe('a sweep says where the target’s trades fall', () => {
  it('counts them per window and suggests a --train that holds some out', async () => {
    const late = await sweep(0.7);
    expect(late.targetTrades).toMatchObject({ train: 108, test: 0 });
    expect(late.rows[0]!.test.copies).toBe(0);
    const suggested = late.targetTrades!.suggestedTrain!;
    expect(suggested).toBeGreaterThan(0);
    expect(suggested).toBeLessThan(0.7);

    const fixed = await sweep(suggested);
    expect(fixed.targetTrades!.train + fixed.targetTrades!.test).toBe(108);
    expect(fixed.targetTrades!.test).toBeGreaterThanOrEqual(108 * 0.2);
    expect(fixed.targetTrades!.train).toBeGreaterThanOrEqual(108 * 0.7);
    expect(fixed.rows[0]!.test.copies).toBeGreaterThan(0);
  }, 120_000);
});
