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

/** Streams `path` through a DuckDB instance of its own (one streamed query per table). */
async function viaInstance(path: string, filter: EventFilter = {}, batchSize?: number): Promise<EngineEvent[]> {
  const instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
  try {
    return await collect(streamEvents(instance, filter, { batchSize }));
  } finally {
    instance.closeSync();
  }
}

describe('streamEvents matches a whole-table ORDER BY merged in memory', () => {
  it.each(BUNDLED)('%s: through a query function (ts_recv windows) and through an instance (streamed chunks)', async (path) => {
    const store = await RecordingStore.open(path, { readOnly: true });
    const expected = await reference(store);
    expect(expected.length).toBeGreaterThan(1000);
    expect(await collect(store.streamEvents())).toEqual(expected);
    expect(await collect(store.streamEvents({}, { batchSize: 97 }))).toEqual(expected);
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
          key: `k${i}`,
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
    expect(await collect(store.streamEvents({}, { batchSize: 100 }))).toEqual(expected);
    const filtered = await collect(store.streamEvents({ from: 1100, to: 1300, wallets: ['0xAA'] }, { batchSize: 50 }));
    await store.close();
    expect(expected.filter((e) => e.type === 'book_change').every((e) => e.changes.length === 3)).toBe(true);
    expect(await viaInstance(path)).toEqual(expected);
    expect(await viaInstance(path, { from: 1100, to: 1300, wallets: ['0xAA'] }, 50)).toEqual(filtered);
    expect(filtered).toEqual(
      expected.filter((e) => e.tsRecv >= 1100 && e.tsRecv < 1300 && (e.type !== 'target_trade' || e.trade.wallet === '0xaa')),
    );
  });
});
