/**
 * The windowed read (window-source.ts) must hand out a table exactly as one `ORDER BY ts_recv, seq` does:
 * across bursts at one instant, long gaps, rows without a ts_recv, and a caller's filter; and book_change
 * frames read through it come out whole and equal to the row path's.
 */
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../src/core/events.ts';
import { ChangeCursor } from '../../../src/store/change-cursor.ts';
import { doubles } from '../../../src/store/column-reader.ts';
import { rowsToChange, type Row } from '../../../src/store/event-rows.ts';
import { RecordingStore } from '../../../src/store/recording-store.ts';
import { WindowSource } from '../../../src/store/window-source.ts';
import { useTempDir } from './helpers.ts';

const tempDir = useTempDir();
const open: { close(): void }[] = [];
afterEach(() => {
  for (const o of open.splice(0)) o.close();
});

async function memory(): Promise<DuckDBConnection> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  open.push({ close: () => (connection.closeSync(), instance.closeSync()) });
  return connection;
}

/** seq of every row the source hands out, in order. */
async function seqsOf(source: WindowSource): Promise<number[]> {
  const out: number[] = [];
  for (let chunk = await source.next(); chunk; chunk = await source.next()) out.push(...doubles(chunk, 0));
  await source.close();
  return out;
}

describe('windowed ordered read', () => {
  it('equals one ORDER BY over bursts, gaps, NULL ts_recv and a filter, for any window size', async () => {
    const c = await memory();
    await c.run('CREATE TABLE r (seq BIGINT, ts_recv BIGINT, v INTEGER)');
    // Inserted out of order: a burst of 3,000 rows at one instant, a gap of a day, sparse rows, NULLs.
    await c.run(`INSERT INTO r SELECT i, CASE
        WHEN i % 97 = 0 THEN NULL
        WHEN i < 3000 THEN 5000
        WHEN i < 6000 THEN 86400000 + (i * 7919) % 4000
        ELSE 1000 + (i * 31) % 2000 END, i % 5
      FROM range(9000) t(i) ORDER BY hash(i)`);
    const sql = (w: string) => `SELECT CAST(t.seq AS DOUBLE) FROM r t WHERE ${w} ORDER BY t.ts_recv, t.seq`;
    const whole = async (where: string) => {
      const reader = await c.runAndReadAll(sql(where));
      return (reader.getColumns()[0] ?? []).map(Number);
    };
    for (const where of ['TRUE', 't.v <> 3', 't.ts_recv >= 2000 AND t.ts_recv < 90000000', 'FALSE']) {
      const expected = await whole(where);
      for (const [windowRows, firstWindowRows] of [
        [1, 1],
        [50, 3],
        [700, 700],
        [undefined, undefined],
      ]) {
        const source = await WindowSource.open(c, { table: 'r', where, sql, windowRows, firstWindowRows });
        expect(await seqsOf(source), `${where}, windows of ${windowRows}`).toEqual(expected);
      }
    }
  });

  it('reads book_change frames whole when windows and chunks end inside the table', async () => {
    const path = join(tempDir(), 'frames.duckdb');
    const store = await RecordingStore.open(path);
    // 3,000 frames of 1–4 rows, several per ms: 2,048-row chunks end inside frames.
    for (let i = 0; i < 3000; i++) {
      const ts = 1000 + Math.floor(i / 3) + (i > 2000 ? 50_000 : 0);
      store.appendEvent({
        type: 'book_change',
        tsEvent: ts - 1,
        tsRecv: ts,
        tokenId: `t${i % 4}`,
        changes: Array.from({ length: 1 + (i % 4) }, (_, k) => ({
          side: k % 2 ? 'SELL' : 'BUY',
          priceMicros: 10_000 * (k + 1),
          sizeMicros: i * 4 + k,
        })),
      });
    }
    await store.flush();
    const rows = await store.query('SELECT * FROM book_changes ORDER BY ts_recv, seq');
    await store.close();
    const expected: EngineEvent[] = [];
    let frame: Row[] = [];
    for (const r of rows) {
      if (frame.length > 0 && frame[0]!.frame !== r.frame) expected.push(rowsToChange(frame.splice(0)));
      frame.push(r);
    }
    expected.push(rowsToChange(frame));
    const instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
    const connection = await instance.connect();
    try {
      for (const windowRows of [5, 333, undefined]) {
        const cursor = await ChangeCursor.open(connection, 2, 'TRUE', windowRows);
        const got: EngineEvent[] = [];
        await cursor.load();
        while (!cursor.ended) {
          if (cursor.ready) got.push(cursor.take());
          else await cursor.load();
        }
        await cursor.close();
        expect(got, `windows of ${windowRows}`).toEqual(expected);
      }
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });
});
