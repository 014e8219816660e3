/**
 * `runScout` on the bundled Nobel recording (print-only: the print-book model), checked against the
 * recording itself through SQL: who is busiest, how each wallet's trades split in time, the held-out
 * target PnL of wallets that only bought (every market resolves right after the tape), concentration.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { parseConfig } from '../../../src/config/config.ts';
import { runScout, type ScoutResult } from '../../../src/modes/scout/scout.ts';
import { RecordingStore } from '../../../src/store/index.ts';

const NOBEL = join(import.meta.dirname, '../../../recordings/nobel-peace-prize-2025.duckdb');

let result: ScoutResult;
let store: RecordingStore;

beforeAll(async () => {
  result = await runScout({ recording: NOBEL, config: parseConfig({}), top: 10, delaysS: [0, 2, 10, 30], train: 0.7 });
  store = await RecordingStore.open(NOBEL, { readOnly: true });
  return () => store.close();
}, 180_000);

interface TradeRow {
  ts: number;
  side: string;
  token: string;
  cond: string;
  size: number;
  price: number;
  usdc: number;
}

async function tradesOf(wallet: string): Promise<TradeRow[]> {
  const rows = await store.query(
    `SELECT ts_recv AS ts, side, token_id AS token, condition_id AS cond, size_micros AS size, price_micros AS price, usdc_micros AS usdc
       FROM target_trades WHERE wallet = '${wallet}' ORDER BY ts_recv`,
  );
  return rows.map((r) => ({
    ts: Number(r.ts),
    side: String(r.side),
    token: String(r.token),
    cond: String(r.cond),
    size: Number(r.size),
    price: Number(r.price),
    usdc: Number(r.usdc),
  }));
}

describe('polytail scout on the Nobel recording', () => {
  it('scores the ten busiest wallets at every delay, with the print-book model', async () => {
    const busiest = (await store.walletStats(10)).map((s) => s.wallet);
    expect(result.rows.map((r) => r.wallet).sort()).toEqual([...busiest].sort());
    expect(result).toMatchObject({ fillModel: 'print-book', delaysS: [0, 2, 10, 30], rankDelayS: 2, candidates: 'busiest' });
    for (const row of result.rows) expect(row.test.followerPnl.map((p) => p.delayS)).toEqual([0, 2, 10, 30]);
    const scores = result.rows.map((r) => r.trainScore);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it("splits each wallet's trades in time: the first 70% train, the rest held out", async () => {
    for (const row of result.rows) {
      const trades = await tradesOf(row.wallet);
      const split = trades[Math.ceil(0.7 * trades.length)]!.ts;
      expect(row.train.trades).toBe(trades.filter((t) => t.ts < split).length);
      expect(row.test.trades).toBe(trades.filter((t) => t.ts >= split).length);
    }
  });

  it('reports the held-out target PnL, markets and concentration the recording implies', async () => {
    const payouts = new Map<string, number>();
    for (const r of await store.query('SELECT payouts FROM resolutions'))
      for (const [token, p] of Object.entries(JSON.parse(String(r.payouts)) as Record<string, number>)) payouts.set(token, Number(p));
    let checked = 0;
    for (const row of result.rows) {
      const trades = await tradesOf(row.wallet);
      const held = trades.filter((t) => t.ts >= trades[Math.ceil(0.7 * trades.length)]!.ts);
      const byMarket = new Map<string, number>();
      for (const t of held) byMarket.set(t.cond, (byMarket.get(t.cond) ?? 0) + t.usdc);
      const volume = [...byMarket.values()].reduce((a, b) => a + b, 0);
      expect(row.test.markets).toBe(byMarket.size);
      if (volume > 0) expect(row.test.topMarketShare).toBeCloseTo(Math.max(...byMarket.values()) / volume, 4);
      if (held.length === 0 || held.some((t) => t.side === 'SELL')) continue;
      // Only BUYs, all settled: PnL = Σ shares × payout − Σ shares × price.
      const pnl = held.reduce((a, t) => a + (t.size * (payouts.get(t.token) ?? 0)) / 1e6 - (t.size * t.price) / 1e6, 0);
      expect(row.test.targetPnl).toBeCloseTo(pnl / 1e6, 4);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(3);
  });

  it('says what each number rests on and never skips more trades than it saw', () => {
    for (const row of result.rows) {
      for (const part of [row.train, row.test]) {
        const skipped = Object.values(part.skipped).reduce((a, b) => a + b, 0);
        expect(skipped).toBeLessThanOrEqual(part.trades);
        if (part.trades === 0) expect(part.followerPnl.every((p) => p.pnl === 0)).toBe(true);
      }
    }
  });

  it('is deterministic: the same recording and settings give the same numbers', async () => {
    const again = await runScout({ recording: NOBEL, config: parseConfig({}), top: 3, delaysS: [0, 2, 10, 30], train: 0.7 });
    expect(again.rows).toHaveLength(3);
    for (const row of again.rows) {
      const first = result.rows.find((r) => r.wallet === row.wallet)!;
      expect({ ...row, rank: 0 }).toEqual({ ...first, rank: 0 });
    }
  }, 120_000);
});
