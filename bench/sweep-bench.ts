/**
 * Sweep throughput: 100 configurations (multiplier × risk.maxOrderUsdc × risk.maxTotalExposureUsdc)
 * over the bundled Nobel recording (a scratch copy), copying its busiest wallet, through runSweep with
 * one and two worker threads. Each configuration is two replays (training and held-out windows).
 * Worker start-up (loading tsx and the recording) is inside the timing: it is what a user waits for.
 */
import { fileURLToPath } from 'node:url';
import { parseConfig } from '../src/config/config.ts';
import { runSweep } from '../src/modes/sweep/sweep.ts';
import type { GridAxis } from '../src/modes/sweep/grid.ts';
import { median, note, round, scratchCopy, seconds } from './lib/measure.ts';

const NOBEL = fileURLToPath(new URL('../recordings/nobel-peace-prize-2025.duckdb', import.meta.url));
const TARGET = '0xe8dd7741ccb12350957ec71e9ee332e0d1e6ec86';

export const SWEEP_AXES: GridAxis[] = [
  { key: 'multiplier', values: [0.25, 0.5, 1, 2, 4] },
  { key: 'risk.maxOrderUsdc', values: [10, 25, 50, 100, 250] },
  { key: 'risk.maxTotalExposureUsdc', values: [500, 1000, 2500, 10000] },
];

async function sweepOnce(recording: string, workers: number): Promise<{ configs: number; seconds: number; errors: number }> {
  const start = process.hrtime.bigint();
  const result = await runSweep({
    recording,
    config: parseConfig({ startingCashUsdc: 10_000 }),
    overrides: { targets: [TARGET], strategy: 'mirror' },
    axes: SWEEP_AXES,
    train: 0.7,
    workers,
    objective: 'pnl',
    save: false,
  });
  const s = seconds(start);
  if (result.errors.length > 0)
    throw new Error(`sweep bench: ${result.errors.length} configurations failed, first: ${result.errors[0]!.message}`);
  return { configs: result.rows.length, seconds: s, errors: result.errors.length };
}

export async function benchSweep(runs = 3): Promise<Record<string, number | string | null>> {
  const copy = scratchCopy(NOBEL, 'sweep');
  try {
    const out: Record<string, number> = {};
    await sweepOnce(copy.path, 1); // warm-up: file cache, tsx transform cache
    for (const workers of [1, 2]) {
      const rates: number[] = [];
      for (let r = 0; r < runs; r++) {
        const res = await sweepOnce(copy.path, workers);
        rates.push(res.configs / res.seconds);
        note(`${workers} worker(s), run ${r + 1}/${runs}: ${res.configs} configs in ${res.seconds.toFixed(1)} s`);
      }
      out[`sweep_configs_per_s_${workers}w`] = round(median(rates), 1);
    }
    out.sweep_2w_vs_1w = round(out.sweep_configs_per_s_2w! / out.sweep_configs_per_s_1w!, 2);
    return out;
  } finally {
    copy.remove();
  }
}
