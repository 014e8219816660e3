/** Live mode against the sandbox: real signed orders through the SDK, and the ledger agrees with our fills. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLiveSession } from '../../../src/modes/live-session.ts';
import { auditSession } from '../../helpers/session-audit.ts';
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
    await session.drain();
    await session.venue.clob!.idle();
    await session.venue.clob!.poll();
    const rows = await ledger(sb);
    const audit = await auditSession({
      recording: session.recording,
      ledger: rows,
      targets: [WHALE, SELLER],
      sinceMs: truthFromMs,
      intents: session.venue.journal!.entries(),
      ourAddress: TEST_ADDRESS,
    });
    await session.sync.runNow();
    const sync = await session.sync.runNow();
    const intents = session.venue.journal!.entries();
    const count = async (sql: string) => Number((await session.recording.query(sql, [session.runId]))[0]!.n);
    const copyDecisions = await count(`SELECT COUNT(*) AS n FROM decisions WHERE run_id = ? AND action IN ('copy', 'order')`);
    const recordedFills = await count(`SELECT COUNT(*) AS n FROM fills WHERE run_id = ?`);
    await session.stop();

    // Our positions by our fills equal the exchange's token balances.
    expect(sync.errors).toEqual([]);
    expect(sync.mismatched).toEqual([]);
    // Every fill of ours on the exchange is recorded, once, and came from an order we journaled first.
    const mine = rows.filter(
      (l) => l.status !== 'FAILED' && (l.taker.toLowerCase() === TEST_ADDRESS || l.maker.toLowerCase() === TEST_ADDRESS),
    );
    expect(mine.length).toBeGreaterThan(0);
    expect(recordedFills).toBe(mine.length);
    expect(audit.ledgerMismatches).toBe(0);
    const journaled = new Set(intents.map((e) => e.intent.orderHash.toLowerCase()));
    const ourOrders = mine.map((l) => (l.taker.toLowerCase() === TEST_ADDRESS ? l.takerOrderId : l.makerOrderId)!.toLowerCase());
    expect(ourOrders.filter((id) => !journaled.has(id))).toEqual([]);
    // One order per copy decision; every target fill answered once: copied or skipped with a reason.
    expect(intents.length).toBe(copyDecisions);
    expect(audit.duplicates).toBe(0);
    expect(audit.unexplainedMissing).toBe(0);
    expect(audit.phantomCopies).toBe(0);
    expect(audit.copied + audit.skipped).toBe(audit.targetTrades);
    expect(audit.copied).toBeGreaterThan(0);
  }, 180_000);
});
