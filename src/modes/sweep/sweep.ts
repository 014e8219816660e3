/**
 * Parameter sweeps: every grid combination replayed on a training window and a held-out window; ranked
 * on training, with held-out results beside them so overfitting shows. Worker threads split the
 * combinations; each reads the recording once for all of its share (one-pass.ts).
 */
import { Worker } from 'node:worker_threads';
import { ConfigError } from '../../core/errors.ts';
import type { PolytailConfig } from '../../config/config.ts';
import type { Overrides } from '../assemble.ts';
import { writeSweepResult } from '../../store/index.ts';
import { lockForWriting, openRecording, resolveTargets } from '../replay.ts';
import type { RecordingStore } from '../../store/index.ts';
import { newRunId } from '../run-id.ts';
import { combinations, type GridAxis } from './grid.ts';
import type { SweepMetrics } from './metrics.ts';
import { byWindow, type TargetTradesByWindow } from './sweep-windows.ts';
import { OBJECTIVES } from './objectives.ts';
import { sweepHeapGrowth } from './heap-growth.ts';
import type { StoredSweepFailure, StoredSweepFields, StoredSweepMetrics } from './stored-sweeps.ts';
import type { Combo, WorkerData, WorkerMessage, WorkerSetup } from './worker.ts';

export interface SweepOptions {
  recording: string;
  config: PolytailConfig;
  overrides: Overrides;
  axes: GridAxis[];
  train: number; // fraction of the time span used for ranking
  workers: number;
  objective: string;
  save: boolean;
  onProgress?: (done: number, total: number, elapsedMs: number) => void;
  /** Told when storing results waits for another writer of the recording. */
  onNotice?: (message: string) => void;
}

export interface SweepRow {
  rank: number;
  combo: Record<string, number | string | boolean>;
  train: SweepMetrics;
  test: SweepMetrics;
  score: number | null;
  testScore: number | null;
}

export interface SweepResult {
  sweepId: string;
  objective: string;
  windows: WorkerSetup['windows'];
  /**
   * The followed wallets' trades in each window, with when they start and end. A window without any has
   * nothing to copy: its columns read 0 however good the combination (sweep-windows.ts says so).
   * Undefined for market strategies, which follow no wallet.
   */
  targetTrades?: TargetTradesByWindow;
  rows: SweepRow[];
  errors: { combo: Record<string, number | string | boolean>; message: string }[];
  elapsedMs: number;
}

export async function runSweep(options: SweepOptions): Promise<SweepResult> {
  const objective = OBJECTIVES[options.objective];
  if (!objective) throw new ConfigError(`--objective ${options.objective}: choose one of ${Object.keys(OBJECTIVES).join(', ')}`);
  if (!(options.train > 0 && options.train < 1))
    throw new ConfigError(`--train ${options.train}: expected a fraction between 0 and 1 (e.g. 0.7)`);
  const combos = combinations(options.axes);
  const started = Date.now();
  // Held from before the workers start, so their heaps grow by the sweep's rule from the first collection.
  const releaseHeapGrowth = sweepHeapGrowth.hold();
  let setup: WorkerSetup;
  let targetTrades: TargetTradesByWindow | undefined;
  let results: Awaited<ReturnType<typeof runInWorkers>>;
  try {
    // Started before the recording is opened here: loading the TypeScript loader and the engine in each
    // worker (a second or more) overlaps the queries below instead of following them.
    const workers = startWorkers(Math.max(1, Math.min(options.workers, combos.length)));
    try {
      ({ setup, targetTrades } = await sweepSetup(options));
    } catch (error) {
      await Promise.all(workers.map((w) => w.thread.terminate()));
      throw error;
    }
    results = await runInWorkers(workers, setup, combos, (done) => options.onProgress?.(done, combos.length, Date.now() - started));
  } finally {
    releaseHeapGrowth();
  }
  const rows = results.ok
    .map((r) => ({
      rank: 0,
      combo: r.combo,
      train: r.train,
      test: r.test,
      score: scoreOf(objective.score, r.train),
      testScore: scoreOf(objective.score, r.test),
    }))
    .sort(
      (a, b) =>
        (b.score ?? Number.NEGATIVE_INFINITY) - (a.score ?? Number.NEGATIVE_INFINITY) || combos.indexOf(a.combo) - combos.indexOf(b.combo),
    );
  rows.forEach((r, i) => (r.rank = i + 1));
  const sweep: SweepResult = {
    sweepId: newRunId().replace('run-', 'sweep-'),
    objective: options.objective,
    windows: setup.windows,
    targetTrades,
    rows,
    errors: results.errors,
    elapsedMs: Date.now() - started,
  };
  if (options.save) await storeResults(options.recording, sweep, options.onNotice);
  return sweep;
}

/** The targets, windows and recording facts every worker needs, read once here; and how the targets' trades fall in the windows. */
async function sweepSetup(options: SweepOptions): Promise<{ setup: WorkerSetup; targetTrades?: TargetTradesByWindow }> {
  const store = await openRecording(options.recording, true);
  try {
    const targets = await resolveTargets(store, options.config, options.overrides.targets);
    const range = await store.timeRange();
    if (!range) throw new ConfigError(`recording ${options.recording} is empty`);
    const counts = await store.counts();
    const split = Math.floor(range.fromMs + (range.toMs - range.fromMs) * options.train);
    const setup: WorkerSetup = {
      recording: options.recording,
      config: options.config,
      overrides: { ...options.overrides, targets },
      hasBooks: counts.book_snapshots + counts.book_changes > 0,
      windows: { train: { from: range.fromMs, to: split }, test: { from: split, to: range.toMs + 1 } },
    };
    const wallets = targets ?? options.config.targets.map((t) => t.wallet.toLowerCase());
    if (wallets.length === 0) return { setup };
    return { setup, targetTrades: byWindow(await store.tradesAroundSplit(wallets, split), range) };
  } finally {
    await store.close();
  }
}

function scoreOf(score: (s: never) => number | null, m: SweepMetrics): number | null {
  // Objectives read the run summary's shape; rebuild the parts they use from the metrics.
  const s = {
    pnl: { total: m.pnl },
    sharpe: m.sharpe,
    sortino: m.sortino,
    equity: { maxDrawdownPct: m.maxDrawdownPct },
    trades: { winRate: m.winRate },
    captureRatio: m.captureRatio,
  };
  return (score as (x: typeof s) => number | null)(s);
}

interface WorkerResult {
  combo: Combo;
  train: SweepMetrics;
  test: SweepMetrics;
}

/**
 * How large a sweep worker's young generation may grow. A worker allocates short-lived events, decisions
 * and orders at a high rate, and with a worker thread's default V8 scavenged them more often. Eight
 * alternating pairs on the 1M recording (4 configurations, 1 worker): 64 MB took 0.94× the CPU (lower in
 * 7 of 8 pairs), with the same fills hashes; 128 and 256 MB were slower again. With 2 workers it made no
 * difference beyond noise (6 pairs, median CPU ratio 0.99: the two nurseries share the cache).
 */
const WORKER_YOUNG_GENERATION_MB = 64;

/** A sweep worker thread, and its end: resolved when it exits cleanly, rejected with why it failed. */
interface SweepWorker {
  thread: Worker;
  ended: Promise<void>;
}

/**
 * Sweep workers, each loading the engine until it is sent its share (`WorkerData`). Their end is listened
 * to from the start: a worker that fails while it loads, before the sweep has read the recording's facts,
 * ends the sweep with its error instead of an unhandled one or a wait for a message that never comes.
 */
function startWorkers(count: number): SweepWorker[] {
  return Array.from({ length: count }, () => {
    const thread = new Worker(new URL('./worker-boot.mjs', import.meta.url), {
      resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
    });
    const ended = new Promise<void>((resolve, reject) => {
      thread.on('error', reject);
      thread.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`sweep worker stopped (exit code ${code})`))));
    });
    ended.catch(() => undefined); // awaited by runInWorkers; until then a failure must not be an unhandled rejection
    return { thread, ended };
  });
}

/**
 * Deals the combinations to `count` workers: the same number each (±1), and each value of each axis
 * spread over the workers as evenly as the dealing allows. Dealt round-robin in grid order, the last
 * axis's values alternate with the workers, so with an even count of them one worker got every
 * combination of one value — one worker copying under a tight exposure cap, the other under a loose
 * one, about 1.2× the work — and the sweep waits for the slower.
 */
export function splitCombos(combos: Combo[], count: number): WorkerData['share'][] {
  const shares: WorkerData['share'][] = Array.from({ length: count }, () => []);
  /** Per worker: how many of its combinations have each "key=value". */
  const seen = shares.map(() => new Map<string, number>());
  combos.forEach((combo, index) => {
    const values = Object.entries(combo).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
    const fewest = Math.min(...shares.map((s) => s.length));
    let best = -1;
    let bestScore = Number.POSITIVE_INFINITY;
    for (let w = 0; w < count; w++) {
      if (shares[w]!.length !== fewest) continue;
      let score = 0;
      for (const v of values) score += seen[w]!.get(v) ?? 0;
      if (score < bestScore) [best, bestScore] = [w, score];
    }
    shares[best]!.push({ index, combo });
    for (const v of values) seen[best]!.set(v, (seen[best]!.get(v) ?? 0) + 1);
  });
  return shares;
}

/**
 * Runs each worker's share (`splitCombos`) in one read of the recording per worker. Progress is the
 * mean share of the recording the workers have read, in combinations.
 */
async function runInWorkers(workers: SweepWorker[], setup: WorkerSetup, combos: Combo[], progress: (done: number) => void) {
  const count = workers.length;
  const ok: (WorkerResult & { index: number })[] = [];
  const errors: { index: number; combo: Combo; message: string }[] = [];
  const shares = splitCombos(combos, count);
  const read = shares.map(() => 0);
  try {
    await Promise.all(
      workers.map(
        ({ thread, ended }, w) =>
          new Promise<void>((resolve, reject) => {
            thread.on('message', (m: WorkerMessage) => {
              if (m.type === 'progress') {
                read[w] = m.fraction;
                progress(Math.floor((read.reduce((a, b) => a + b, 0) / count) * combos.length));
              } else if (m.type === 'result') ok.push({ index: m.index, combo: combos[m.index]!, train: m.train, test: m.test });
              else if (m.type === 'error') errors.push({ index: m.index, combo: combos[m.index]!, message: m.message });
              else resolve();
            });
            ended.then(resolve, reject);
            thread.postMessage({ setup, share: shares[w]! } satisfies WorkerData);
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.thread.terminate()));
  }
  progress(combos.length);
  // In grid order, whichever worker ran them.
  ok.sort((a, b) => a.index - b.index);
  errors.sort((a, b) => a.index - b.index);
  return { ok, errors: errors.map(({ combo, message }) => ({ combo, message })) };
}

async function storeResults(path: string, sweep: SweepResult, onNotice?: (message: string) => void): Promise<void> {
  const lock = await lockForWriting(path, 'polytail sweep', onNotice);
  let store: RecordingStore;
  try {
    store = await openRecording(path, false);
  } catch (error) {
    lock.release();
    throw error;
  }
  try {
    const createdMs = Date.now();
    const sweepFields: StoredSweepFields = {
      objective: sweep.objective,
      windows: sweep.windows,
      targetTrades: sweep.targetTrades,
      elapsedMs: sweep.elapsedMs,
    };
    const write = (runId: string, params: Combo, metrics: StoredSweepMetrics | StoredSweepFailure) =>
      writeSweepResult(store, { sweepId: sweep.sweepId, runId: `${sweep.sweepId}#${runId}`, createdMs, params, metrics });
    for (const { combo, ...ranked } of sweep.rows) await write(String(ranked.rank), combo, { ...sweepFields, ...ranked });
    // Failed combinations too, so the stored sweep reprints what went wrong (`report --sweep`).
    for (const [k, failure] of sweep.errors.entries())
      await write(`failed-${k + 1}`, failure.combo, { ...sweepFields, error: failure.message, failedAt: k });
  } finally {
    await store.close();
    lock.release();
  }
}
