import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../src/core/events.ts';
import type { Fill, Order } from '../../../src/core/types.ts';
import { streamEvents } from '../../../src/store/event-stream.ts';
import { RecordedTradeSeen } from '../../../src/store/recorded-trade.ts';
import { RecordingStore } from '../../../src/store/recording-store.ts';
import { useTempDir } from './helpers.ts';

const tempDir = useTempDir();
const ROOT = join(import.meta.dirname, '../../..');

function trade(ts: number, wallet: string, n: number): EngineEvent {
  return {
    type: 'target_trade',
    tsEvent: ts,
    tsRecv: ts,
    source: 'import:test',
    seq: n,
    key: `0x${n}:t1:BUY:1:2#1`,
    trade: {
      wallet,
      txHash: `0x${n}`,
      tokenId: 't1',
      conditionId: 'c1',
      side: 'BUY',
      sizeMicros: 1_000_000 * n,
      priceMicros: 500_000,
      usdcMicros: 500_000 * n,
      outcome: 'Yes',
      outcomeIndex: 0,
      slug: 's',
    },
  };
}

const market: EngineEvent = {
  type: 'market',
  tsEvent: 100,
  tsRecv: 100,
  market: {
    conditionId: 'c1',
    tokens: [
      { tokenId: 't1', outcome: 'Yes' },
      { tokenId: 't2', outcome: 'No' },
    ],
    negRisk: false,
    tickMicros: 10_000,
    minOrderSizeMicros: 5_000_000,
    feeRate: 0.07,
    feeExponent: 1,
  },
};

/** Written deliberately out of time order, with ties across tables at ts 200. */
const events: EngineEvent[] = [
  { type: 'market_resolved', tsEvent: 200, tsRecv: 200, conditionId: 'c1', payouts: { t1: 1_000_000, t2: 0 } },
  trade(200, '0xaaa', 3),
  { type: 'trade_print', tsEvent: 200, tsRecv: 200, tokenId: 't1', side: 'SELL', priceMicros: 510_000, sizeMicros: 7 },
  trade(150, '0xbbb', 2),
  {
    type: 'book_change',
    tsEvent: 200,
    tsRecv: 200,
    tokenId: 't1',
    changes: [
      { side: 'BUY', priceMicros: 490_000, sizeMicros: 0 },
      { side: 'SELL', priceMicros: 520_000, sizeMicros: 9 },
    ],
  },
  {
    type: 'book_snapshot',
    tsEvent: 120,
    tsRecv: 120,
    tokenId: 't1',
    conditionId: 'c1',
    bids: [
      { priceMicros: 490_000, sizeMicros: 5 },
      { priceMicros: 480_000, sizeMicros: 6 },
    ],
    asks: [{ priceMicros: 510_000, sizeMicros: 4 }],
  },
  market,
  trade(110, '0xaaa', 1),
  trade(200, '0xaaa', 4),
];

async function filled(path: string): Promise<RecordingStore> {
  const store = await RecordingStore.open(path);
  for (const e of events) store.appendEvent(e);
  await store.flush();
  return store;
}

describe('streamEvents', () => {
  it('yields events in (ts_recv, kind, seq) order, round-tripping every field', async () => {
    const store = await filled(join(tempDir(), 'r.duckdb'));
    const streamed: EngineEvent[] = [];
    for await (const batch of store.streamEvents()) streamed.push(...batch);
    // Recorded trades come with their key's code (dedup keeps codes): one per distinct key, then set aside.
    const trades = streamed.filter((e) => e.type === 'target_trade');
    expect(new Set(trades.map((e) => e.keyCode)).size).toBe(new Set(trades.map((e) => e.key)).size);
    expect(trades.every((e) => typeof e.keyCode === 'number')).toBe(true);
    // A recorded trade decodes its key and tx hash when read (recorded-trade.ts): compared as the plain event.
    const all = streamed.map((e) => {
      if (e.type !== 'target_trade') return e;
      const { keyCode: _, ...rest } = e instanceof RecordedTradeSeen ? e.toJSON() : e;
      return rest;
    });
    expect(all.map((e) => `${e.tsRecv}:${e.type}`)).toEqual([
      '100:market',
      '110:target_trade',
      '120:book_snapshot',
      '150:target_trade',
      '200:book_change',
      '200:target_trade',
      '200:target_trade',
      '200:trade_print',
      '200:market_resolved',
    ]);
    expect(all[0]).toEqual(market);
    expect(all[1]).toEqual(events[7]);
    expect(all[2]).toEqual(events[5]);
    expect(all[4]).toEqual(events[4]);
    expect(all.slice(5, 7)).toEqual([events[1], events[8]]); // same ts: write order
    expect(all[8]).toEqual(events[0]);
    await store.close();
  });

  it('pages by ts_recv windows: one-row pages give the same sequence, in batches no bigger than asked', async () => {
    const store = await filled(join(tempDir(), 'r.duckdb'));
    const sqls: string[] = [];
    const query: Parameters<typeof streamEvents>[0] = (sql, params) => (sqls.push(sql), store.query(sql, params));
    const batches: EngineEvent[][] = [];
    for await (const b of streamEvents(query, {}, { batchSize: 1 })) batches.push(b);
    expect(batches.every((b) => b.length === 1)).toBe(true);
    expect(batches.map((b) => `${b[0]!.tsRecv}:${b[0]!.type}`)).toEqual([
      '100:market',
      '110:target_trade',
      '120:book_snapshot',
      '150:target_trade',
      '200:book_change',
      '200:target_trade',
      '200:target_trade',
      '200:trade_print',
      '200:market_resolved',
    ]);
    expect((batches[4]![0] as Extract<EngineEvent, { type: 'book_change' }>).changes).toHaveLength(2); // the frame stayed whole
    // target_trades (4 rows over ts 110–200) needed more than one window, each bounded in ts_recv.
    expect(
      sqls.filter((s) => s.includes('FROM target_trades') && s.includes('ts_recv >= ? AND ts_recv < ?')).length,
    ).toBeGreaterThanOrEqual(2);
    expect(sqls.some((s) => s.includes(' raw'))).toBe(false); // only the columns events need
    await store.close();
  });

  it('filters by time and wallet, and always delivers market metadata', async () => {
    const store = await filled(join(tempDir(), 'r.duckdb'));
    const got: string[] = [];
    for await (const b of store.streamEvents({ from: 120, to: 200, wallets: ['0xBBB'] }, { batchSize: 2 }))
      got.push(...b.map((e) => `${e.tsRecv}:${e.type}`));
    expect(got).toEqual(['100:market', '120:book_snapshot', '150:target_trade']);
    await store.close();
  });
});

describe('runs', () => {
  const order: Order = {
    clientOrderId: 'o1',
    strategyId: 'tail',
    tokenId: 't1',
    conditionId: 'c1',
    side: 'BUY',
    type: 'FOK',
    priceMicros: 510_000,
    sizeMicros: 10_000_000,
    amountMicros: 5_100_000,
    postOnly: false,
    createdMs: 150,
    causeKey: 'k#1',
    salt: 42,
  };
  const fill = (id: string, ts: number, price = 505_000): Fill => ({
    fillId: id,
    clientOrderId: 'o1',
    strategyId: 'tail',
    tokenId: 't1',
    conditionId: 'c1',
    side: 'BUY',
    priceMicros: price,
    sizeMicros: 10_000_000,
    feeMicros: 12_345,
    liquidity: 'taker',
    tsMs: ts,
  });

  it('writes and reads back a run, and hashes its fills canonically', async () => {
    const path = join(tempDir(), 'r.duckdb');
    const store = await RecordingStore.open(path);
    await store.writeRun({
      runId: 'r1',
      createdMs: 1,
      mode: 'replay',
      config: { a: 1 },
      fillModel: 'book-walk',
      seed: 7,
      version: '0.1.0',
    });
    const rec = store.runRecorder('r1');
    const decision = {
      decisionId: 'd1',
      tsMs: 150,
      strategyId: 'tail',
      wallet: '0xaaa',
      causeKey: 'k#1',
      tokenId: 't1',
      side: 'BUY' as const,
      action: 'copy' as const,
      reason: 'approved' as const,
      message: 'ok',
      details: { sizeMicros: 10_000_000 },
      checks: [{ code: 'max_slippage' as const, passed: true, value: 1, limit: 2, message: 'ok' }],
      clientOrderId: 'o1',
    };
    rec.onDecision(decision);
    rec.appendOrderSubmitted(order, 150);
    rec.onOrderEvent({ type: 'order_filled', tsEvent: 151, tsRecv: 151, order, fill: fill('f2', 151) });
    rec.onOrderEvent({ type: 'order_partially_filled', tsEvent: 150, tsRecv: 150, order, fill: fill('f1', 150) });
    rec.onEquity({ tsMs: 151, equityMicros: 1, cashMicros: 2, realizedMicros: 3, unrealizedMicros: 4, feesMicros: 5 });
    await store.flush();

    expect(await store.readDecisions('r1')).toEqual([decision]);
    expect((await store.readOrders('r1')).map((o) => o.event)).toEqual(['submitted', 'filled', 'partially_filled']);
    expect(await store.readFills('r1')).toEqual([fill('f2', 151), fill('f1', 150)]);
    expect(await store.readEquity('r1')).toEqual([
      { tsMs: 151, equityMicros: 1, cashMicros: 2, realizedMicros: 3, unrealizedMicros: 4, feesMicros: 5 },
    ]);
    expect(await store.getRun('r1')).toMatchObject({ mode: 'replay', config: { a: 1 }, seed: 7 });

    // Same fills in the same order in another run → same hash (the run id is not hashed);
    // a changed price or another order → another hash (fills are hashed in the order they happened).
    const r2 = store.runRecorder('r2');
    r2.appendFill(fill('f2', 151));
    r2.appendFill(fill('f1', 150));
    const r4 = store.runRecorder('r4');
    r4.appendFill(fill('f1', 150));
    r4.appendFill(fill('f2', 151));
    const r3 = store.runRecorder('r3');
    r3.appendFill(fill('f1', 150));
    r3.appendFill(fill('f2', 151, 506_000));
    await store.flush();
    const h1 = await store.fillsHash('r1');
    expect(h1).toMatch(/^[0-9a-f]{64}$/);
    expect(await store.fillsHash('r2')).toBe(h1);
    expect(await store.fillsHash('r3')).not.toBe(h1);
    expect(await store.fillsHash('r4')).not.toBe(h1);
    await store.close();
    expect(existsSync(`${path}.wal`)).toBe(false);

    const ro = await RecordingStore.open(path, { readOnly: true });
    expect(await ro.fillsHash('r1')).toBe(h1);
    expect(() => ro.add('fills', {})).toThrow(/read-only/);
    await ro.close();
  });

  it('commits a meta write made while a batch is staged on its own, not inside the batch', async () => {
    const store = await RecordingStore.open(join(tempDir(), 'r.duckdb'), { batchRows: 10_000_000 });
    const reader = await store.sideConnection();
    // Enough rows that staging them takes many event-loop turns.
    for (let i = 0; i < 300_000; i++) store.add('equity_points', { run_id: 'r1', ts_ms: i, equity_micros: i });
    const flushing = store.flush();
    while (!store.writer.inTransaction) await new Promise((resolve) => setImmediate(resolve));
    await store.setMeta('note', 'written mid-batch');
    const seen = await reader.query(`SELECT value FROM meta WHERE key = 'note'`);
    const batchStillOpen = store.writer.inTransaction;
    await flushing;
    // The meta write is committed (another connection sees it) while the batch is still uncommitted.
    expect(batchStillOpen).toBe(true);
    expect(seen.map((r) => r.value)).toEqual(['written mid-batch']);
    expect(await reader.query(`SELECT count(*)::INTEGER AS n FROM equity_points`)).toEqual([{ n: 300_000 }]);
    await store.close();
  });

  it('rejects a bad value when the row is queued, not halfway through a flush', async () => {
    const store = await RecordingStore.open(join(tempDir(), 'r.duckdb'));
    expect(() => store.add('fills', { ts_ms: 1.5 })).toThrow(/fills.ts_ms: expected a safe integer/);
    expect(() => store.add('fills', { tsMs: 1 } as never)).toThrow(/fills has no column "tsMs"/);
    await store.close();
  });
});

describe('bundled recordings', () => {
  it('open read-only with the documented contents and stream in time order', async () => {
    for (const [file, trades, markets, resolutions] of [
      ['nobel-peace-prize-2025.duckdb', 1500, 20, 20],
      ['btc-15m-2025-12-03.duckdb', 3000, 18, 0],
    ] as const) {
      const path = join(ROOT, 'recordings', file);
      expect(existsSync(`${path}.wal`)).toBe(false);
      const store = await RecordingStore.open(path, { readOnly: true });
      expect(await store.counts()).toMatchObject({ target_trades: trades, markets, resolutions });
      let last = -Infinity;
      let n = 0;
      for await (const batch of store.streamEvents({}, { batchSize: 700 })) {
        for (const e of batch) {
          expect(e.tsRecv).toBeGreaterThanOrEqual(last);
          last = e.tsRecv;
          n++;
        }
      }
      const c = await store.counts();
      expect(n).toBe(c.markets + c.target_trades + c.trade_prints + c.resolutions);
      await store.close();
    }
  });
});

describe('POLYTAIL_READ_MEMORY_LIMIT', () => {
  const NOBEL = join(ROOT, 'recordings', 'nobel-peace-prize-2025.duckdb');
  const withLimit = async <T>(value: string, run: () => Promise<T>): Promise<T> => {
    const before = process.env.POLYTAIL_READ_MEMORY_LIMIT;
    process.env.POLYTAIL_READ_MEMORY_LIMIT = value;
    try {
      return await run();
    } finally {
      if (before === undefined) delete process.env.POLYTAIL_READ_MEMORY_LIMIT;
      else process.env.POLYTAIL_READ_MEMORY_LIMIT = before;
    }
  };

  it('names the setting when DuckDB could not read it, instead of failing the open', async () => {
    const open = withLimit('lots', () => RecordingStore.open(NOBEL, { readOnly: true }));
    await expect(open).rejects.toThrow(/POLYTAIL_READ_MEMORY_LIMIT=lots: expected a size such as 512MB or 2GB/);
  });

  it('caps the read when it is a size, and counts as unset when empty', async () => {
    // DuckDB reports the cap in MiB: 300 MB is 286.1 MiB; unset, a recording this small gets 256 MB (244.1 MiB).
    for (const [value, cap] of [
      ['300MB', '286.1 MiB'],
      ['', '244.1 MiB'],
    ] as const) {
      const store = await withLimit(value, () => RecordingStore.open(NOBEL, { readOnly: true }));
      try {
        const [row] = await store.query(`SELECT current_setting('memory_limit') AS cap`);
        expect(row!.cap).toBe(cap);
        expect((await store.counts()).target_trades).toBe(1500);
      } finally {
        await store.close();
      }
    }
  });
});
