/**
 * Writes on a recording's side connections (a strategy run's status, a member's entry) that were asked for
 * before the store closes land in the file: closing waits for them, including writes queued behind others,
 * and leaves no .wal beside the file.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AccountBookQueries, RecordingStore, type StrategyRunRow } from '../../../src/store/index.ts';
import { useTempDir } from './helpers.ts';

const tempDir = useTempDir();

/** A run as a run book saves it when started. */
const started = (runId: string): StrategyRunRow => ({
  runId,
  account: 'acct',
  strategyId: runId,
  strategy: 'end-sweeper',
  params: { market: 'm' },
  status: 'running',
  startedMs: 1_000,
  startedBy: 'alice',
  fills: 0,
  realizedMicros: 0,
  unrealizedMicros: 0,
  feesMicros: 0,
  version: 1,
});

describe('side writes at close', () => {
  it('land before the store closes, queued ones too', async () => {
    const path = join(tempDir(), 'acct.duckdb');
    const store = await RecordingStore.open(path);
    const queries = new AccountBookQueries(store);
    // Not awaited, as a run book saves: the first opens the side connection, the rest queue behind it.
    const writes = ['a', 'b', 'c'].map((id) => queries.recordRun(started(id)));
    await store.close();
    await expect(Promise.all(writes)).resolves.toBeDefined();
    expect(existsSync(`${path}.wal`)).toBe(false);

    const again = await RecordingStore.open(path);
    try {
      const rows = await new AccountBookQueries(again).runs();
      expect(rows.map((r) => [r.runId, r.status])).toEqual([
        ['a', 'running'],
        ['b', 'running'],
        ['c', 'running'],
      ]);
    } finally {
      await again.close();
    }
  });
});
