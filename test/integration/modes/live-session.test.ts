/** Live mode against the sandbox: real signed orders through the SDK, and the ledger agrees with our fills. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLiveSession } from '../../../src/modes/live-session.ts';
import { auditSession, type LedgerRow } from '../../helpers/session-audit.ts';
import type { Sandbox } from '../../../src/sandbox/index.ts';
import { waitUntil } from '../../helpers/wait.ts';
import { SELLER, TEST_ADDRESS, WHALE, configFor, ledger, startFastSandbox, tempDataDir } from './helpers.ts';

let sb: Sandbox;
beforeAll(async () => {
  sb = await startFastSandbox();
});
afterAll(() => sb.stop());

describe('polytail live against the sandbox', () => {
  it('places orders the sandbox ledger shows, records every one of our fills, copies each target fill at most once', async () => {
    const dataDir = tempDataDir();
    const startMs = Date.now();
    const truthFromMs = Math.ceil(startMs / 1000) * 1000 + 1000;
    const session = await startLiveSession({
      mode: 'live',
      config: configFor(dataDir, [WHALE, SELLER]),
      sandboxUrl: sb.urls.clob,
      pollIntervalMs: 1000,
      env: {},
    });
    expect(session.venue.account?.address.toLowerCase()).toBe(TEST_ADDRESS);
    // Trades are compared from truthFromMs on (1 s resolution): let some happen after it.
    await waitUntil(() => session.engine.stats.targetTrades >= 40 && Date.now() > truthFromMs + 2000, '40 target trades', {
      timeoutMs: 60_000,
    });
    sb.flow.stop();
    const clob = session.venue.clob!;
    const journal = session.venue.journal!;
    const query = (sql: string) => session.recording.query(sql, [session.runId]);
    const oursOf = (ledgerRows: LedgerRow[]) =>
      ledgerRows.filter((l) => l.status !== 'FAILED' && (l.taker.toLowerCase() === TEST_ADDRESS || l.maker.toLowerCase() === TEST_ADDRESS));
    // On a busy machine orders are still being signed and fills still being read well after the last
    // target trade: audit once every copy decision's order is either journaled (signed, then posted) or
    // refused before it was sent, and every fill of ours on the exchange has been recorded.
    let rows: LedgerRow[] = [];
    let unanswered: string[] = [];
    await waitUntil(
      async () => {
        await session.drain();
        await clob.idle();
        await clob.poll();
        await session.recording.flush();
        rows = await ledger(sb);
        const journaled = new Set(journal.entries().map((e) => e.intent.clientOrderId));
        const refused = new Set(
          (await query(`SELECT client_order_id FROM orders WHERE run_id = ? AND event = 'rejected'`)).map((r) => String(r.client_order_id)),
        );
        const copies = await query(`SELECT client_order_id FROM decisions WHERE run_id = ? AND action IN ('copy', 'order')`);
        unanswered = copies.map((d) => String(d.client_order_id)).filter((id) => !journaled.has(id) && !refused.has(id));
        const recorded = Number((await query(`SELECT COUNT(*) AS n FROM fills WHERE run_id = ?`))[0]!.n);
        return unanswered.length === 0 && recorded >= oursOf(rows).length;
      },
      'every copy decision journaled or refused, and every fill of ours on the exchange recorded',
      { timeoutMs: 90_000, intervalMs: 500 },
    );
    const audit = await auditSession({
      recording: session.recording,
      ledger: rows,
      targets: [WHALE, SELLER],
      sinceMs: truthFromMs,
      intents: journal.entries(),
      ourAddress: TEST_ADDRESS,
    });
    await session.sync.runNow();
    const sync = await session.sync.runNow();
    const intents = journal.entries();
    const copyIds = (await query(`SELECT client_order_id FROM decisions WHERE run_id = ? AND action IN ('copy', 'order')`)).map((r) =>
      String(r.client_order_id),
    );
    const recordedFills = Number((await query(`SELECT COUNT(*) AS n FROM fills WHERE run_id = ?`))[0]!.n);
    const journaledIds = intents.map((e) => e.intent.clientOrderId);
    const notJournaled = copyIds.filter((id) => !journaledIds.includes(id));
    // Why each unjournaled copy was refused (a signing timeout on a busy machine, for example).
    const refusals = notJournaled.length
      ? await query(
          `SELECT client_order_id, reason, message FROM orders WHERE run_id = ? AND event = 'rejected' AND client_order_id IN (${notJournaled.map((id) => `'${id}'`).join(',')})`,
        )
      : [];
    await session.stop();
    const report = JSON.stringify(
      { audit, mismatched: sync.mismatched, intents: intents.length, copies: copyIds.length, recordedFills, refusals, unanswered },
      null,
      1,
    );

    // Our positions by our fills equal the exchange's token balances.
    expect(sync.errors, report).toEqual([]);
    expect(sync.mismatched, report).toEqual([]);
    // Every fill of ours on the exchange is recorded, once, and came from an order we journaled first.
    const mine = oursOf(rows);
    expect(mine.length, report).toBeGreaterThan(0);
    expect(recordedFills, report).toBe(mine.length);
    expect(audit.ledgerMismatches, report).toBe(0);
    const journaled = new Set(intents.map((e) => e.intent.orderHash.toLowerCase()));
    const ourOrders = mine.map((l) => (l.taker.toLowerCase() === TEST_ADDRESS ? l.takerOrderId : l.makerOrderId)!.toLowerCase());
    expect(
      ourOrders.filter((id) => !journaled.has(id)),
      report,
    ).toEqual([]);
    // One signed order per copy decision, never one without a decision; a copy whose order was refused
    // before it was signed and journaled (so never sent: no fill of ours lacks a journaled order, above)
    // says why in the orders table.
    expect(new Set(journaledIds).size, report).toBe(journaledIds.length);
    expect(
      journaledIds.filter((id) => !copyIds.includes(id)),
      report,
    ).toEqual([]);
    expect(refusals.map((r) => String(r.client_order_id)).sort(), report).toEqual([...notJournaled].sort());
    // Every target fill answered once: copied or skipped with a reason.
    expect(audit.duplicates, report).toBe(0);
    expect(audit.unexplainedMissing, report).toBe(0);
    expect(audit.phantomCopies, report).toBe(0);
    expect(audit.copied + audit.skipped, report).toBe(audit.targetTrades);
    expect(audit.copied, report).toBeGreaterThan(0);
  }, 180_000);
});
