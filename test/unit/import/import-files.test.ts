import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ImportError } from '../../../src/import/import-error.ts';
import { importFiles } from '../../../src/import/import-files.ts';
import { RecordingStore } from '../../../src/store/recording-store.ts';
import { ACTIVITY_0X05C1, ACTIVITY_0X0FD4, fixture, NOBEL_RESOLUTIONS, NOBEL_TAPE } from '../../helpers/fixtures.ts';
import { useTempDir } from '../store/helpers.ts';

const FIX = join(import.meta.dirname, '../../fixtures/import');
const tempDir = useTempDir();

async function withStore<T>(path: string, fn: (s: RecordingStore) => Promise<T>): Promise<T> {
  const s = await RecordingStore.open(path, { readOnly: true });
  try {
    return await fn(s);
  } finally {
    await s.close();
  }
}

describe('importFiles on the real files', () => {
  it('keeps 1,500 of 2,000 rows per BTC wallet CSV, with genuine identical fills numbered #2', async () => {
    const out = join(tempDir(), 'btc.duckdb');
    const s = await importFiles([ACTIVITY_0X05C1, ACTIVITY_0X0FD4], out);
    expect(s.files.map((f) => [f.rows, f.trades, f.repeatsDropped, f.identicalKept])).toEqual([
      [2000, 1500, 500, 13],
      [2000, 1500, 500, 3],
    ]);
    expect(s.inferredMarkets).toBe(18);
    await withStore(out, async (store) => {
      const rows = await store.query(
        `SELECT wallet, COUNT(*) n, COUNT(DISTINCT dedup_key) k, COUNT(*) FILTER (WHERE dedup_key LIKE '%#2') twos FROM target_trades GROUP BY 1 ORDER BY 1`,
      );
      expect(rows).toEqual([
        { wallet: '0x05c1882212a41aa8d7df5b70eebe03d9319345b7', n: 1500, k: 1500, twos: 13 },
        { wallet: '0x0fd419c486d1f53c92cd09c3c52eca61d6367750', n: 1500, k: 1500, twos: 3 },
      ]);
      // The SELL Up 0.98 / BUY Down 0.02 pair of one transaction are two fills.
      const pair = await store.query(
        `SELECT side, outcome, price_micros FROM target_trades WHERE tx_hash = '0x8bf8bfd210d74ab386ec8efcb22262605bad68b49d3252873018f28e1c591410' ORDER BY side`,
      );
      expect(pair).toEqual([
        { side: 'BUY', outcome: 'Down', price_micros: 20_000 },
        { side: 'SELL', outcome: 'Up', price_micros: 980_000 },
      ]);
      const [m] = await store.query(`SELECT COUNT(*) n, bool_and(inferred) inf, MIN(min_order_size_micros) ms FROM markets`);
      expect(m).toEqual({ n: 18, inf: true, ms: 5_000_000 });
    });
    expect(existsSync(`${out}.wal`)).toBe(false);
  });

  it('keeps 1,500 distinct trades of the 2,000-row Nobel tape (its last page served twice) and resolves its 20 markets after the tape', async () => {
    const out = join(tempDir(), 'nobel.duckdb');
    const s = await importFiles([NOBEL_TAPE, NOBEL_RESOLUTIONS], out);
    expect(s.files[0]).toMatchObject({ rows: 2000, trades: 1500, repeatsDropped: 500, identicalKept: 0 });
    expect(s.totals).toMatchObject({ target_trades: 1500, trade_prints: 1500, markets: 20, resolutions: 20 });
    await withStore(out, async (store) => {
      const [t] = await store.query(
        `SELECT COUNT(DISTINCT wallet) w, COUNT(DISTINCT token_id) tk, MAX(ts_recv) AS last_ms FROM target_trades`,
      );
      expect(t).toMatchObject({ w: 665, tk: 37 });
      const res = await store.query(`SELECT condition_id, ts_recv, payouts FROM resolutions`);
      expect(res.every((r) => r.ts_recv === Number(t!.last_ms) + 1)).toBe(true);
      // Same payouts as the file states for every token seen in the tape (Machado Yes, the rest No).
      const file = JSON.parse(readFileSync(NOBEL_RESOLUTIONS, 'utf8')) as {
        markets: { conditionId: string; tokensSeenInTape: { tokenId: string; payout: number }[] }[];
      };
      const expected = Object.fromEntries(
        file.markets.map((m) => [m.conditionId, Object.fromEntries(m.tokensSeenInTape.map((tk) => [tk.tokenId, tk.payout * 1_000_000]))]),
      );
      expect(Object.fromEntries(res.map((r) => [r.condition_id, JSON.parse(String(r.payouts))]))).toEqual(expected);
      expect((await store.walletStats(2)).map((w) => [w.wallet, w.trades])).toEqual([
        ['0xe8dd7741ccb12350957ec71e9ee332e0d1e6ec86', 108],
        ['0xd218e474776403a330142299f7796e8ba32eb5c9', 79],
      ]);
    });
  });

  it('imports every other file in the data folder and records non-TRADE rows apart', async () => {
    const files = [
      'activity/activity-mixed-types.json',
      'activity/activity-redeem-rows.json',
      'activity/activity-nhl-2026-04-25.json',
      'trades/trades-sample.json',
      'gamma/market.json',
      'gamma/event.json',
      'gamma/btc-5m-markets-2026-07-24.jsonl.gz',
      'ws/book-example.json',
      'ws/price-change-example.json',
      'ws/price-change-stream-2025-01.csv.gz',
    ];
    const out = join(tempDir(), 'all.duckdb');
    const s = await importFiles(files.map(fixture), out);
    expect(s.totals).toMatchObject({
      target_trades: 57,
      // 2 of the REDEEM rows are in both activity files: the same redemption, stored once.
      activity_other: 21,
      markets: 48 + 12, // the 48 BTC 5-minute markets, plus those of the other files
      book_snapshots: 1,
      book_changes: 6130,
      resolutions: 48 + 2, // every BTC market, plus the event's two closed markets
    });
    await withStore(out, async (store) => {
      const types = await store.query(`SELECT type, COUNT(*) n FROM activity_other GROUP BY 1 ORDER BY 1`);
      expect(types).toEqual([
        { type: 'MAKER_REBATE', n: 1 },
        { type: 'REDEEM', n: 15 },
        { type: 'REWARD', n: 4 },
        { type: 'TAKER_REBATE', n: 1 },
      ]);
      const [first] = await store.query(
        `SELECT ts_recv, side, price_micros, size_micros FROM book_changes WHERE token_id LIKE '191320%' ORDER BY seq LIMIT 1`,
      );
      expect(first).toEqual({
        ts_recv: Date.parse('2025-01-25T18:15:47.925+01:00'),
        side: 'SELL',
        price_micros: 230_000,
        size_micros: 300_000_000,
      });
      const [book] = await store.query(`SELECT bids, asks FROM book_snapshots`);
      const bids = JSON.parse(String(book!.bids)) as number[][];
      const asks = JSON.parse(String(book!.asks)) as number[][];
      expect(bids[0]![0]).toBeGreaterThan(bids[1]![0]!);
      expect(asks[0]![0]).toBeLessThan(asks[1]![0]!);
    });
  });
});

describe('importFiles errors and atomicity', () => {
  it('names file, line and field, and writes nothing', async () => {
    const dir = tempDir();
    const out = join(dir, 'rec.duckdb');
    const bad = join(FIX, 'bad-price.csv');
    await expect(importFiles([bad], out)).rejects.toThrow(
      `${bad}:3: activity TRADE row: field "price": expected a decimal number (got "abc")`,
    );
    const err = await importFiles([bad], out).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportError);
    expect(err).toMatchObject({ file: bad, line: 3, field: 'price' });
    expect(readdirSync(dir)).toEqual([]);

    const missing = join(FIX, 'missing-side.json');
    await expect(importFiles([missing], out)).rejects.toThrow(new RegExp(`${missing}:15: activity TRADE row: field "side".*missing`));
    expect(readdirSync(dir)).toEqual([]);
  });

  it('leaves an existing recording byte-for-byte untouched when a later file fails', async () => {
    const dir = tempDir();
    const out = join(dir, 'rec.duckdb');
    await importFiles([fixture('activity/activity-nhl-2026-04-25.json')], out);
    const before = readFileSync(out);
    await expect(importFiles([fixture('trades/trades-sample.json'), join(FIX, 'bad-price.csv')], out)).rejects.toThrow(/bad-price.csv:3/);
    expect(readFileSync(out).equals(before)).toBe(true);
    expect(readdirSync(dir)).toEqual(['rec.duckdb']);
  });

  it('refuses a resolution whose tokens are unknown, and resolves a bare one from the trades in the same import', async () => {
    const dir = tempDir();
    await expect(importFiles([join(FIX, 'unknown-resolution.json')], join(dir, 'a.duckdb'))).rejects.toThrow(
      /resolution of 0xdead: no token ids known/,
    );
    expect(readdirSync(dir)).toEqual([]);
    const fills = join(dir, 'fills.json');
    writeFileSync(fills, JSON.stringify([JSON.parse(readFileSync(join(FIX, 'missing-side.json'), 'utf8'))[0]]));
    const out = join(dir, 'b.duckdb');
    await importFiles([fills, join(FIX, 'bare-resolutions.json'), join(FIX, 'frames.jsonl')], out);
    await withStore(out, async (store) => {
      const [r] = await store.query(`SELECT payouts, ts_recv FROM resolutions`);
      expect(JSON.parse(String(r!.payouts))).toEqual({ '315': 1_000_000 });
      const events = [];
      for await (const batch of store.streamEvents()) events.push(...batch.map((e) => e.type));
      expect(events).toEqual(['market', 'book_snapshot', 'book_change', 'target_trade', 'trade_print', 'market_resolved']);
    });
  });

  it('does not import the same fills twice into one recording', async () => {
    const out = join(tempDir(), 'rec.duckdb');
    const file = ACTIVITY_0X0FD4;
    await importFiles([file], out);
    const again = await importFiles([file], out);
    expect(again.duplicatesAcrossFiles).toBe(1500);
    expect(again.totals.target_trades).toBe(1500);
    expect(again.added.target_trades ?? 0).toBe(0);
  });
});
