/**
 * A sweep stored in a recording reads back as it was printed: the same rows in rank order, the windows
 * and the targets' trades per window, and the combinations that failed. Sweeps stored before the
 * targets' trades and the duration were kept still read. On scratch copies of the bundled Nobel
 * recording (a real DuckDB file), copying wallet 0xe8dd….
 */
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/config.ts';
import { runSweep } from '../../../src/modes/sweep/sweep.ts';
import { storedSweeps } from '../../../src/modes/sweep/stored-sweeps.ts';
import { RecordingStore, writeSweepResult } from '../../../src/store/index.ts';
import { useTempDir } from '../../unit/store/helpers.ts';

const NOBEL = join(import.meta.dirname, '../../../recordings/nobel-peace-prize-2025.duckdb');
const WALLET = '0xe8dd7741ccb12350957ec71e9ee332e0d1e6ec86';

describe('stored sweeps', () => {
  const tempDir = useTempDir();

  it('read back with the rows, windows and target trades the sweep returned, oldest first', async () => {
    const path = join(tempDir(), 'nobel.duckdb');
    copyFileSync(NOBEL, path);
    const sweep = (values: number[]) =>
      runSweep({
        recording: path,
        config: parseConfig({}),
        overrides: { targets: [WALLET] },
        axes: [{ key: 'multiplier', values }],
        train: 0.07,
        workers: 1,
        objective: 'pnl',
        save: true,
      });
    const first = await sweep([0.5, 1, 2]);
    const second = await sweep([4]);

    const store = await RecordingStore.open(path, { readOnly: true });
    const stored = await storedSweeps(store).finally(() => store.close());
    expect(stored.map((s) => s.sweepId)).toEqual([first.sweepId, second.sweepId]);
    const [a, b] = stored;
    expect(a!.rows).toEqual(first.rows);
    expect(a!.rows.map((r) => r.rank)).toEqual([1, 2, 3]);
    expect(a!.windows).toEqual(first.windows);
    expect(a!.objective).toBe('pnl');
    expect(a!.targetTrades).toEqual(first.targetTrades);
    expect(a!.targetTrades!.test).toBeGreaterThan(0);
    expect(a!.elapsedMs).toBe(first.elapsedMs);
    expect(b!.rows).toEqual(second.rows);
  });

  it('keeps the combinations that failed, with why, in the order the sweep listed them', async () => {
    const path = join(tempDir(), 'failed.duckdb');
    copyFileSync(NOBEL, path);
    // A multiplier must be > 0 and an order cap > 0: five of the six combinations cannot run.
    const sweep = await runSweep({
      recording: path,
      config: parseConfig({}),
      overrides: { targets: [WALLET] },
      axes: [
        { key: 'multiplier', values: [-1, 1, 0] },
        { key: 'risk.maxOrderUsdc', values: [-1, 10] },
      ],
      train: 0.07,
      workers: 2,
      objective: 'pnl',
      save: true,
    });
    expect(sweep.rows.map((r) => r.combo)).toEqual([{ multiplier: 1, 'risk.maxOrderUsdc': 10 }]);
    expect(sweep.errors.map((e) => e.combo)).toEqual([
      { multiplier: -1, 'risk.maxOrderUsdc': -1 },
      { multiplier: -1, 'risk.maxOrderUsdc': 10 },
      { multiplier: 1, 'risk.maxOrderUsdc': -1 },
      { multiplier: 0, 'risk.maxOrderUsdc': -1 },
      { multiplier: 0, 'risk.maxOrderUsdc': 10 },
    ]);

    const store = await RecordingStore.open(path, { readOnly: true });
    const [stored] = await storedSweeps(store).finally(() => store.close());
    expect(stored!.errors).toEqual(sweep.errors);
    expect(stored!.errors[2]!.message).toContain('maxOrderUsdc');
    expect(stored!.rows).toEqual(sweep.rows);
  });

  it('reads a sweep stored without target trades or its duration', async () => {
    const path = join(tempDir(), 'old.duckdb');
    copyFileSync(NOBEL, path);
    const metrics = (rank: number, pnl: number) => {
      const m = {
        pnl,
        realized: 0,
        fees: 0,
        maxDrawdownPct: 0,
        sharpe: null,
        sortino: null,
        winRate: null,
        closedTrades: 0,
        copies: 1,
        filled: 1,
        skipped: 0,
        captureRatio: null,
        fillsHash: 'h',
      };
      return {
        objective: 'pnl',
        rank,
        score: pnl,
        testScore: pnl,
        train: m,
        test: m,
        windows: { train: { from: 1, to: 2 }, test: { from: 2, to: 3 } },
      };
    };
    const store = await RecordingStore.open(path);
    try {
      // Written in reverse rank order: read back ranked.
      for (const [rank, multiplier, pnl] of [
        [2, 1, 1],
        [1, 2, 3],
      ] as const)
        await writeSweepResult(store, {
          sweepId: 'sweep-old',
          runId: `sweep-old#${rank}`,
          createdMs: 5,
          params: { multiplier },
          metrics: metrics(rank, pnl),
        });
    } finally {
      await store.close();
    }
    const reader = await RecordingStore.open(path, { readOnly: true });
    const [old] = await storedSweeps(reader).finally(() => reader.close());
    expect(old!.rows.map((r) => [r.rank, r.combo])).toEqual([
      [1, { multiplier: 2 }],
      [2, { multiplier: 1 }],
    ]);
    expect(old!.targetTrades).toBeUndefined();
    expect(Number.isNaN(old!.elapsedMs)).toBe(true);
  });
});
