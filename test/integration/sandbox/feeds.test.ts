/** Feeds over the same state: RTDS with the official client, the market WS, Data API, Gamma, resolution. */
import { OrderType, Side, type ClobClient } from '@polymarket/clob-client-v2';
import { RealTimeDataClient } from '@polymarket/real-time-data-client';
import { Wallet } from 'ethers';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Sandbox } from '../../../src/sandbox/index.ts';
import { WAIT_MS, waitUntil } from '../../helpers/wait.ts';
import { TEST_KEY, conditionOf, getJson, seedBook, startTestSandbox, tokenOf, tradingClient } from './helpers.ts';

let sb: Sandbox;
let client: ClobClient;
const me = new Wallet(TEST_KEY).address.toLowerCase();

beforeAll(async () => {
  sb = await startTestSandbox();
  client = await tradingClient(sb);
});
afterAll(() => sb.stop());

/** Collects parsed frames of a raw socket; resolves `until` once a predicate matches. */
function collect(ws: WebSocket) {
  const frames: unknown[] = [];
  const waiters: { pred: (f: unknown) => boolean; resolve: (f: unknown) => void }[] = [];
  ws.on('message', (d) => {
    const text = d.toString();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
    for (const f of Array.isArray(parsed) ? parsed : [parsed]) {
      frames.push(f);
      for (const w of [...waiters]) if (w.pred(f)) (waiters.splice(waiters.indexOf(w), 1), w.resolve(f));
    }
  });
  const until = (pred: (f: unknown) => boolean, ms = WAIT_MS) =>
    new Promise<unknown>((resolve, reject) => {
      const hit = frames.find(pred);
      if (hit) return resolve(hit);
      const t = setTimeout(() => reject(new Error(`no matching frame in ${ms} ms; got ${JSON.stringify(frames).slice(0, 500)}`)), ms);
      waiters.push({ pred, resolve: (f) => (clearTimeout(t), resolve(f)) });
    });
  return { frames, until };
}

const opened = (ws: WebSocket) => new Promise((r) => ws.once('open', r));

describe('RTDS with @polymarket/real-time-data-client', () => {
  it('delivers activity/trades frames for both sides of a fill, with no user filter', async () => {
    const token = tokenOf(sb, 'cents-market');
    seedBook(sb, token, [], [[0.55, 100]]);
    const got: { topic: string; type: string; payload: Record<string, unknown> }[] = [];
    vi.spyOn(console, 'log').mockImplementation(() => {}); // the client logs every non-payload frame (our "pong")
    let rt!: RealTimeDataClient;
    const connected = new Promise<void>((resolve) => {
      rt = new RealTimeDataClient({
        host: sb.urls.rtds,
        onConnect: (c) => {
          c.subscribe({ subscriptions: [{ topic: 'activity', type: 'trades' }] });
          resolve();
        },
        onMessage: (_c, m) => got.push(m as never),
      });
      rt.connect();
    });
    await connected;
    await waitUntil(() => sb.subscribers().rtds >= 1, 'the sandbox to register the subscription');
    const res = await client.createAndPostOrder({ tokenID: token, price: 0.55, size: 10, side: Side.BUY }, undefined, OrderType.GTC);
    await waitUntil(() => got.length >= 2, 'both sides of the fill');
    const mine = got.find((m) => m.payload.proxyWallet === me)!;
    expect(mine).toMatchObject({ topic: 'activity', type: 'trades' });
    expect(mine.payload).toMatchObject({
      asset: token,
      conditionId: conditionOf(sb, 'cents-market'),
      side: 'BUY',
      price: 0.55,
      size: 10,
      outcome: 'Yes',
      outcomeIndex: 0,
      slug: 'cents-market',
    });
    expect(mine.payload.transactionHash).toBe(res.transactionsHashes![0]);
    expect(got.some((m) => m.payload.side === 'SELL' && m.payload.proxyWallet !== me)).toBe(true);
    expect(got.every((m) => m.type === 'trades')).toBe(true);
    rt.disconnect();
  });
});

describe('CLOB market WS', () => {
  it('sends a book snapshot on subscribe, price_change on new orders, last_trade_price on fills, PONG to PING', async () => {
    const token = tokenOf(sb, 'mills-market');
    seedBook(sb, token, [[0.29, 100]], [[0.31, 100]]);
    const ws = new WebSocket(sb.urls.marketWs);
    const feed = collect(ws);
    await opened(ws);
    ws.send(JSON.stringify({ assets_ids: [token], type: 'market', custom_feature_enabled: true }));
    const book = (await feed.until((f) => (f as { event_type?: string }).event_type === 'book')) as Record<string, unknown>;
    expect(book).toMatchObject({
      asset_id: token,
      bids: [{ price: '0.29', size: '100' }],
      asks: [{ price: '0.31', size: '100' }],
      tick_size: '0.001',
    });
    expect(book.hash).toMatch(/^[0-9a-f]{40}$/);

    await client.createAndPostOrder({ tokenID: token, price: 0.295, size: 20, side: Side.BUY }, undefined, OrderType.GTC);
    const pc = (await feed.until((f) => (f as { event_type?: string }).event_type === 'price_change')) as {
      price_changes: Record<string, string>[];
    };
    expect(pc.price_changes[0]).toMatchObject({
      asset_id: token,
      price: '0.295',
      size: '20',
      side: 'BUY',
      best_bid: '0.295',
      best_ask: '0.31',
    });

    await client.createAndPostOrder({ tokenID: token, price: 0.31, size: 5, side: Side.BUY }, undefined, OrderType.GTC);
    const ltp = await feed.until((f) => (f as { event_type?: string }).event_type === 'last_trade_price');
    expect(ltp).toMatchObject({ asset_id: token, price: '0.31', side: 'BUY', size: '5' });

    ws.send('PING');
    await feed.until((f) => f === 'PONG');
    ws.close();
  });

  it('closes a socket that pings before subscribing (1008)', async () => {
    const ws = new WebSocket(sb.urls.marketWs);
    await opened(ws);
    const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
    ws.send('PING');
    expect(await closed).toBe(1008);
  });
});

describe('Data API and Gamma', () => {
  it('shows my fill in /activity, /trades and /positions with the real field names', async () => {
    const token = tokenOf(sb, 'neg-risk-market');
    seedBook(sb, token, [], [[0.42, 50]]);
    const res = await client.createAndPostOrder({ tokenID: token, price: 0.42, size: 12, side: Side.BUY }, undefined, OrderType.GTC);
    const activity = (await getJson(`${sb.urls.data}/activity?user=${me}&limit=50`)) as Record<string, unknown>[];
    const row = activity.find((a) => a.transactionHash === res.transactionsHashes![0])!;
    expect(row).toMatchObject({
      proxyWallet: me,
      type: 'TRADE',
      side: 'BUY',
      size: 12,
      price: 0.42,
      usdcSize: 5.04,
      asset: token,
      outcome: 'Yes',
      outcomeIndex: 0,
      slug: 'neg-risk-market',
    });
    expect(typeof row.timestamp).toBe('number');
    const trades = (await getJson(`${sb.urls.data}/trades?user=${me}`)) as Record<string, unknown>[];
    expect(trades.some((t) => t.transactionHash === row.transactionHash && !('type' in t))).toBe(true);
    const positions = (await getJson(`${sb.urls.data}/positions?user=${me}`)) as Record<string, unknown>[];
    expect(positions.find((p) => p.asset === token)).toMatchObject({
      size: 12,
      avgPrice: 0.42,
      redeemable: false,
      negativeRisk: true,
      oppositeOutcome: 'No',
    });
  });

  it('serves offsets past the cap as the capped page again (the real export quirk)', async () => {
    const capped = await startTestSandbox({ dataApi: { offsetCap: 2, offsetCapMode: 'repeat' } });
    try {
      const token = tokenOf(capped, 'cents-market');
      seedBook(capped, token, [], [[0.5, 100]]);
      const c = await tradingClient(capped);
      for (const size of [5, 6, 7, 8, 9])
        await c.createAndPostOrder({ tokenID: token, price: 0.5, size, side: Side.BUY }, undefined, OrderType.GTC);
      const all = (await getJson(`${capped.urls.data}/activity?user=${me}&limit=100`)) as { size: number }[];
      expect(all.map((a) => a.size)).toEqual([9, 8, 7, 6, 5]); // newest first, five distinct rows
      const at = async (offset: number) =>
        ((await getJson(`${capped.urls.data}/activity?user=${me}&limit=1&offset=${offset}`)) as { size: number }[]).map((a) => a.size);
      expect(await at(1)).toEqual([8]);
      expect(await at(2)).toEqual([7]);
      // Past the cap the API does not page on: offsets 3 and 4 serve the capped page (row 2) again.
      expect(await at(3)).toEqual([7]);
      expect(await at(4)).toEqual([7]);
    } finally {
      await capped.stop();
    }
  });

  it('shows resolution in Gamma outcomePrices/closed and in positions redeemable', async () => {
    const cid = conditionOf(sb, 'neg-risk-market');
    const res = await fetch(`${sb.urls.admin}/resolve`, { method: 'POST', body: JSON.stringify({ conditionId: cid, winner: 0 }) });
    expect(res.status).toBe(200);
    const [market] = (await getJson(`${sb.urls.gamma}/markets?condition_ids=${cid}`)) as Record<string, unknown>[];
    expect(market).toMatchObject({ closed: true, acceptingOrders: false, umaResolutionStatus: 'resolved', outcomePrices: '["1", "0"]' });
    expect(JSON.parse(market!.clobTokenIds as string)).toEqual([tokenOf(sb, 'neg-risk-market'), tokenOf(sb, 'neg-risk-market', 1)]);
    const redeemable = (await getJson(`${sb.urls.data}/positions?user=${me}&redeemable=true`)) as Record<string, unknown>[];
    expect(redeemable.find((p) => p.conditionId === cid)).toMatchObject({ redeemable: true, curPrice: 1 });
    const book = await fetch(`${sb.urls.clob}/book?token_id=${tokenOf(sb, 'neg-risk-market')}`);
    expect(book.status).toBe(404);
  });
});
