/** Live mode against the sandbox: real signed orders through the SDK, and the ledger agrees with our fills. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLiveSession } from '../../../src/modes/live-session.ts';
import { auditSession } from '../../helpers/session-audit.ts';
import type { Sandbox } from '../../../src/sandbox/index.ts';
import { SELLER, TEST_ADDRESS, WHALE, configFor, ledger, startFastSandbox, tempDataDir, waitFor } from './helpers.ts';

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
    expect(await waitFor(() => session.engine.stats.targetTrades >= 40 && Date.now() > truthFromMs + 2000, 15_000)).toBe(true);
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
    await session.stop();

    // Our positions by our fills equal the exchange's token balances.
    expect(sync.errors).toEqual([]);
    expect(sync.mismatched).toEqual([]);
    const mine = rows.filter((l) => l.taker.toLowerCase() === TEST_ADDRESS);
    expect(mine.length).toBeGreaterThan(0);
    expect(audit.ledgerMismatches).toBe(0);
    expect(audit.duplicates).toBe(0);
    expect(audit.unexplainedMissing).toBe(0);
    expect(audit.phantomCopies).toBe(0);
    expect(audit.copied).toBeGreaterThan(0);
  });
});
