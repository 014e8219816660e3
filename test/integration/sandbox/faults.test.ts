/** Fault injection seen through the real SDK and raw clients. */
import { AssetType, ClobClient, OrderType, Side } from '@polymarket/clob-client-v2';
import { Wallet } from 'ethers';
import WebSocket from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../../src/sandbox/index.ts';
import { waitUntil } from '../../helpers/wait.ts';
import { TEST_KEY, getJson, rejection, seedBook, startTestSandbox, tokenOf, tradingClient } from './helpers.ts';

let sb: Sandbox;
let client: ClobClient;
let yes: string;

const fault = (body: unknown) => fetch(`${sb.urls.admin}/faults`, { method: 'POST', body: JSON.stringify(body) });

beforeAll(async () => {
  sb = await startTestSandbox();
  client = await tradingClient(sb);
  yes = tokenOf(sb, 'cents-market');
  seedBook(sb, yes, [[0.45, 1000]], [[0.55, 1000]]);
});
afterAll(() => sb.stop());
afterEach(async () => {
  await fetch(`${sb.urls.admin}/faults`, { method: 'DELETE' });
});

describe('HTTP faults', () => {
  it('429 with Retry-After: the SDK sees status 429, a raw client sees the header; fires `times` only', async () => {
    expect((await fault({ kind: 'http', path: '/order', method: 'POST', status: 429, retryAfterSec: 3, times: 1 })).status).toBe(200);
    const err = await rejection(client.createAndPostOrder({ tokenID: yes, price: 0.3, size: 5, side: Side.BUY }, undefined, OrderType.GTC));
    expect(err.status).toBe(429);
    expect(err.message).toBe('Too Many Requests');
    const ok = await client.createAndPostOrder({ tokenID: yes, price: 0.3, size: 5, side: Side.BUY }, undefined, OrderType.GTC);
    expect(ok.success).toBe(true);
    await fault({ kind: 'http', path: '/book', status: 429, retryAfterSec: 7, times: 1 });
    const raw = await fetch(`${sb.urls.clob}/book?token_id=${yes}`);
    expect(raw.status).toBe(429);
    expect(raw.headers.get('retry-after')).toBe('7');
  });

  it('5xx: the order is not placed', async () => {
    await client.cancelAll();
    await fault({ kind: 'http', path: '/order', method: 'POST', status: 500, times: 1 });
    const err = await rejection(
      client.createAndPostOrder({ tokenID: yes, price: 0.31, size: 5, side: Side.BUY }, undefined, OrderType.GTC),
    );
    expect(err.status).toBe(500);
    expect(await client.getOpenOrders()).toEqual([]);
  });

  it('425 with an empty body surfaces without a status, like the real one', async () => {
    await fault({ kind: 'http', path: '/order', method: 'POST', status: 425, times: 1 });
    const err = await rejection(
      client.createAndPostOrder({ tokenID: yes, price: 0.31, size: 5, side: Side.BUY }, undefined, OrderType.GTC),
    );
    expect(err.status).toBeUndefined();
  });

  it('order timeout: the response never arrives, but the fill is in /data/trades afterwards', async () => {
    await fault({ kind: 'order-timeout', times: 1 });
    const before = (await client.getTrades({ asset_id: yes })).length;
    const pending = client.createAndPostOrder({ tokenID: yes, price: 0.55, size: 7, side: Side.BUY }, undefined, OrderType.GTC);
    let answered = false;
    pending.then(
      () => (answered = true),
      () => {}, // rejected with "socket hang up" when the sandbox stops
    );
    await waitUntil(async () => (await client.getTrades({ asset_id: yes })).length === before + 1, 'the fill in /data/trades');
    expect(answered).toBe(false); // the order executed, its answer never came
    const trades = await client.getTrades({ asset_id: yes });
    expect(trades.length).toBe(before + 1);
    expect(trades[0]).toMatchObject({ side: 'BUY', size: '7', price: '0.55' });
  });

  it('post-only mode: 503 with retry_after_seconds in the body; cancel-only refuses new orders but cancels', async () => {
    await fault({ kind: 'mode', mode: 'post-only', retryAfterSec: 79 });
    const err = await rejection(client.createAndPostOrder({ tokenID: yes, price: 0.3, size: 5, side: Side.BUY }, undefined, OrderType.GTC));
    expect(err.status).toBe(503);
    expect(err.data).toMatchObject({ code: 'post_only_mode', retry_after_seconds: 79 });
    const post = await client.createAndPostOrder({ tokenID: yes, price: 0.3, size: 5, side: Side.BUY }, undefined, OrderType.GTC, true);
    expect(post.status).toBe('live');
    await fault({ kind: 'mode', mode: 'cancel-only' });
    const refused = await rejection(
      client.createAndPostOrder({ tokenID: yes, price: 0.3, size: 5, side: Side.BUY }, undefined, OrderType.GTC, true),
    );
    expect(refused.message).toBe('Trading is currently cancel-only. New orders are not accepted, but cancels are allowed.');
    expect((await client.cancelOrder({ orderID: post.orderID! })).canceled).toEqual([post.orderID]);
  });
});

describe('doctor failures', () => {
  it('geoblock, clock skew, bad credentials and zero balance', async () => {
    expect(await getJson(`${sb.urls.web}/api/geoblock`)).toMatchObject({ blocked: false });
    await fault([
      { kind: 'geoblock', blocked: true, country: 'US', region: 'NY' },
      { kind: 'clock-skew', ms: 120_000 },
    ]);
    expect(await getJson(`${sb.urls.web}/api/geoblock`)).toEqual({ blocked: true, ip: '127.0.0.1', country: 'US', region: 'NY' });
    const serverTime = await client.getServerTime();
    expect(serverTime - Math.floor(Date.now() / 1000)).toBeGreaterThanOrEqual(110);

    await fault({ kind: 'zero-balance' });
    const bal = await client.getBalanceAllowance({ asset_type: AssetType.COLLATERAL });
    expect(bal.balance).toBe('0');
    expect(Object.values((bal as unknown as { allowances: Record<string, string> }).allowances)).toEqual(['0', '0', '0']);

    await fault({ kind: 'bad-credentials' });
    expect((await rejection(client.getOpenOrders())).status).toBe(401);
    const l1 = new ClobClient({ host: sb.urls.clob, chain: 137, signer: new Wallet(TEST_KEY) });
    const creds = await l1.createOrDeriveApiKey();
    expect(creds.key).toBeUndefined();
  });

  it('rejects an invalid fault with the field that is wrong', async () => {
    const res = await fault({ kind: 'http', status: 200 });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/status/);
  });
});

describe('WebSocket faults', () => {
  async function subscribed() {
    const ws = new WebSocket(sb.urls.marketWs);
    const frames: string[] = [];
    ws.on('message', (d) => frames.push(d.toString()));
    await new Promise((r) => ws.once('open', r));
    ws.send(JSON.stringify({ assets_ids: [yes], type: 'market' }));
    await new Promise<void>((r) => {
      const t = setInterval(() => frames.length > 0 && (clearInterval(t), r()), 10);
    });
    frames.length = 0;
    const pong = () =>
      new Promise<void>((r) => {
        const t = setInterval(() => frames.includes('PONG') && (clearInterval(t), r()), 10);
        ws.send('PING');
      });
    return { ws, frames, pong };
  }

  it('stall: frames stop while the socket stays open and PONGs continue', async () => {
    const { ws, frames, pong } = await subscribed();
    await fault({ kind: 'ws-stall', channel: 'market' });
    await client.createAndPostOrder({ tokenID: yes, price: 0.2, size: 5, side: Side.BUY }, undefined, OrderType.GTC);
    await pong();
    expect(frames).toEqual(['PONG']);
    ws.close();
  });

  it('duplicate and malformed frames', async () => {
    const { ws, frames, pong } = await subscribed();
    await fault({ kind: 'ws-duplicate', channel: 'market', probability: 1 });
    await client.createAndPostOrder({ tokenID: yes, price: 0.21, size: 5, side: Side.BUY }, undefined, OrderType.GTC);
    await pong();
    const data = frames.filter((f) => f !== 'PONG');
    expect(data.length).toBe(2);
    expect(data[0]).toBe(data[1]);
    await fetch(`${sb.urls.admin}/faults`, { method: 'DELETE' });
    await fault({ kind: 'ws-malformed', channel: 'market', probability: 1 });
    frames.length = 0;
    await client.createAndPostOrder({ tokenID: yes, price: 0.22, size: 5, side: Side.BUY }, undefined, OrderType.GTC);
    await pong();
    expect(() => JSON.parse(frames[0]!)).toThrow();
    ws.close();
  });

  it('drop: the server cuts the socket (1006 on the client)', async () => {
    const { ws } = await subscribed();
    const closed = new Promise<number>((r) => ws.once('close', (c) => r(c)));
    await fault({ kind: 'ws-drop', channel: 'all' });
    expect(await closed).toBe(1006);
  });
});
