/**
 * Start-up recovery of orders signed and journalled but never posted: posted again as the same signed
 * order while fresh, refused with a reason when stale or expired, and a "Duplicated" answer (the CLOB
 * has that hash already) looked up instead of counted as a refusal. The sandbox refuses a second POST
 * of one signed order like the real CLOB does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadApiCreds } from '../../../src/wallet/api-creds.ts';
import { createClobClient } from '../../../src/exec/clob/clob-api.ts';
import { ClobVenue } from '../../../src/exec/clob/clob-venue.ts';
import { MemoryIntentJournal, type IntentJournal, type IntentRecord } from '../../../src/exec/clob/intent-journal.ts';
import { signOrder } from '../../../src/exec/clob/order-signing.ts';
import type { Order } from '../../../src/core/types.ts';
import type { Sandbox } from '../../../src/sandbox/index.ts';
import { accountFor, conditionOf, order, seedBook, startTestSandbox, tempDir, tokenOf, types } from './helpers.ts';
import type { OrderEvent } from '../../../src/core/events.ts';

let sb: Sandbox;
beforeAll(async () => {
  sb = await startTestSandbox();
});
afterAll(() => sb.stop());

async function setup() {
  const account = accountFor(sb, tempDir());
  const { creds } = await loadApiCreds(account);
  const client = createClobClient(account, creds);
  const yes = tokenOf(sb, 'cents-market');
  const cid = conditionOf(sb, 'cents-market');
  seedBook(sb, yes, [[0.48, 500]], [[0.52, 500]]);
  /** Signs `o` and journals it as a process that died before its POST would have. */
  const journalSigned = async (journal: IntentJournal, o: Order): Promise<IntentRecord> => {
    const s = await signOrder(client, o);
    if (!s.ok) throw new Error(s.message);
    const intent: IntentRecord = {
      clientOrderId: o.clientOrderId,
      order: o,
      orderHash: s.value.orderHash,
      salt: String(s.value.signed.salt),
      makerAmount: String(s.value.signed.makerAmount),
      takerAmount: String(s.value.signed.takerAmount),
      signedAtMs: Date.now(),
      signed: { order: s.value.signed, orderType: s.value.orderType, postOnly: s.value.postOnly },
    };
    journal.recordIntent(intent);
    return intent;
  };
  const restart = (journal: IntentJournal) => {
    const venue = ClobVenue.create(account, creds, { journal, pollIntervalMs: 0, reconcileGraceMs: 50, tradeLookupDelayMs: 50 });
    const events: OrderEvent[] = [];
    venue.attach((e) => events.push(e));
    return { venue, events };
  };
  const ledgerOf = (hash: string) => sb.state.ledger.filter((l) => l.takerOrderId?.toLowerCase() === hash.toLowerCase());
  return { account, creds, client, yes, cid, journalSigned, restart, ledgerOf };
}

const fresh = { maxAgeMs: 120_000, eventMsOf: () => Date.now() - 5_000 };

describe('signed orders a crash kept from the CLOB', () => {
  it('the sandbox refuses a second POST of the same signed order as Duplicated', async () => {
    const { client, yes, cid } = await setup();
    const s = await signOrder(client, order(yes, cid, 'BUY', 'GTC', 0.3, 10));
    if (!s.ok) throw new Error(s.message);
    await client.postOrder(s.value.signed, s.value.orderType);
    await expect(client.postOrder(s.value.signed, s.value.orderType)).rejects.toThrow(/is invalid\. Duplicated/);
  });

  it('a fresh one is posted at start-up as the same order: one order, its fills once', async () => {
    const { journalSigned, restart, ledgerOf, yes, cid } = await setup();
    const journal = new MemoryIntentJournal();
    const intent = await journalSigned(journal, order(yes, cid, 'BUY', 'FOK', 0.52, 19, { amountMicros: 10_000_000 }));
    const { venue, events } = restart(journal);
    const report = await venue.recoverPending(fresh);
    expect(report).toMatchObject([{ clientOrderId: intent.clientOrderId, status: 'resent' }]);
    await venue.idle();
    expect(types(events)).toEqual(['order_accepted', 'order_filled']);
    expect(ledgerOf(intent.orderHash)).toHaveLength(1);
    expect(journal.entries()[0]!.outcome?.status).toBe('accepted');
    await venue.close();
  });

  it('"Duplicated" from the CLOB means look it up: adopted, never counted twice', async () => {
    const { journalSigned, restart, ledgerOf, client, yes, cid } = await setup();
    const journal = new MemoryIntentJournal();
    const intent = await journalSigned(journal, order(yes, cid, 'BUY', 'GTC', 0.3, 10));
    // The POST did get there (the look-up at start-up missed it, say, in a race with the CLOB).
    await client.postOrder(intent.signed!.order, intent.signed!.orderType);
    const { venue, events } = restart(journal);
    const fetchOrder = venue.api.fetchOrder.bind(venue.api);
    let lookups = 0;
    venue.api.fetchOrder = (id) => (++lookups === 1 ? Promise.resolve(undefined) : fetchOrder(id));
    expect((await venue.recoverPending(fresh))[0]!.status).toBe('resent');
    await venue.idle();
    expect(types(events)).toEqual(['order_accepted']);
    expect(venue.openOrders().map((o) => o.clientOrderId)).toEqual([intent.clientOrderId]);
    expect(journal.entries()[0]!.outcome?.status).toBe('accepted');
    expect(ledgerOf(intent.orderHash)).toEqual([]);
    expect(sb.state.liveOrders((o) => o.id === intent.orderHash)).toHaveLength(1);
    await venue.close();
  });

  it.each([
    ['stale', { maxAgeMs: 120_000, eventMsOf: () => Date.now() - 200_000 }, {}, 'stale_after_restart'],
    ['expired', fresh, { type: 'GTD' as const, expiresAtMs: Date.now() + 30_000 }, 'expired_after_restart'],
  ])('a %s one is never posted, and says why', async (_name, rule, extra, reason) => {
    const { journalSigned, restart, yes, cid } = await setup();
    const journal = new MemoryIntentJournal();
    // A GTD signed now for 30 s from now: the CLOB refuses expirations under a minute away.
    const intent = await journalSigned(journal, order(yes, cid, 'BUY', 'GTC', 0.3, 10, extra));
    const placed: string[] = [];
    const place = sb.state.place.bind(sb.state);
    sb.state.place = (req) => (placed.push(req.id), place(req));
    try {
      const { venue, events } = restart(journal);
      expect(await venue.recoverPending(rule)).toMatchObject([{ status: 'not_found', reason }]);
      await venue.idle();
      expect(events.map((e) => (e.type === 'order_rejected' ? e.reason : e.type))).toEqual([reason]);
      expect(journal.entries()[0]!.outcome).toMatchObject({ status: 'not_found', reason });
      expect(placed).not.toContain(intent.orderHash);
      await venue.close();
    } finally {
      sb.state.place = place;
    }
  });
});
