/**
 * Read-only opens run DuckDB under a memory cap, spilling into a temp folder of their own. Two instances
 * streaming one recording in one process (two sweep workers) must each have their own folder: sharing
 * `<recording>.tmp` (DuckDB's default) crashed the process once they spilled.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RecordingStore } from '../../../src/store/index.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const ROWS = 300_000;

async function recordingOfTrades(path: string): Promise<void> {
  const store = await RecordingStore.open(path);
  // Rows written out of time order, with long keys, so the ordered stream has a real sort to do.
  await store.connection.run(`
    INSERT INTO target_trades (seq, ts_event, ts_recv, source, source_seq, dedup_key, wallet, tx_hash, token_id, condition_id, side, size_micros, price_micros, usdc_micros, outcome)
    SELECT i + 1, ts, ts, 'import:test', i + 1, printf('0x%064x', i) || ':0xaa:t:BUY:1:2#1', '0xaa', printf('0x%064x', i), 't' || (i % 50), 'c', 'BUY', 1, 2, 0, 'Yes'
    FROM (SELECT range AS i, 1000 + hash(range) % 100000000 AS ts FROM range(${ROWS}))`);
  await store.close();
}

async function streamAll(store: RecordingStore): Promise<{ events: number; ordered: boolean }> {
  let events = 0;
  let last = -Infinity;
  let ordered = true;
  for await (const batch of store.streamEvents()) {
    for (const e of batch) {
      if (e.tsRecv < last) ordered = false;
      last = e.tsRecv;
    }
    events += batch.length;
  }
  return { events, ordered };
}

describe('read-only memory cap', () => {
  it('lets two instances on one recording stream at once, each spilling into its own folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'polytail-memcap-'));
    dirs.push(dir);
    const path = join(dir, 'trades.duckdb');
    await recordingOfTrades(path);
    const a = await RecordingStore.open(path, { readOnly: true, memoryLimit: '128MB' });
    const b = await RecordingStore.open(path, { readOnly: true });
    try {
      const setting = async (store: RecordingStore, name: string) =>
        String((await store.query(`SELECT current_setting('${name}') AS v`))[0]!.v);
      const [tempA, tempB] = [await setting(a, 'temp_directory'), await setting(b, 'temp_directory')];
      expect(tempA).not.toBe(tempB);
      for (const temp of [tempA, tempB]) {
        expect(temp.startsWith(tmpdir())).toBe(true);
        expect(existsSync(temp)).toBe(true);
      }
      // The cap asked for, and the default sized to the recording (a small one: the 256 MB floor).
      expect(await setting(a, 'memory_limit')).toMatch(/^12[0-9](\.\d+)? MiB$/);
      expect(await setting(b, 'memory_limit')).toMatch(/^2[0-9]{2}(\.\d+)? MiB$/);
      const [ra, rb] = await Promise.all([streamAll(a), streamAll(b)]);
      expect(ra).toEqual({ events: ROWS, ordered: true });
      expect(rb).toEqual({ events: ROWS, ordered: true });
      await a.close();
      await b.close();
      // Nothing spilled next to the recording, and the folders of their own are gone.
      expect(existsSync(`${path}.tmp`)).toBe(false);
      expect(readdirSync(dir).sort()).toEqual(['trades.duckdb']);
      expect([existsSync(tempA), existsSync(tempB)]).toEqual([false, false]);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
