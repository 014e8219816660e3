/**
 * Sweeps stored in a recording, read back as the sweep printed them: `runSweep` stores one row per
 * combination (sweep_results), with the sweep's objective, windows and the targets' trades per window
 * repeated in each row's metrics. A sweep stored before the targets' trades and its duration were kept
 * reads back without them.
 */
import type { RecordingStore } from '../../store/index.ts';
import { readSweepResults } from '../../store/index.ts';
import type { SweepMetrics } from './metrics.ts';
import type { SweepResult, SweepRow } from './sweep.ts';
import type { TargetTradesByWindow } from './sweep-windows.ts';

/** What `storeResults` writes in each row's metrics. */
export interface StoredSweepMetrics {
  objective: string;
  rank: number;
  score: number | null;
  testScore: number | null;
  train: SweepMetrics;
  test: SweepMetrics;
  windows: SweepResult['windows'];
  targetTrades?: TargetTradesByWindow;
  /** How long the whole sweep took. */
  elapsedMs?: number;
}

/** A stored sweep: its result as `runSweep` returned it (errors are not stored), and when it was stored. */
export interface StoredSweep extends SweepResult {
  createdMs: number;
}

/** Every sweep stored in the recording, oldest first, each ranked as it was printed. */
export async function storedSweeps(store: RecordingStore): Promise<StoredSweep[]> {
  const byId = new Map<string, StoredSweep>();
  for (const row of await readSweepResults(store)) {
    const m = row.metrics as StoredSweepMetrics;
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
    sweep.rows.push({ rank: m.rank, combo, train: m.train, test: m.test, score: m.score, testScore: m.testScore });
  }
  const sweeps = [...byId.values()];
  for (const s of sweeps) s.rows.sort((a, b) => a.rank - b.rank);
  return sweeps.sort((a, b) => a.createdMs - b.createdMs);
}
