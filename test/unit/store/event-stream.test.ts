import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../src/core/events.ts';
import {
  rowToMarket,
  rowToPrint,
  rowToResolution,
  rowToSnapshot,
  rowToTrade,
  rowsToChange,
  type Row,
} from '../../../src/store/event-rows.ts';
import { streamEvents, type EventFilter } from '../../../src/store/event-stream.ts';
import { storedInOrder } from '../../../src/store/column-reader.ts';
import { RecordedTradeSeen } from '../../../src/store/recorded-trade.ts';
import { RecordingStore } from '../../../src/store/recording-store.ts';
import { useTempDir } from './helpers.ts';

const tempDir = useTempDir();
const ROOT = join(import.meta.dirname, '../../..');
const BUNDLED = ['nobel-peace-prize-2025.duckdb', 'btc-15m-2025-12-03.duckdb'].map((f) => join(ROOT, 'recordings', f));

/** The stream's order, the simple way: every table read whole with one ORDER BY, merged by a stable sort. */
async function reference(store: RecordingStore): Promise<EngineEvent[]> {
  const all = (table: string) => store.query(`SELECT * FROM ${table} ORDER BY ts_recv, seq`);
  const changes: EngineEvent[] = [];
  let frame: Row[] = [];
  for (const r of await all('book_changes')) {
    if (frame.length > 0 && frame[0]!.frame !== r.frame) changes.push(rowsToChange(frame.splice(0)));
    frame.push(r);
  }
  if (frame.length > 0) changes.push(rowsToChange(frame));
  const byKind: EngineEvent[][] = [
    (await all('markets')).map(rowToMarket),
    (await all('book_snapshots')).map(rowToSnapshot),
    changes,
    (await all('target_trades')).map(rowToTrade),
    (await all('trade_prints')).map(rowToPrint),
    (await all('resolutions')).map(rowToResolution),
  ];
  const tagged = byKind.flatMap((events, rank) => events.map((e) => ({ e, rank })));
  tagged.sort((a, b) => a.e.tsRecv - b.e.tsRecv || a.rank - b.rank); // stable: seq order within a table
  return tagged.map((t) => t.e);
}

async function collect(stream: AsyncGenerator<EngineEvent[]>): Promise<EngineEvent[]> {
  const out: EngineEvent[] = [];
  for await (const batch of stream) out.push(...batch);
  return out;
}

/**
 * Streams `path` through a DuckDB instance of its own (one streamed query per table). Its target trades carry
 * key codes (the row path has none): checked against their keys here, then taken off for comparing.
 */
async function viaInstance(path: string, filter: EventFilter = {}, batchSize?: number): Promise<EngineEvent[]> {
  const instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
  try {
    return codesOff(await collect(streamEvents(instance, filter, { batchSize })));
  } finally {
    instance.closeSync();
  }
}

/**
 * The events without key codes (the row path has none), once the codes are checked against the keys. A recorded
 * trade decodes its key and tx hash when read (recorded-trade.ts): read here, long after the stream moved past
 * its chunk, and compared as the plain event it stands for.
 */
function codesOff(events: EngineEvent[]): EngineEvent[] {
  expectCodesMatchKeys(events);
  return events.map((e) => {
    if (e.type !== 'target_trade') return e;
    const { keyCode: _, ...rest } = e instanceof RecordedTradeSeen ? e.toJSON() : e;
    return rest;
  });
}

/** Every keyed trade has a code, and two trades share a code exactly when they share a key. */
function expectCodesMatchKeys(events: EngineEvent[]): void {
  const codeOfKey = new Map<string, number>();
  const keyOfCode = new Map<number, string>();
  for (const e of events) {
    if (e.type !== 'target_trade' || e.key === undefined) continue;
    expect(e.keyCode).toBeTypeOf('number');
    expect(codeOfKey.get(e.key) ?? e.keyCode).toBe(e.keyCode);
    expect(keyOfCode.get(e.keyCode!) ?? e.key).toBe(e.key);
    codeOfKey.set(e.key, e.keyCode!);
    keyOfCode.set(e.keyCode!, e.key);
  }
}

describe('streamEvents matches a whole-table ORDER BY merged in memory', () => {
  it.each(BUNDLED)('%s: through a query function (ts_recv windows) and through an instance (streamed chunks)', async (path) => {
    const store = await RecordingStore.open(path, { readOnly: true });
    const expected = await reference(store);
    expect(expected.length).toBeGreaterThan(1000);
    expect(codesOff(await collect(store.streamEvents()))).toEqual(expected);
    expect(codesOff(await collect(store.streamEvents({}, { batchSize: 97 })))).toEqual(expected);
    await store.close();
    expect(await viaInstance(path)).toEqual(expected);
  });

  it('keeps book_change frames whole across streamed chunks and pages, with time and wallet filters', async () => {
    const path = join(tempDir(), 'frames.duckdb');
    const store = await RecordingStore.open(path);
    // 1,500 frames of 3 rows: DuckDB's 2,048-row chunks end inside frames.
    for (let i = 0; i < 1500; i++) {
      const ts = 1000 + Math.floor(i / 4);
      const side = i % 2 === 0 ? 'BUY' : 'SELL';
      store.appendEvent({
        type: 'book_change',
        tsEvent: ts,
        tsRecv: ts,
        tokenId: `t${i % 5}`,
        changes: [0, 1, 2].map((k) => ({ side, priceMicros: 10_000 * (k + 1), sizeMicros: i * 3 + k })),
      });
      if (i % 7 === 0) {
        store.appendEvent({
          type: 'target_trade',
          tsEvent: ts,
          tsRecv: ts,
          source: 'import:test',
          seq: i,
          // Every fifth trade repeats the key of the one before it (a recording may hold a fill twice).
          key: i % 35 === 0 && i > 0 ? `k${i - 7}` : `k${i}`,
          trade: {
            wallet: i % 2 ? '0xaa' : '0xbb',
            txHash: `0x${i}`,
            tokenId: 't1',
            conditionId: 'c1',
            side: 'BUY',
            sizeMicros: 1,
            priceMicros: 2,
            usdcMicros: 0,
            outcome: 'Yes',
          },
        });
      }
    }
    await store.flush();
    const expected = await reference(store);
    expect(codesOff(await collect(store.streamEvents({}, { batchSize: 100 })))).toEqual(expected);
    const filtered = codesOff(await collect(store.streamEvents({ from: 1100, to: 1300, wallets: ['0xAA'] }, { batchSize: 50 })));
    await store.close();
    expect(expected.filter((e) => e.type === 'book_change').every((e) => e.changes.length === 3)).toBe(true);
    expect(await viaInstance(path)).toEqual(expected);
    expect(await viaInstance(path, { from: 1100, to: 1300, wallets: ['0xAA'] }, 50)).toEqual(filtered);
    expect(filtered).toEqual(
      expected.filter((e) => e.tsRecv >= 1100 && e.tsRecv < 1300 && (e.type !== 'target_trade' || e.trade.wallet === '0xaa')),
    );
  });
});

describe('tables stored out of time order', () => {
  it('are sorted by DuckDB and stream as the reference does; tables in order are read as stored', async () => {
    const path = join(tempDir(), 'late.duckdb');
    const store = await RecordingStore.open(path);
    // Trades and prints written newest first (an import of a page listed newest first), markets in order.
    store.appendEvent({
      type: 'market',
      tsEvent: 1,
      tsRecv: 1,
      market: { conditionId: 'c1', tokens: [], negRisk: false, tickMicros: 10_000, minOrderSizeMicros: 5_000_000 },
    });
    for (let i = 3000; i > 0; i--) {
      store.appendEvent({
        type: 'target_trade',
        tsEvent: i,
        tsRecv: 10 + Math.floor(i / 2),
        source: 'import:test',
        seq: i,
        key: `0x${i}:k${i % 2900}`,
        trade: {
          wallet: '0xaa',
          txHash: `0x${i}`,
          tokenId: `t${i % 3}`,
          conditionId: 'c1',
          side: 'BUY',
          sizeMicros: i,
          priceMicros: 2,
          usdcMicros: 0,
          outcome: 'Yes',
        },
      });
      if (i % 3 === 0)
        store.appendEvent({
          type: 'trade_print',
          tsEvent: i,
          tsRecv: 10 + Math.floor(i / 2),
          tokenId: 't1',
          side: 'SELL',
          priceMicros: 3,
          sizeMicros: i,
        });
    }
    await store.flush();
    const expected = await reference(store);
    const instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
    const connection = await instance.connect();
    expect(await storedInOrder(connection, 'target_trades', 'TRUE')).toBe(false);
    expect(await storedInOrder(connection, 'trade_prints', 'TRUE')).toBe(false);
    expect(await storedInOrder(connection, 'markets', 'TRUE')).toBe(true);
    connection.closeSync();
    instance.closeSync();
    await store.close();
    expect(await viaInstance(path)).toEqual(expected);
    expect(await viaInstance(path, { from: 500, to: 900 }, 64)).toEqual(
      expected.filter((e) => e.type === 'market' || (e.tsRecv >= 500 && e.tsRecv < 900)),
    );
  });
});

describe('key codes', () => {
  it('are left off when a trade has no key (its content key could equal a coded one)', async () => {
    const path = join(tempDir(), 'no-key.duckdb');
    const store = await RecordingStore.open(path);
    const trade = (i: number, key?: string) =>
      store.appendEvent({
        type: 'target_trade',
        tsEvent: i,
        tsRecv: i,
        source: 'import:test',
        seq: i,
        ...(key === undefined ? {} : { key }),
        trade: {
          wallet: '0xaa',
          txHash: `0x${i}`,
          tokenId: 't1',
          conditionId: 'c1',
          side: 'BUY',
          sizeMicros: 1,
          priceMicros: 2,
          usdcMicros: 0,
          outcome: 'Yes',
        },
      });
    trade(1, 'k1');
    trade(2, 'k1');
    trade(3);
    await store.flush();
    await store.close();
    const instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
    const trades = (await collect(streamEvents(instance))).filter((e) => e.type === 'target_trade');
    instance.closeSync();
    expect(trades.map((e) => [e.key, e.keyCode])).toEqual([
      ['k1', undefined],
      ['k1', undefined],
      [undefined, undefined],
    ]);
  });
});
