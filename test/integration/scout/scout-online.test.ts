/**
 * Online scouting against the sandbox's Data API: the leaderboard (v1 array and v2 envelope), each
 * wallet's trades paged (v1 by time, v2 by cursor) through a 429 with Retry-After, cached into a DuckDB
 * recording that a second run reads without the network, then scored like any recording.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/config.ts';
import { fetchOnlineRecording } from '../../../src/modes/scout/online.ts';
import { runScout } from '../../../src/modes/scout/scout.ts';
import { runReplay } from '../../../src/modes/replay.ts';
import type { OrderEvent } from '../../../src/core/events.ts';
import type { Sandbox } from '../../../src/sandbox/index.ts';
import { RecordingStore } from '../../../src/store/index.ts';
import { WHALE, startFastSandbox, tempDataDir } from '../modes/helpers.ts';
import { waitUntil } from '../../helpers/wait.ts';

let sb: Sandbox;
let dataUrl: string;

interface TradeRow {
  proxyWallet: string;
  side: string;
  asset: string;
  size: number;
  price: number;
  transactionHash: string;
}

async function dataApi<T>(path: string): Promise<T> {
  return (await (await fetch(`${dataUrl}${path}`)).json()) as T;
}

beforeAll(async () => {
  sb = await startFastSandbox();
  dataUrl = sb.urls.data;
  await waitUntil(async () => (await dataApi<unknown[]>(`/trades?user=${WHALE}&limit=1000`)).length >= 30, 'the whale to trade 30 times', {
    timeoutMs: 90_000,
    intervalMs: 200,
  });
  sb.flow.stop();
  // The Data API shows a fill once it is mined: wait until every fill is, so both reads see the same ledger.
  await waitUntil(() => sb.state.ledger.every((f) => f.settledAtMs <= sb.ctx.now()), 'every sandbox fill to be mined');
}, 120_000);
afterAll(async () => {
  await sb?.stop();
});

async function tradesIn(path: string): Promise<Map<string, string[]>> {
  const store = await RecordingStore.open(path, { readOnly: true });
  try {
    const rows = await store.query('SELECT wallet, dedup_key FROM target_trades ORDER BY wallet, dedup_key');
    const out = new Map<string, string[]>();
    for (const r of rows) out.set(String(r.wallet), [...(out.get(String(r.wallet)) ?? []), String(r.dedup_key)]);
    return out;
  } finally {
    await store.close();
  }
}

describe('polytail scout --online against the sandbox', () => {
  it('fetches the leaderboard’s wallets and all their trades, v1 and v2 alike, through a 429', async () => {
    const dir = tempDataDir();
    const nowSec = Math.floor(Date.now() / 1000) + 5;
    const v1Board = await dataApi<{ proxyWallet: string; pnl: number }[]>('/v1/leaderboard?timePeriod=DAY&orderBy=PNL&limit=3');
    expect(v1Board).toHaveLength(3);
    expect(v1Board.map((r) => r.pnl)).toEqual([...v1Board.map((r) => r.pnl)].sort((a, b) => b - a));
    await fetch(`${sb.urls.admin}/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'http', path: '/v1/leaderboard', status: 429, retryAfterSec: 0.2, times: 1 }),
    });
    const retries: number[] = [];
    const common = {
      dataUrl,
      period: 'day' as const,
      orderBy: 'pnl' as const,
      top: 3,
      sinceSec: nowSec - 86_400,
      untilSec: nowSec,
      minGapMs: 5,
    };
    const v1 = await fetchOnlineRecording({
      ...common,
      version: 'v1',
      cachePath: join(dir, 'v1.duckdb'),
      http: { onRetry: (r) => retries.push(r.status) },
    });
    expect(retries).toEqual([429]);
    expect(v1.fromCache).toBe(false);
    expect(v1.wallets.map((w) => w.wallet)).toEqual(v1Board.map((r) => r.proxyWallet));
    const v2 = await fetchOnlineRecording({ ...common, version: 'v2', cachePath: join(dir, 'v2.duckdb') });
    expect(v2.wallets.map((w) => w.wallet)).toEqual(v1.wallets.map((w) => w.wallet));

    // Every trade the Data API holds for each wallet is in the recording once, whichever shape was read.
    const recorded = await tradesIn(v1.path);
    expect(await tradesIn(v2.path)).toEqual(recorded);
    for (const { wallet } of v1.wallets) {
      const api = await dataApi<TradeRow[]>(`/trades?user=${wallet}&takerOnly=false&limit=10000`);
      expect(recorded.get(wallet) ?? []).toHaveLength(api.length);
    }
    expect(v1.trades).toBeGreaterThanOrEqual(30);
  }, 120_000);

  it('a second run reads the cache and asks the network nothing; the cache scores like a recording', async () => {
    const dir = tempDataDir();
    const nowSec = Math.floor(Date.now() / 1000) + 5;
    const options = {
      dataUrl,
      version: 'v2' as const,
      period: 'day' as const,
      orderBy: 'vol' as const,
      top: 2,
      sinceSec: nowSec - 86_400,
      untilSec: nowSec,
      cachePath: join(dir, 'cache.duckdb'),
      minGapMs: 5,
    };
    const first = await fetchOnlineRecording(options);
    expect(first.requests).toBeGreaterThan(2);
    const again = await fetchOnlineRecording({ ...options, dataUrl: 'http://127.0.0.1:9', http: { attempts: 1 } });
    expect(again).toMatchObject({ fromCache: true, requests: 0, trades: first.trades });
    expect(again.wallets).toEqual(first.wallets);
    const scouted = await runScout({
      recording: first.path,
      config: parseConfig({}),
      wallets: first.wallets.map((w) => w.wallet),
      top: 2,
      delaysS: [0, 2],
      train: 0.7,
    });
    expect(scouted.rows).toHaveLength(2);
    expect(scouted.fillModel).toBe('print-book');
    for (const row of scouted.rows) expect(row.train.trades + row.test.trades).toBeGreaterThan(0);
  }, 120_000);

  it('reads each traded market from Gamma: its rules, and its resolution, so followers settle', async () => {
    // One market of the whale resolves (its first outcome wins); the other stays open.
    const resolved = [...sb.state.markets.values()].find((m) => m.slug === 'fast-market-a')!;
    const open = [...sb.state.markets.values()].find((m) => m.slug === 'fast-market-b')!;
    const res = await fetch(`${sb.urls.admin}/resolve`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ slug: resolved.slug, winner: 0 }),
    });
    expect(res.status).toBe(200);
    const dir = tempDataDir();
    const nowSec = Math.floor(Date.now() / 1000) + 5;
    const fetched = await fetchOnlineRecording({
      dataUrl,
      gammaUrl: sb.urls.gamma,
      version: 'v1',
      period: 'day',
      orderBy: 'vol',
      top: 2,
      sinceSec: nowSec - 86_400,
      untilSec: nowSec,
      cachePath: join(dir, 'resolved.duckdb'),
      minGapMs: 5,
    });
    expect(fetched).toMatchObject({ markets: 2, marketsFromGamma: 2, resolutions: 1 });
    const store = await RecordingStore.open(fetched.path, { readOnly: true });
    const markets = await store.query('SELECT condition_id, tick_micros, fee_rate, inferred FROM markets ORDER BY condition_id');
    const resolutions = await store.query('SELECT condition_id, payouts, ts_recv FROM resolutions');
    const lastTrade = await store.query('SELECT max(ts_recv) AS ts FROM target_trades WHERE condition_id = ?', [resolved.conditionId]);
    await store.close();
    // Gamma's rules, not the inferred defaults: the 0.001 tick and the 2% taker fee of the open market.
    const byId = new Map(markets.map((m) => [String(m.condition_id), m]));
    expect(byId.get(open.conditionId)).toMatchObject({ tick_micros: 1_000, fee_rate: 0.02, inferred: false });
    expect(byId.get(resolved.conditionId)).toMatchObject({ tick_micros: 10_000, inferred: false });
    expect(resolutions.map((r) => [String(r.condition_id), JSON.parse(String(r.payouts))])).toEqual([
      [resolved.conditionId, { [resolved.tokenIds[0]]: 1_000_000, [resolved.tokenIds[1]]: 0 }],
    ]);
    expect(Number(resolutions[0]!.ts_recv)).toBeGreaterThan(Number(lastTrade[0]!.ts));

    // A follower's positions in the resolved market settle at the payout: nothing of it is left open.
    const scouted = await runScout({
      recording: fetched.path,
      config: parseConfig({}),
      wallets: [WHALE],
      top: 1,
      delaysS: [0],
      train: 0.5,
    });
    expect(scouted.rows[0]!.test.fills + scouted.rows[0]!.train.fills).toBeGreaterThan(0);
    const bought: string[] = [];
    const listener = { onOrderEvent: (e: OrderEvent) => void ('fill' in e && e.fill.side === 'BUY' && bought.push(e.fill.tokenId)) };
    const { engine } = await runReplay({
      recording: fetched.path,
      config: parseConfig({}),
      targets: [WHALE],
      save: false,
      listeners: [listener],
    });
    expect(bought.filter((t) => resolved.tokenIds.includes(t)).length).toBeGreaterThan(0);
    const positions = engine.snapshot().positions;
    expect(positions.filter((p) => resolved.tokenIds.includes(p.tokenId) && p.sizeMicros > 0 && !p.settled)).toEqual([]);
    expect(positions.some((p) => open.tokenIds.includes(p.tokenId) && p.sizeMicros > 0 && !p.settled)).toBe(true);
  }, 120_000);
});
