/**
 * Sweeps stored in a recording, read back as the sweep printed them: `runSweep` stores one row per
 * combination (sweep_results), ranked or failed, with the sweep's objective, windows and the targets'
 * trades per window repeated in each row's metrics. A sweep stored before the targets' trades, its
 * duration and its failures were kept reads back without them.
 */
import type { RecordingStore } from '../../store/index.ts';
import { readSweepResults } from '../../store/index.ts';
import type { SweepMetrics } from './metrics.ts';
import type { SweepResult, SweepRow } from './sweep.ts';
import type { TargetTradesByWindow } from './sweep-windows.ts';

/** What every stored row of a sweep repeats: the sweep's own fields (sweep_results has no table of sweeps). */
export interface StoredSweepFields {
  objective: string;
  windows: SweepResult['windows'];
  targetTrades?: TargetTradesByWindow;
  /** How long the whole sweep took. */
  elapsedMs?: number;
}

/** What `storeResults` writes in the metrics of a ranked combination. */
export interface StoredSweepMetrics extends StoredSweepFields {
  rank: number;
  score: number | null;
  testScore: number | null;
  train: SweepMetrics;
  test: SweepMetrics;
}

/** What `storeResults` writes for a combination that failed: why, and where it stood in the sweep's list of failures. */
export interface StoredSweepFailure extends StoredSweepFields {
  error: string;
  failedAt: number;
}

/** A stored sweep: its result as `runSweep` returned it, and when it was stored. */
export interface StoredSweep extends SweepResult {
  createdMs: number;
}

/** Every sweep stored in the recording, oldest first, each ranked as it was printed. */
export async function storedSweeps(store: RecordingStore): Promise<StoredSweep[]> {
  const byId = new Map<string, StoredSweep>();
  /** Per sweep, its failures with their place in the sweep's list (grid order, which run ids sorted as text do not keep). */
  const failures = new Map<StoredSweep, { at: number; combo: SweepRow['combo']; message: string }[]>();
  for (const row of await readSweepResults(store)) {
    const m = row.metrics as StoredSweepMetrics | StoredSweepFailure;
    let sweep = byId.get(row.sweepId);
    if (!sweep) {
      sweep = {
        sweepId: row.sweepId,
        createdMs: row.createdMs,
        objective: m.objective,
        windows: m.windows,
        targetTrades: m.targetTrades,
        rows: [],
        errors: [],
        elapsedMs: m.elapsedMs ?? Number.NaN,
      };
      byId.set(row.sweepId, sweep);
    }
    const combo = row.params as SweepRow['combo'];
    if ('error' in m) {
      const failed = failures.get(sweep) ?? [];
      failures.set(sweep, failed);
      failed.push({ at: m.failedAt, combo, message: m.error });
    } else sweep.rows.push({ rank: m.rank, combo, train: m.train, test: m.test, score: m.score, testScore: m.testScore });
  }
  const sweeps = [...byId.values()];
  for (const s of sweeps) {
    s.rows.sort((a, b) => a.rank - b.rank);
    s.errors = (failures.get(s) ?? []).sort((a, b) => a.at - b.at).map(({ combo, message }) => ({ combo, message }));
  }
  return sweeps.sort((a, b) => a.createdMs - b.createdMs);
}
