/** ClobVenue with the real SDK against the sandbox: every order type and the OrderEvents it yields. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OrderFilled, OrderPartiallyFilled } from '../../../src/core/events.ts';
import type { Sandbox } from '../../../src/sandbox/index.ts';
import { makerTakerAmounts } from '../../../src/polymarket/order-rules.ts';
import { type Harness, conditionOf, order, seedBook, startTestSandbox, tokenOf, types, venueFor } from './helpers.ts';

let sb: Sandbox;
let h: Harness;
let yes: string;
let cid: string;

beforeAll(async () => {
  sb = await startTestSandbox();
  h = await venueFor(sb);
  yes = tokenOf(sb, 'cents-market');
  cid = conditionOf(sb, 'cents-market');
});
afterAll(async () => {
  await h.venue.close();
  await sb.stop();
});
beforeEach(async () => {
  sb.state.cancel(sb.state.liveOrders(() => true).map((o) => o.id));
  await h.venue.poll(); // the venue learns that the previous test's resting orders are gone
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
  h.events.length = 0;
});

const fills = (events: Harness['events']) =>
  events
    .filter((e): e is OrderFilled | OrderPartiallyFilled => e.type === 'order_filled' || e.type === 'order_partially_filled')
    .map((e) => e.fill);
const myLedger = () =>
  sb.state.ledger.filter((f) => f.takerAddress === h.account.address.toLowerCase() || f.makerAddress === h.account.address.toLowerCase());

describe('market orders', () => {
  it('FOK BUY walks two levels: accepted, then one fill per level, the last one "filled"', async () => {
    const o = order(yes, cid, 'BUY', 'FOK', 0.55, 30, { amountMicros: 20_000_000 });
    h.venue.submit(o);
    expect(h.events).toEqual([]); // asynchronous
    await h.venue.idle();
    expect(types(h.events)).toEqual(['order_accepted', 'order_partially_filled', 'order_filled']);
    expect(fills(h.events).map((f) => [f.priceMicros, f.sizeMicros, f.liquidity])).toEqual([
      [520_000, 20_000_000, 'taker'],
      [550_000, 17_454_545, 'taker'],
    ]);
    const accepted = h.events[0]!;
    expect(accepted.type === 'order_accepted' && accepted.venueOrderId).toMatch(/^0x[0-9a-f]{64}$/);
    expect(h.venue.openOrders()).toEqual([]);
  });

  it('FAK fills what is in range, then reports the rest cancelled', async () => {
    h.venue.submit(order(yes, cid, 'BUY', 'FAK', 0.55, 180, { amountMicros: 100_000_000 }));
    await h.venue.idle();
    expect(types(h.events)).toEqual(['order_accepted', 'order_partially_filled', 'order_partially_filled', 'order_cancelled']);
    const sizes = fills(h.events).map((f) => f.sizeMicros);
    expect(sizes).toEqual([20_000_000, 100_000_000]);
    const last = h.events.at(-1)!;
    expect(last.type === 'order_cancelled' && last.reason).toBe('fak_unfilled');
  });

  it('FOK SELL of held shares fills at the bids', async () => {
    sb.state.accounts.get(h.account.address).tokens.set(yes, 200_000_000);
    h.venue.submit(order(yes, cid, 'SELL', 'FOK', 0.45, 30));
    await h.venue.idle();
    expect(types(h.events)).toEqual(['order_accepted', 'order_filled']);
    expect(fills(h.events)[0]).toMatchObject({ priceMicros: 480_000, sizeMicros: 30_000_000, side: 'SELL' });
  });

  it('a FOK the book cannot fill is rejected as no_match with the CLOB text', async () => {
    h.venue.submit(order(yes, cid, 'BUY', 'FOK', 0.45, 20, { amountMicros: 10_000_000 }));
    await h.venue.idle();
    expect(types(h.events)).toEqual(['order_rejected']);
    const r = h.events[0]!;
    expect(r.type === 'order_rejected' && [r.reason, r.message]).toEqual([
      'no_match',
      'no orders found to match with FOK order. FOK orders are fully filled or killed.',
    ]);
  });

  it('a market BUY on a 0.001 tick is pre-rounded so the SDK signs amounts the CLOB accepts', async () => {
    const mills = tokenOf(sb, 'mills-market');
    seedBook(sb, mills, [], [[0.523, 500]]);
    // The SDK would sign $10 @ 0.523 with a 5-decimal taker amount: rejected by the exchange.
    expect(
      makerTakerAmounts({ side: 'BUY', type: 'FOK', priceMicros: 523_000, amountMicros: 10_000_000, tickMicros: 1000 }).takerAmountMicros %
        100,
    ).not.toBe(0);
    const before = myLedger().length;
    h.venue.submit(order(mills, conditionOf(sb, 'mills-market'), 'BUY', 'FOK', 0.523, 19, { amountMicros: 10_000_000 }));
    await h.venue.idle();
    expect(types(h.events)).toEqual(['order_accepted', 'order_filled']);
    const f = fills(h.events)[0]!;
    expect(f.priceMicros).toBe(523_000);
    const spent = Math.round((f.sizeMicros * f.priceMicros) / 1e6);
    expect(spent).toBeLessThanOrEqual(10_000_000);
    expect(spent).toBeGreaterThan(9_990_000); // signed from exact amounts: nothing given up
    expect(myLedger().length).toBe(before + 1);
  });
});

describe('resting orders', () => {
  it('GTC rests (accepted, listed open), fills as a maker when someone takes it, then is done', async () => {
    const o = order(yes, cid, 'BUY', 'GTC', 0.5, 10);
    h.venue.submit(o);
    await h.venue.idle();
    expect(types(h.events)).toEqual(['order_accepted']);
    expect(h.venue.openOrders().map((x) => x.clientOrderId)).toEqual([o.clientOrderId]);
    // Another trader sells 4 shares into our bid, then 6 more.
    takeFromBook('SELL', 0.5, 4);
    await h.venue.poll();
    takeFromBook('SELL', 0.5, 6);
    await h.venue.poll();
    await h.venue.poll(); // repeated polls never repeat a fill
    expect(types(h.events)).toEqual(['order_accepted', 'order_partially_filled', 'order_filled']);
    expect(fills(h.events).map((f) => [f.sizeMicros, f.liquidity, f.feeMicros])).toEqual([
      [4_000_000, 'maker', 0],
      [6_000_000, 'maker', 0],
    ]);
    expect(h.venue.openOrders()).toEqual([]);
  });

  it('a crossing GTC fills at once and rests the remainder', async () => {
    h.venue.submit(order(yes, cid, 'BUY', 'GTC', 0.52, 30));
    await h.venue.idle();
    expect(types(h.events)).toEqual(['order_accepted', 'order_partially_filled']);
    expect(h.venue.openOrders()).toHaveLength(1);
  });

  it('GTD rests with its expiry on the book', async () => {
    const exp = Math.floor(Date.now() / 1000) * 1000 + 600_000;
    h.venue.submit(order(yes, cid, 'BUY', 'GTD', 0.3, 10, { expiresAtMs: exp }));
    await h.venue.idle();
    expect(types(h.events)).toEqual(['order_accepted']);
    const id = (h.events[0] as { venueOrderId: string }).venueOrderId;
    expect(sb.state.orders.get(id)).toMatchObject({ type: 'GTD', expirationSec: exp / 1000, status: 'LIVE' });
  });

  it('post-only: rests when it does not cross, rejected as post_only_cross when it does', async () => {
    h.venue.submit(order(yes, cid, 'BUY', 'GTC', 0.49, 10, { postOnly: true }));
    h.venue.submit(order(yes, cid, 'BUY', 'GTC', 0.52, 10, { postOnly: true }));
    await h.venue.idle();
    const byType = h.events.map((e) => (e.type === 'order_rejected' ? `${e.type}:${e.reason}` : e.type)).sort();
    expect(byType).toEqual(['order_accepted', 'order_rejected:post_only_cross']);
  });

  it('cancel and cancelAll report order_cancelled with the unfilled size', async () => {
    const a = order(yes, cid, 'BUY', 'GTC', 0.3, 10);
    const b = order(yes, cid, 'BUY', 'GTC', 0.31, 12);
    h.venue.submit(a);
    h.venue.submit(b);
    await h.venue.idle();
    h.venue.cancel(a.clientOrderId, 'user');
    await h.venue.idle();
    h.venue.cancelAll('kill_switch');
    await h.venue.idle();
    const cancels = h.events
      .filter((e) => e.type === 'order_cancelled')
      .map((e) => e.type === 'order_cancelled' && [e.order.clientOrderId, e.reason, e.unfilledMicros]);
    expect(cancels).toEqual([
      [a.clientOrderId, 'user', 10_000_000],
      [b.clientOrderId, 'kill_switch', 12_000_000],
    ]);
    expect(sb.state.liveOrders((o) => o.owner === h.creds.key)).toEqual([]);
  });

  it('an order cancelled on the venue (not by us) is reported by the next poll', async () => {
    const o = order(yes, cid, 'BUY', 'GTC', 0.3, 10);
    h.venue.submit(o);
    await h.venue.idle();
    sb.state.cancel(sb.state.liveOrders((x) => x.owner === h.creds.key).map((x) => x.id));
    await h.venue.poll();
    expect(types(h.events)).toEqual(['order_accepted', 'order_cancelled']);
    expect((h.events[1] as { reason: string }).reason).toBe('venue_cancelled');
  });
});

describe('close', () => {
  it('reads a resting order filled since the last poll: the fill is not lost with the process', async () => {
    const own = await venueFor(sb); // never polls by itself (pollIntervalMs 0)
    const o = order(yes, cid, 'BUY', 'GTC', 0.5, 10);
    own.venue.submit(o);
    await own.venue.idle();
    expect(types(own.events)).toEqual(['order_accepted']);
    takeFromBook('SELL', 0.5, 10);
    await own.venue.close();
    expect(types(own.events)).toEqual(['order_accepted', 'order_filled']);
    expect(fills(own.events).map((f) => [f.sizeMicros, f.liquidity])).toEqual([[10_000_000, 'maker']]);
    await own.venue.close(); // a second close polls nothing more
    expect(types(own.events)).toEqual(['order_accepted', 'order_filled']);
  });

  it('does not wait past its bound for a CLOB that does not answer the last poll', async () => {
    const errors: string[] = [];
    // Requests themselves would wait two minutes: only closePollMs can end close() within the test's time.
    const own = await venueFor(sb, { closePollMs: 300, requestTimeoutMs: 120_000, onError: (e, c) => errors.push(c.action) });
    own.venue.submit(order(yes, cid, 'BUY', 'GTC', 0.31, 10));
    await own.venue.idle();
    sb.faults.add({ kind: 'slow', service: 'clob', path: '/data/orders', delayMs: 20_000, times: 1 });
    sb.faults.add({ kind: 'slow', service: 'clob', path: '/data/trades', delayMs: 20_000, times: 1 });
    try {
      await own.venue.close();
      expect(errors).toContain('poll');
    } finally {
      sb.faults.clear();
    }
  }, 60_000);
});

/** A synthetic trader takes liquidity from the book (as a FAK at `price`). */
function takeFromBook(side: 'BUY' | 'SELL', price: number, shares: number): void {
  const taker = '0x7777777777777777777777777777777777777777';
  sb.state.accounts.get(taker).unlimited = true;
  const s = Math.round(shares * 1e6);
  const usdc = Math.round(price * s);
  const res = sb.state.place({
    id: sb.state.hash32('take'),
    owner: 'synthetic',
    makerAddress: taker,
    signer: taker,
    tokenId: yes,
    side,
    type: 'FAK',
    makerAmountMicros: side === 'BUY' ? usdc : s,
    takerAmountMicros: side === 'BUY' ? s : usdc,
    expirationSec: 0,
    postOnly: false,
    source: 'synthetic',
  });
  if (!res.ok) throw new Error(res.error);
}
