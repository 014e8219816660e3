/**
 * Sweep throughput: 100 configurations (multiplier × risk.maxOrderUsdc × risk.maxTotalExposureUsdc)
 * through runSweep, each configuration replayed on a training and a held-out window, every worker
 * reading the recording once for its share (one pass).
 * - On the bundled Nobel recording (a scratch copy), copying its busiest wallet, with one and two
 *   worker threads: `sweep_configs_per_s_1w/2w` and `sweep_nobel_2w_vs_1w` (a small tape: worker
 *   start-up is much of it).
 * - On the million-trade synthetic recording:
 *   - `sweep_1m_100_configs_s`: all 100 configurations on two workers, beside the old path's estimate
 *     (one full replay per configuration, `sweep_1m_old_path_estimate_s` = 100 × a one-configuration
 *     sweep on one worker). BENCH_SWEEP_1M_CONFIGS=N runs the first N configurations instead and scales
 *     the time to 100 (`sweep_1m_configs_measured` says which; scaling also multiplies the one read of
 *     the recording and the worker start-up, so it overstates); 0 skips it. `sweep_1m_rss_mb`: the
 *     process's peak RSS during that sweep (the workers are its threads; what ran, not scaled).
 *   - `sweep_2w_vs_1w`: the figure, on that same sweep: the same configurations swept with one
 *     worker (`sweep_1m_100_configs_1w_s`) ÷ the two-worker time above. `sweep_2w_vs_1w_cpu_bound` = one
 *     worker's wall time ÷ (the two workers' CPU time ÷ 2): the ratio two cores given wholly to the sweep
 *     would reach at the CPU it took. Each worker reads the recording and works out the shared market
 *     side for itself, so the second worker adds its own start-up, read and shared feed
 *     (`sweep_2nd_worker_cpu_s`, less what a smaller group of lanes saves, plus what both cores'
 *     contention adds).
 *   - `sweep_small_2w_vs_1w`: the same ratio on a smaller sweep (20 configurations by default: every
 *     multiplier × risk.maxOrderUsdc 10 and 250 × risk.maxTotalExposureUsdc 500 and 10,000, the
 *     extremes of both risk axes), where each worker's own start-up and read weigh more
 *     (`sweep_small_1w_s`, `sweep_small_2w_s`, `sweep_small_2nd_worker_cpu_s`).
 *     BENCH_SWEEP_1M_RATIO_CONFIGS=N picks the first N of that sub-grid (0 skips it).
 * Worker start-up (loading tsx and the recording) is inside the timing: it is what a user waits for.
 * `*_cpu_s` is the CPU time of the whole process (all its threads) over the same sweep: on a machine
 * shared with other jobs the wall time mostly says how much of the cores the sweep got; CPU time ÷
 * workers is what it would take with the cores to itself.
 */
import { fileURLToPath } from 'node:url';
import { parseConfig } from '../src/config/config.ts';
import { runSweep } from '../src/modes/sweep/sweep.ts';
import type { GridAxis } from '../src/modes/sweep/grid.ts';
import { median, note, round, rssSampler, scratchCopy, seconds } from './lib/measure.ts';
import { syntheticRecording } from './lib/synthetic-recording.ts';

const NOBEL = fileURLToPath(new URL('../recordings/nobel-peace-prize-2025.duckdb', import.meta.url));
const TARGET = '0xe8dd7741ccb12350957ec71e9ee332e0d1e6ec86';

export const SWEEP_AXES: GridAxis[] = [
  { key: 'multiplier', values: [0.25, 0.5, 1, 2, 4] },
  { key: 'risk.maxOrderUsdc', values: [10, 25, 50, 100, 250] },
  { key: 'risk.maxTotalExposureUsdc', values: [500, 1000, 2500, 10000] },
];

/** The first `count` combinations of the axes (the last axes shortened first). */
function firstAxes(count: number, from = SWEEP_AXES): GridAxis[] {
  const axes = from.map((a) => ({ ...a, values: [...a.values] }));
  const total = () => axes.reduce((n, a) => n * a.values.length, 1);
  for (let i = axes.length - 1; i >= 0 && total() > count; i--) while (axes[i]!.values.length > 1 && total() > count) axes[i]!.values.pop();
  return axes;
}

async function sweepOnce(
  recording: string,
  workers: number,
  target = TARGET,
  axes = SWEEP_AXES,
): Promise<{ configs: number; seconds: number; cpuSeconds: number; errors: number }> {
  const start = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  const result = await runSweep({
    recording,
    config: parseConfig({ startingCashUsdc: 10_000 }),
    overrides: { targets: [target], strategy: 'mirror' },
    axes,
    train: 0.7,
    workers,
    objective: 'pnl',
    save: false,
  });
  const s = seconds(start);
  const used = process.cpuUsage(cpu);
  if (result.errors.length > 0)
    throw new Error(`sweep bench: ${result.errors.length} configurations failed, first: ${result.errors[0]!.message}`);
  return { configs: result.rows.length, seconds: s, cpuSeconds: (used.user + used.system) / 1e6, errors: result.errors.length };
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
    out.sweep_nobel_2w_vs_1w = round(out.sweep_configs_per_s_2w! / out.sweep_configs_per_s_1w!, 2);
    Object.assign(out, await benchSweep1m());
    return out;
  } finally {
    copy.remove();
  }
}

/** The extremes of both risk axes for every multiplier: 20 configurations that span the grid's costs. */
export const RATIO_AXES: GridAxis[] = [
  { key: 'multiplier', values: [0.25, 0.5, 1, 2, 4] },
  { key: 'risk.maxOrderUsdc', values: [10, 250] },
  { key: 'risk.maxTotalExposureUsdc', values: [500, 10000] },
];

async function benchSweep1m(): Promise<Record<string, number>> {
  const count = Number(process.env.BENCH_SWEEP_1M_CONFIGS ?? 100);
  const smallCount = Number(process.env.BENCH_SWEEP_1M_RATIO_CONFIGS ?? 20);
  if (!(count > 0) && !(smallCount > 0)) return {};
  const rec = await syntheticRecording();
  const wallet = rec.walletList[0]!;
  const out: Record<string, number> = {};
  const one = await sweepOnce(rec.path, 1, wallet, firstAxes(1));
  note(`1M recording, 1 configuration, 1 worker: ${one.seconds.toFixed(1)} s`);
  out.sweep_1m_1_config_s = round(one.seconds, 1);
  out.sweep_1m_old_path_estimate_s = round(one.seconds * 100);
  if (smallCount > 0) {
    const { w1, w2 } = await twoWorkersThenOne(rec.path, wallet, firstAxes(smallCount, RATIO_AXES));
    Object.assign(out, {
      sweep_small_2w_vs_1w: round(w1.seconds / w2.seconds, 2),
      sweep_small_2w_vs_1w_cpu_bound: cpuBound(w1, w2),
      sweep_small_2nd_worker_cpu_s: round(w2.cpuSeconds - w1.cpuSeconds, 1),
      sweep_small_configs: w1.configs,
      sweep_small_1w_s: round(w1.seconds, 1),
      sweep_small_2w_s: round(w2.seconds, 1),
      sweep_small_1w_cpu_s: round(w1.cpuSeconds, 1),
      sweep_small_2w_cpu_s: round(w2.cpuSeconds, 1),
    });
  }
  if (count > 0) {
    const { w1, w2, w2RssMb } = await twoWorkersThenOne(rec.path, wallet, firstAxes(count));
    const scale = 100 / w2.configs;
    Object.assign(out, {
      sweep_1m_100_configs_s: round(w2.seconds * scale, 1),
      sweep_1m_100_configs_cpu_s: round(w2.cpuSeconds * scale, 1),
      sweep_1m_100_configs_1w_s: round(w1.seconds * scale, 1),
      sweep_1m_100_configs_1w_cpu_s: round(w1.cpuSeconds * scale, 1),
      sweep_1m_configs_measured: w2.configs,
      // The process's peak during the two-worker sweep (both workers are threads of it), not scaled when fewer ran.
      sweep_1m_rss_mb: w2RssMb,
      sweep_2w_vs_1w: round(w1.seconds / w2.seconds, 2),
      sweep_2w_vs_1w_cpu_bound: cpuBound(w1, w2),
      sweep_2nd_worker_cpu_s: round(w2.cpuSeconds - w1.cpuSeconds, 1),
    });
  }
  return out;
}

type SweepTiming = Awaited<ReturnType<typeof sweepOnce>>;

/** The same configurations swept on two workers, then on one, with the process's peak RSS during the two-worker sweep. */
async function twoWorkersThenOne(
  recording: string,
  wallet: string,
  axes: GridAxis[],
): Promise<{ w1: SweepTiming; w2: SweepTiming; w2RssMb: number }> {
  const rss = rssSampler();
  const w2 = await sweepOnce(recording, 2, wallet, axes);
  const w2RssMb = rss.stop();
  note(`1M recording, ${w2.configs} configurations, 2 workers: ${w2.seconds.toFixed(1)} s, peak rss ${w2RssMb} MB`);
  const w1 = await sweepOnce(recording, 1, wallet, axes);
  note(`1M recording, ${w1.configs} configurations, 1 worker: ${w1.seconds.toFixed(1)} s`);
  return { w1, w2, w2RssMb };
}

/**
 * The most two free cores could give at the CPU the two-worker sweep needed: one worker's wall time over
 * two cores' share of the two workers' CPU. Below 1.7 the goal is out of reach at these costs whatever the
 * machine's load.
 */
function cpuBound(w1: SweepTiming, w2: SweepTiming): number {
  return round((2 * w1.seconds) / w2.cpuSeconds, 2);
}
