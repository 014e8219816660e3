/**
 * A burst of copies signing at once on a slow venue: each token's market is read once however many
 * orders wait for it, signing runs a few at a time, and every order ends sent or refused with a
 * reason — one that runs out of signing time is refused `sign_timeout` (after a second attempt), never
 * left without an answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderEvent } from '../../../src/core/events.ts';
import type { Sandbox } from '../../../src/sandbox/index.ts';
import { conditionOf, order, seedBook, startTestSandbox, tokenOf, venueFor } from './helpers.ts';

let sb: Sandbox;
let yes: string;
let cid: string;

beforeAll(async () => {
  sb = await startTestSandbox();
  yes = tokenOf(sb, 'cents-market');
  cid = conditionOf(sb, 'cents-market');
  seedBook(sb, yes, [[0.4, 5000]], [[0.6, 5000]]);
});
afterAll(() => sb.stop());

const admin = (method: string, body?: unknown) =>
  fetch(`${sb.urls.admin}/faults`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

/** Counts the venue client's GETs of market metadata (tick size, neg-risk, fees, version). */
function countLookups(client: object): () => number {
  const c = client as { get: (url: string, ...rest: unknown[]) => Promise<unknown> };
  const get = c.get.bind(c);
  let n = 0;
  c.get = (url, ...rest) => {
    if (/\/(clob-markets|markets-by-token|tick-size|neg-risk|fee-rate|version)\b/.test(url)) n++;
    return get(url, ...rest);
  };
  return () => n;
}

/** The terminal event of each order: filled, or rejected with its reason. */
function outcomes(events: OrderEvent[], ids: string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of events) {
    if (!ids.includes(e.order.clientOrderId)) continue;
    if (e.type === 'order_filled') out.set(e.order.clientOrderId, 'filled');
    if (e.type === 'order_rejected') out.set(e.order.clientOrderId, `rejected:${e.reason}`);
  }
  return out;
}

describe('a burst of orders signing at once', () => {
  it('reads the market once for the whole burst on a slow venue, and every order is sent', async () => {
    // Every market look-up takes 1.5 s: N orders looking it up each would wait N times over.
    await admin('POST', { kind: 'slow', service: 'clob', method: 'GET', delayMs: 1500 });
    const h = await venueFor(sb, { signTimeoutMs: 60_000 });
    const lookups = countLookups(h.venue.client);
    const burst = Array.from({ length: 24 }, () => order(yes, cid, 'BUY', 'FOK', 0.6, 5));
    for (const o of burst) h.venue.submit(o);
    await h.venue.idle();
    await admin('DELETE');
    const ids = burst.map((o) => o.clientOrderId);
    const result = outcomes(h.events, ids);
    expect([...result.values()]).toEqual(ids.map(() => 'filled'));
    // One read of the market (and one of the CLOB's version), not one per order.
    expect(lookups()).toBeLessThanOrEqual(2);
    const times = h.venue.signer.times.stats();
    expect(times).toMatchObject({ signed: 24, timeouts: 0 });
    await h.venue.close();
  }, 240_000);

  it('refuses an order that cannot be signed in time as sign_timeout after a retry, with a message, never silently', async () => {
    const h = await venueFor(sb, { signTimeoutMs: 50, signRetries: 1 });
    // A signature that takes 10 s (a starved CPU): every attempt passes its 50 ms deadline.
    const sign = h.venue.signer.signStep;
    h.venue.signer.signStep = async (...a) => {
      await new Promise((r) => setTimeout(r, 10_000));
      return sign(...a);
    };
    const burst = Array.from({ length: 6 }, () => order(yes, cid, 'BUY', 'FOK', 0.6, 5));
    const ledgerBefore = sb.state.ledger.length;
    for (const o of burst) h.venue.submit(o);
    await h.venue.idle();
    const ids = burst.map((o) => o.clientOrderId);
    const result = outcomes(h.events, ids);
    expect([...result.values()]).toEqual(ids.map(() => 'rejected:sign_timeout'));
    const refused = h.events.filter((e) => e.type === 'order_rejected');
    for (const e of refused)
      expect(e.type === 'order_rejected' && e.message).toMatch(/signing did not finish within 50 ms \(2 attempt\(s\)\)/);
    expect(h.venue.signer.times.stats()).toMatchObject({ signed: 0, timeouts: 12 });
    // Nothing reached the exchange.
    expect(sb.state.ledger.length).toBe(ledgerBefore);
    await h.venue.close();
  }, 240_000);
});
