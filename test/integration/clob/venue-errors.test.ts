/** Error texts → reason codes, back-off on 429/425/503, and outcome-unknown POSTs reconciled, never doubled. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { VenueError } from '../../../src/core/errors.ts';
import type { OrderRejected } from '../../../src/core/events.ts';
import { classifyError, reasonFromText } from '../../../src/exec/clob/clob-errors.ts';
import { MemoryIntentJournal } from '../../../src/exec/clob/intent-journal.ts';
import { CLOB_ERRORS } from '../../../src/sandbox/exchange/exchange-rules.ts';
import type { Sandbox } from '../../../src/sandbox/index.ts';
import { type Harness, conditionOf, order, seedBook, startTestSandbox, tokenOf, types, venueFor } from './helpers.ts';

let sb: Sandbox;
let h: Harness;
let yes: string;
let cid: string;
const waits: number[] = [];
const errors: VenueError[] = [];

beforeAll(async () => {
  sb = await startTestSandbox();
  h = await venueFor(sb, {
    // Only the hang tests need this to fire; long enough that a busy machine never times out a normal POST.
    postTimeoutMs: 5_000,
    sleep: async (ms) => {
      waits.push(ms);
      await new Promise((r) => setTimeout(r, Math.min(ms, 20)));
    },
    onError: (e) => errors.push(e),
  });
  yes = tokenOf(sb, 'cents-market');
  cid = conditionOf(sb, 'cents-market');
});
afterAll(async () => {
  await h.venue.close();
  await sb.stop();
});
beforeEach(async () => {
  sb.faults.clear();
  sb.state.cancel(sb.state.liveOrders(() => true).map((o) => o.id));
  await h.venue.poll();
  seedBook(sb, yes, [[0.48, 50]], [[0.52, 100]]);
  h.events.length = 0;
  waits.length = 0;
  errors.length = 0;
});

const rejection = (): OrderRejected => {
  const r = h.events.find((e): e is OrderRejected => e.type === 'order_rejected');
  if (!r) throw new Error(`no rejection in ${types(h.events).join(', ')}`);
  return r;
};
const ledgerOf = (orderId: string) => sb.state.ledger.filter((f) => f.takerOrderId === orderId || f.makerOrderId === orderId);

describe('every CLOB error text has a reason code', () => {
  const texts: [string, string][] = [
    [CLOB_ERRORS.balance, 'insufficient_balance'],
    [CLOB_ERRORS.tick('0xab', '0.305', '0.01'), 'invalid_tick'],
    [CLOB_ERRORS.minSize('0xab', '1.08', '5'), 'below_min_size'],
    [CLOB_ERRORS.duplicated('0xab'), 'duplicate'],
    [CLOB_ERRORS.precision(true, 'BUY', 2, 4), 'invalid_amounts'],
    [CLOB_ERRORS.expiration, 'invalid_expiration'],
    [CLOB_ERRORS.fokNoMatch, 'no_match'],
    [CLOB_ERRORS.fokPartial, 'no_match'],
    [CLOB_ERRORS.fakNoMatch, 'no_match'],
    [CLOB_ERRORS.postOnlyCross, 'post_only_cross'],
    [CLOB_ERRORS.postOnlyMarket, 'post_only_not_allowed'],
    [CLOB_ERRORS.notReady, 'market_not_ready'],
    [CLOB_ERRORS.ownerMismatch, 'auth_mismatch'],
    [CLOB_ERRORS.signerMismatch, 'auth_mismatch'],
    [CLOB_ERRORS.signature, 'invalid_signature'],
    [CLOB_ERRORS.payload, 'invalid_payload'],
    [CLOB_ERRORS.priceRange('0.995', '0.01', '0.99'), 'invalid_price'],
    [CLOB_ERRORS.unauthorized, 'auth'],
    [CLOB_ERRORS.invalidL1, 'auth'],
    [CLOB_ERRORS.cancelOnly, 'cancel_only'],
    [CLOB_ERRORS.tradingDisabled, 'trading_disabled'],
    [CLOB_ERRORS.postOnlyMode, 'post_only_mode'],
    ['order 0xab crosses the book', 'post_only_cross'],
    ["'0xab' address banned", 'banned'],
    ["'0xab' address in closed only mode", 'closed_only'],
    ['order canceled in the CTF exchange contract', 'cancelled_onchain'],
    ['the trade contains rounding issues', 'invalid_amounts'],
    ["the price of the taker's order has a discrepancy greater than allowed with the worst maker order", 'price_discrepancy'],
    ['there are no matching orders', 'no_match'],
    ['no match', 'no_match'],
    ['invalid amount for a marketable BUY order ($0.5), min size: $1', 'below_min_notional'],
    ['Too Many Requests', 'rate_limited'],
    ['could not insert order', 'venue_error'],
  ];
  it.each(texts)('%s → %s', (text, code) => expect(reasonFromText(text)).toBe(code));

  it('transport failures: refused is safe to retry, a reset after sending is outcome-unknown', () => {
    expect(classifyError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { isAxiosError: true }), true).error).toMatchObject({
      kind: 'network',
      retryable: true,
      outcomeUnknown: false,
    });
    expect(classifyError(new Error('socket hang up'), true).error).toMatchObject({ kind: 'network', outcomeUnknown: true });
    expect(classifyError(new Error('socket hang up'), false).error).toMatchObject({ outcomeUnknown: false, retryable: true });
    expect(classifyError(Object.assign(new Error('Request failed with status code 425'), { status: undefined }), true)).toMatchObject({
      status: 425,
      reason: 'engine_restarting',
    });
  });
});

describe('rejections from the sandbox arrive as order_rejected with the code', () => {
  it.each([
    ['below the minimum size', () => order(yes, cid, 'BUY', 'GTC', 0.3, 1), 'below_min_size'],
    ['balance', () => (sb.faults.add({ kind: 'zero-balance' }), order(yes, cid, 'BUY', 'GTC', 0.3, 10)), 'insufficient_balance'],
    ['GTD too soon', () => order(yes, cid, 'BUY', 'GTD', 0.3, 10, { expiresAtMs: Date.now() + 20_000 }), 'invalid_expiration'],
    [
      'cancel-only mode',
      () => (sb.faults.add({ kind: 'mode', mode: 'cancel-only' }), order(yes, cid, 'BUY', 'GTC', 0.3, 10)),
      'cancel_only',
    ],
    [
      'trading disabled',
      () => (sb.faults.add({ kind: 'mode', mode: 'disabled' }), order(yes, cid, 'BUY', 'GTC', 0.3, 10)),
      'trading_disabled',
    ],
    ['bad credentials', () => (sb.faults.add({ kind: 'bad-credentials' }), order(yes, cid, 'BUY', 'GTC', 0.3, 10)), 'auth'],
  ])('%s', async (_name, make, code) => {
    h.venue.submit(make());
    await h.venue.idle();
    expect(types(h.events)).toEqual(['order_rejected']);
    expect(rejection().reason).toBe(code);
  });

  it('post-only mode: rejected with the CLOB’s wait time when it is longer than we wait', async () => {
    sb.faults.add({ kind: 'mode', mode: 'post-only', retryAfterSec: 79 });
    h.venue.submit(order(yes, cid, 'BUY', 'GTC', 0.3, 10));
    await h.venue.idle();
    expect(rejection().reason).toBe('post_only_mode');
    expect(errors[0]).toMatchObject({ kind: 'unavailable', retryable: true, retryAfterMs: 79_000 });
    expect(waits).toEqual([]);
  });
});

describe('back-off', () => {
  it('honours Retry-After on a 429, then places the order once', async () => {
    sb.faults.add({ kind: 'http', path: '/order', method: 'POST', status: 429, retryAfterSec: 2, times: 1 });
    h.venue.submit(order(yes, cid, 'BUY', 'FOK', 0.52, 19, { amountMicros: 10_000_000 }));
    await h.venue.idle();
    expect(waits).toEqual([2000]);
    expect(errors[0]).toMatchObject({ kind: 'rate_limited', retryAfterMs: 2000 });
    expect(types(h.events)).toEqual(['order_accepted', 'order_filled']);
  });

  it('backs off exponentially on bare 425s and gives up after maxRetries', async () => {
    sb.faults.add({ kind: 'http', path: '/order', method: 'POST', status: 425 });
    h.venue.submit(order(yes, cid, 'BUY', 'GTC', 0.3, 10));
    await h.venue.idle();
    expect(waits).toEqual([500, 1000, 2000]);
    expect(rejection().reason).toBe('engine_restarting');
    expect(sb.state.liveOrders(() => true).filter((o) => o.owner === h.creds.key)).toEqual([]);
  });
});

describe('POST /order whose answer is lost', () => {
  it.each(['hang', 'reset'] as const)('%s: the order executed on the CLOB is found by hash, reported once, never re-sent', async (mode) => {
    sb.faults.add({ kind: 'order-timeout', mode, times: 1 });
    const posts: number[] = [];
    const before = sb.state.orders.size;
    h.venue.submit(order(yes, cid, 'BUY', 'FOK', 0.52, 19, { amountMicros: 10_000_000 }));
    await h.venue.idle();
    posts.push(sb.state.orders.size - before);
    expect(errors[0]).toMatchObject({ outcomeUnknown: true });
    expect(types(h.events)).toEqual(['order_accepted', 'order_filled']);
    const id = (h.events[0] as { venueOrderId: string }).venueOrderId;
    expect(posts).toEqual([1]); // exactly one order reached the exchange
    expect(ledgerOf(id)).toHaveLength(1);
  });

  it('when the CLOB cannot be asked about it either, the order is still watched and its fill reported later', async () => {
    // The answer is lost, and every look-up by hash times out (a CLOB overloaded the way a lost answer suggests).
    const journal = new MemoryIntentJournal();
    const slow = await venueFor(sb, {
      journal,
      postTimeoutMs: 5_000,
      requestTimeoutMs: 2_000,
      sleep: async () => {},
      onError: (e) => errors.push(e),
    });
    try {
      sb.faults.add({ kind: 'order-timeout', mode: 'reset', times: 1 });
      sb.faults.add({ kind: 'slow', method: 'GET', path: '/data/trades', delayMs: 4_000, times: 4 });
      const o = order(yes, cid, 'BUY', 'FOK', 0.52, 19, { amountMicros: 10_000_000 });
      slow.venue.submit(o);
      await slow.venue.idle();
      expect(types(slow.events)).toEqual(['order_rejected']);
      expect(slow.events[0]).toMatchObject({ reason: 'outcome_unknown' });
      // Not booked as "not on the CLOB": a restart must ask about it again.
      const pending = journal.pendingIntents();
      expect(pending.map((i) => i.clientOrderId)).toEqual([o.clientOrderId]);
      const hash = pending[0]!.orderHash.toLowerCase();
      expect(ledgerOf(hash).length).toBeGreaterThan(0); // it did execute
      sb.faults.clear();
      await slow.venue.poll();
      const filled = slow.events.filter((e) => e.type === 'order_filled' || e.type === 'order_partially_filled');
      expect(filled.map((e) => e.fill.sizeMicros)).toEqual(ledgerOf(hash).map((f) => f.sizeMicros));
    } finally {
      await slow.venue.close();
    }
  });

  it('a resting GTC whose answer hung is adopted as open and can be cancelled', async () => {
    sb.faults.add({ kind: 'order-timeout', mode: 'hang', times: 1 });
    const o = order(yes, cid, 'BUY', 'GTC', 0.3, 10);
    h.venue.submit(o);
    await h.venue.idle();
    expect(types(h.events)).toEqual(['order_accepted']);
    expect(h.venue.openOrders().map((x) => x.clientOrderId)).toEqual([o.clientOrderId]);
    h.venue.cancel(o.clientOrderId, 'user');
    await h.venue.idle();
    expect(types(h.events)).toEqual(['order_accepted', 'order_cancelled']);
  });
});
