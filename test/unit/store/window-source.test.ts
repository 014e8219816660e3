/**
 * The windowed read (window-source.ts) must hand out a table exactly as one `ORDER BY ts_recv, seq` does:
 * across bursts at one instant, long gaps, rows without a ts_recv, and a caller's filter; and book_change
 * frames read through it come out whole and equal to the row path's — as do frames read as stored, whose
 * rows must each come in replay order.
 */
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../src/core/events.ts';
import { ChangeCursor } from '../../../src/store/change-cursor.ts';
import { ChunkSource, doubles, OrderCheck, storedInOrder } from '../../../src/store/column-reader.ts';
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

  it('reads book_change frames whole when windows and chunks end inside the table, stored in order or not', async () => {
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
    // A copy of the table with its rows stored shuffled (an import written out of time order).
    await store.connection.run('CREATE TABLE shuffled AS SELECT * FROM book_changes ORDER BY hash(seq)');
    await store.close();
    const expected: EngineEvent[] = [];
    let frame: Row[] = [];
    for (const r of rows) {
      if (frame.length > 0 && frame[0]!.frame !== r.frame) expected.push(rowsToChange(frame.splice(0)));
      frame.push(r);
    }
    expected.push(rowsToChange(frame));
    const instance = await DuckDBInstance.create(path);
    const connection = await instance.connect();
    const readAll = async (windowRows: number | undefined, read: 'auto' | 'windows') => {
      const cursor = await ChangeCursor.open(connection, 2, 'TRUE', windowRows, read);
      const got: EngineEvent[] = [];
      await cursor.load();
      while (!cursor.ended) {
        if (cursor.ready) got.push(cursor.take());
        else await cursor.load();
      }
      await cursor.close();
      return got;
    };
    try {
      expect(await storedInOrder(connection, 'book_changes', 'TRUE')).toBe(true);
      for (const windowRows of [5, 333, undefined])
        expect(await readAll(windowRows, 'windows'), `windows of ${windowRows}`).toEqual(expected);
      expect(await readAll(undefined, 'auto'), 'as stored').toEqual(expected);
      // Stored out of order: the read as stored is refused up front and the windows sort.
      await connection.run('DELETE FROM book_changes');
      await connection.run('INSERT INTO book_changes SELECT * FROM shuffled');
      expect(await storedInOrder(connection, 'book_changes', 'TRUE')).toBe(false);
      for (const windowRows of [333, undefined])
        expect(await readAll(windowRows, 'auto'), `shuffled, windows of ${windowRows}`).toEqual(expected);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });

  it('stops loudly at a row out of order in a read as stored', async () => {
    const c = await memory();
    await c.run(`CREATE TABLE book_changes AS SELECT * FROM (VALUES
        (1, 100, 100, 1, 't1', 'BUY', 10000, 5),
        (2, 100, 100, 1, 't1', 'SELL', 20000, 5),
        (4, 105, 105, 2, 't1', 'BUY', 10000, 6),
        (3, 103, 103, 3, 't1', 'BUY', 10000, 7),
        (5, 110, 110, 4, 't1', 'BUY', 10000, 8))
      t(seq, ts_event, ts_recv, frame, token_id, side, price_micros, size_micros)`);
    // The cursor as a read in storage order sets it up (as if the table had passed `storedInOrder` and changed since).
    const sql = `SELECT CAST(seq AS DOUBLE), CAST(ts_event AS DOUBLE), CAST(ts_recv AS DOUBLE), CAST(frame AS DOUBLE),
        CAST(0 AS INTEGER), CAST(CASE side WHEN 'BUY' THEN 0 ELSE 1 END AS INTEGER), CAST(price_micros AS DOUBLE), CAST(size_micros AS DOUBLE)
      FROM book_changes`;
    const cursor = new ChangeCursor(2, new ChunkSource(await c.stream(sql)), ['t1'], ['BUY', 'SELL'], new OrderCheck('book_changes'));
    const taken: EngineEvent[] = [];
    const drain = async () => {
      await cursor.load();
      while (!cursor.ended) {
        if (cursor.ready) taken.push(cursor.take());
        else await cursor.load();
      }
    };
    await expect(drain()).rejects.toThrow(/book_changes row \(ts_recv 103, seq 3\) came after \(105, 4\)/);
    // The frames before the bad row were handed out; nothing after it.
    expect(taken.map((e) => e.tsRecv)).toEqual([100, 105]);
    await cursor.close();
  });
});
