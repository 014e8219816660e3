/** The unmodified clob-client-v2 trading against the sandbox: auth, order types, errors, cancels, balances. */
import { AssetType, ClobClient, OrderType, Side } from '@polymarket/clob-client-v2';
import { Wallet } from 'ethers';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../../src/sandbox/index.ts';
import { TEST_KEY, conditionOf, rejection, seedBook, startTestSandbox, tokenOf, tradingClient } from './helpers.ts';

let sb: Sandbox;
let client: ClobClient;
let yes: string;

beforeAll(async () => {
  sb = await startTestSandbox();
  client = await tradingClient(sb);
});
afterAll(() => sb.stop());
beforeEach(async () => {
  await client.cancelAll();
  sb.state.cancel(sb.state.liveOrders(() => true).map((o) => o.id));
  yes = tokenOf(sb, 'cents-market');
  seedBook(
    sb,
    yes,
    [
      [0.4, 100],
      [0.45, 100],
      [0.48, 50],
    ],
    [
      [0.6, 100],
      [0.55, 100],
      [0.52, 20],
    ],
  );
});

describe('API keys', () => {
  it('creates the key once, then derives the same one', async () => {
    const l1 = new ClobClient({ host: sb.urls.clob, chain: 137, signer: new Wallet(TEST_KEY) });
    const again = await l1.createOrDeriveApiKey();
    const derived = await l1.deriveApiKey();
    expect(again.key).toMatch(/^[0-9a-f-]{36}$/);
    expect(derived).toEqual(again);
  });

  it('answers a wrong HMAC with 401 and the real error text', async () => {
    const creds = {
      key: client.creds!.key,
      secret: Buffer.from('not the secret at all, 32 bytes!').toString('base64'),
      passphrase: client.creds!.passphrase,
    };
    const bad = new ClobClient({ host: sb.urls.clob, chain: 137, signer: new Wallet(TEST_KEY), creds, throwOnError: true });
    const err = await rejection(bad.getOpenOrders());
    expect(err.status).toBe(401);
    expect(err.message).toBe('Unauthorized/Invalid api key');
  });
});

describe('orders', () => {
  it('rests a non-crossing GTC and lists it in getOpenOrders', async () => {
    const res = await client.createAndPostOrder({ tokenID: yes, price: 0.3, size: 10, side: Side.BUY }, undefined, OrderType.GTC);
    expect(res).toMatchObject({ success: true, status: 'live', tradeIDs: [] });
    const open = await client.getOpenOrders({ market: conditionOf(sb, 'cents-market') });
    expect(open.map((o) => o.id)).toEqual([res.orderID]);
    expect(open[0]).toMatchObject({ side: 'BUY', price: '0.3', original_size: '10', size_matched: '0', order_type: 'GTC', status: 'LIVE' });
  });

  it('fills a crossing limit BUY at the makers’ better prices (price improvement to the taker)', async () => {
    const res = await client.createAndPostOrder({ tokenID: yes, price: 0.56, size: 50, side: Side.BUY }, undefined, OrderType.GTC);
    expect(res.status).toBe('matched');
    // 20 @ 0.52 + 30 @ 0.55 = 26.9 USDC, not 50 × 0.56 = 28.
    expect(res.makingAmount).toBe('26.9');
    expect(res.takingAmount).toBe('50');
    expect(res.transactionsHashes).toHaveLength(1);
    const trades = await client.getTrades({ asset_id: yes });
    expect(trades[0]).toMatchObject({
      id: res.tradeIDs![0],
      trader_side: 'TAKER',
      size: '50',
      status: expect.stringMatching(/MINED|CONFIRMED/),
    });
    expect(trades[0]!.maker_orders.map((m) => m.price)).toEqual(['0.52', '0.55']);
  });

  it('rejects a FOK the book cannot fill with the real text', async () => {
    const err = await rejection(
      client.createAndPostMarketOrder(
        { tokenID: yes, amount: 10, price: 0.45, side: Side.BUY, orderType: OrderType.FOK },
        undefined,
        OrderType.FOK,
      ),
    );
    expect(err.status).toBe(400);
    expect(err.message).toBe('no orders found to match with FOK order. FOK orders are fully filled or killed.');
  });

  it('fills a FAK partially and kills the rest', async () => {
    // $100 at up to 0.55: only 20 @ 0.52 + 100 @ 0.55 = $65.4 of asks are in range.
    const res = await client.createAndPostMarketOrder(
      { tokenID: yes, amount: 100, price: 0.55, side: Side.BUY, orderType: OrderType.FAK },
      undefined,
      OrderType.FAK,
    );
    expect(res.status).toBe('matched');
    expect(res.takingAmount).toBe('120');
    expect(res.makingAmount).toBe('65.4');
    expect(await client.getOpenOrders()).toEqual([]);
  });

  it('serves /book with the best price LAST on both sides, as the SDK walks it', async () => {
    const book = await client.getOrderBook(yes);
    expect(book.bids.map((l) => l.price)).toEqual(['0.4', '0.45', '0.48']);
    expect(book.asks.map((l) => l.price)).toEqual(['0.6', '0.55', '0.52']);
    expect(book).toMatchObject({ tick_size: '0.01', min_order_size: '5', neg_risk: false });
  });

  it('buys a dollar amount with createAndPostMarketOrder, priced from /book', async () => {
    const res = await client.createAndPostMarketOrder(
      { tokenID: yes, amount: 10, side: Side.BUY, orderType: OrderType.FOK },
      undefined,
      OrderType.FOK,
    );
    expect(res.status).toBe('matched');
    expect(res.makingAmount).toBe('10');
    expect(Number(res.takingAmount)).toBeCloseTo(10 / 0.52, 4);
  });

  it('rejects a post-only order that would cross', async () => {
    const err = await rejection(
      client.createAndPostOrder({ tokenID: yes, price: 0.52, size: 10, side: Side.BUY }, undefined, OrderType.GTC, true),
    );
    expect(err.message).toBe('invalid post-only order: order crosses book');
  });

  it('accepts a GTD a minute or more ahead and refuses one too close', async () => {
    const soon = Math.floor(Date.now() / 1000) + 30;
    const err = await rejection(
      client.createAndPostOrder({ tokenID: yes, price: 0.3, size: 10, side: Side.BUY, expiration: soon }, undefined, OrderType.GTD),
    );
    expect(err.message).toBe('invalid expiration');
    const later = Math.floor(Date.now() / 1000) + 600;
    const ok = await client.createAndPostOrder(
      { tokenID: yes, price: 0.3, size: 10, side: Side.BUY, expiration: later },
      undefined,
      OrderType.GTD,
    );
    expect((await client.getOrder(ok.orderID!)).order_type).toBe('GTD');
  });

  it('cancels one order, then all', async () => {
    const a = await client.createAndPostOrder({ tokenID: yes, price: 0.3, size: 10, side: Side.BUY }, undefined, OrderType.GTC);
    const b = await client.createAndPostOrder({ tokenID: yes, price: 0.31, size: 10, side: Side.BUY }, undefined, OrderType.GTC);
    expect(await client.cancelOrder({ orderID: a.orderID! })).toEqual({ canceled: [a.orderID], not_canceled: {} });
    expect(await client.cancelAll()).toEqual({ canceled: [b.orderID], not_canceled: {} });
    expect(await client.getOpenOrders()).toEqual([]);
  });

  it('posts a batch with per-order errors inside the 200 array, and cancels by market', async () => {
    const good = await client.createOrder({ tokenID: yes, price: 0.3, size: 10, side: Side.BUY });
    const small = await client.createOrder({ tokenID: yes, price: 0.3, size: 2, side: Side.BUY });
    const res = (await client.postOrders([
      { order: good, orderType: OrderType.GTC },
      { order: small, orderType: OrderType.GTC },
    ])) as unknown as Record<string, unknown>[];
    expect(res[0]).toMatchObject({ success: true, status: 'live' });
    expect(res[1]).toMatchObject({ success: true, orderID: '', errorMsg: expect.stringMatching(/Size \(2\) lower than the minimum: 5$/) });
    const out = await client.cancelMarketOrders({ market: conditionOf(sb, 'cents-market') });
    expect(out.canceled).toEqual([res[0]!.orderID]);
  });

  it('signs neg-risk orders for the neg-risk exchange and accepts them', async () => {
    const token = tokenOf(sb, 'neg-risk-market');
    const res = await client.createAndPostOrder({ tokenID: token, price: 0.2, size: 5, side: Side.BUY }, undefined, OrderType.GTC);
    expect(res.status).toBe('live');
  });
});

describe('exchange rule errors (real texts)', () => {
  it('tick: a 0.01-tick price on a market whose tick grew is refused by the server', async () => {
    const fresh = await tradingClient(sb);
    const mills = tokenOf(sb, 'mills-market');
    const err = await rejection(
      fresh
        .createAndPostOrder({ tokenID: mills, price: 0.305, size: 10, side: Side.BUY }, { tickSize: '0.001' }, OrderType.GTC)
        .then(async () => {
          sb.state.setTickSize(conditionOf(sb, 'mills-market'), 10_000);
          // The SDK caches the old tick forever, so it signs 0.305 and the server must catch it.
          return fresh.createAndPostOrder({ tokenID: mills, price: 0.305, size: 10, side: Side.BUY }, undefined, OrderType.GTC);
        }),
    );
    sb.state.setTickSize(conditionOf(sb, 'mills-market'), 1_000);
    expect(err.message).toMatch(/^order 0x[0-9a-f]{64} is invalid\. Price \(0\.305\) breaks minimum tick size rule: 0\.01$/);
  });

  it('min size', async () => {
    const err = await rejection(client.createAndPostOrder({ tokenID: yes, price: 0.3, size: 4, side: Side.BUY }, undefined, OrderType.GTC));
    expect(err.message).toMatch(/^order 0x[0-9a-f]{64} is invalid\. Size \(4\) lower than the minimum: 5$/);
  });

  it('precision: a limit order posted as FOK carries too many maker decimals', async () => {
    const order = await client.createOrder({ tokenID: yes, price: 0.57, size: 33.33, side: Side.BUY });
    const err = await rejection(client.postOrder(order, OrderType.FOK));
    expect(err.message).toBe(
      'invalid amounts, the market buy orders maker amount supports a max accuracy of 2 decimals, taker amount a max of 4 decimals',
    );
  });

  it('balance: more than the wallet holds', async () => {
    const err = await rejection(
      client.createAndPostOrder({ tokenID: yes, price: 0.3, size: 100_000, side: Side.BUY }, undefined, OrderType.GTC),
    );
    expect(err.message).toBe('not enough balance / allowance');
  });
});

describe('balances', () => {
  it('reports collateral and conditional balances that move with fills', async () => {
    const before = await client.getBalanceAllowance({ asset_type: AssetType.COLLATERAL });
    await client.createAndPostOrder({ tokenID: yes, price: 0.52, size: 10, side: Side.BUY }, undefined, OrderType.GTC);
    const after = await client.getBalanceAllowance({ asset_type: AssetType.COLLATERAL });
    expect(Number(before.balance) - Number(after.balance)).toBe(5_200_000);
    const shares = await client.getBalanceAllowance({ asset_type: AssetType.CONDITIONAL, token_id: yes });
    expect(Number(shares.balance)).toBeGreaterThanOrEqual(10_000_000);
    expect(Object.keys((after as unknown as { allowances: object }).allowances)).toContain('0xE111180000d2663C0091e4f400237545B87B996B');
  });
});
