/** Paper mode end to end against the in-process sandbox: target fills seen and copied once each. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLiveSession } from '../../../src/modes/live-session.ts';
import { auditSession } from '../../helpers/session-audit.ts';
import type { Sandbox } from '../../../src/sandbox/index.ts';
import type { EngineEvent } from '../../../src/core/events.ts';
import { waitUntil } from '../../helpers/wait.ts';
import { WHALE, configFor, ledger, startFastSandbox, tempDataDir } from './helpers.ts';

let sb: Sandbox;
beforeAll(async () => {
  sb = await startFastSandbox();
});
afterAll(() => sb.stop());

describe('polytail paper against the sandbox', () => {
  it('sees the target’s fills, decides each once, fills copies on live books and sends no orders', async () => {
    const dataDir = tempDataDir();
    const startMs = Date.now();
    const truthFromMs = Math.ceil(startMs / 1000) * 1000 + 1000;
    const ledgerBefore = (await ledger(sb)).length;
    // Only trades from truthFromMs on are compared: count those (a slow start sees fewer before it).
    let comparable = 0;
    const countComparable = { onEvent: (e: EngineEvent) => void (e.type === 'target_trade' && e.tsEvent >= truthFromMs && comparable++) };
    const session = await startLiveSession({
      mode: 'paper',
      config: configFor(dataDir, [WHALE]),
      sandboxUrl: sb.urls.clob,
      pollIntervalMs: 1000,
      env: {},
      listeners: [countComparable],
    });
    expect(session.recordingPath).toMatch(/sessions\/paper-\d{4}-\d\d-\d\d\.duckdb$/);
    // Trades are compared from truthFromMs on (1 s resolution): let some happen after it.
    await waitUntil(() => comparable >= 30, '30 target trades after the compared window starts', { timeoutMs: 60_000 });
    sb.flow.stop(); // no new target trades: what we saw can be compared with the Data API
    await session.drain(); // one more poll, and every trade received is decided
    const audit = await auditSession({ recording: session.recording, ledger: await ledger(sb), targets: [WHALE], sinceMs: truthFromMs });
    const fills = await session.recording.query(`SELECT COUNT(*) AS n FROM fills WHERE run_id = ?`, [session.runId]);
    const seen = await session.recording.query(`SELECT COUNT(*) AS n FROM target_trades`);
    await session.stop();

    expect(audit.targetTrades).toBeGreaterThanOrEqual(30);
    expect(audit.duplicates).toBe(0);
    expect(audit.unexplainedMissing).toBe(0);
    expect(audit.phantomCopies).toBe(0);
    expect(audit.copied + audit.skipped).toBe(audit.targetTrades);
    expect(audit.copied).toBeGreaterThan(0);
    expect(Number(fills[0]!.n)).toBeGreaterThan(0);
    expect(Number(seen[0]!.n)).toBeGreaterThanOrEqual(audit.targetTrades);
    // Paper never reaches the exchange: the only new ledger rows are the synthetic traders'.
    const mine = (await ledger(sb))
      .slice(ledgerBefore)
      .filter((l) => l.taker.toLowerCase() === '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266');
    expect(mine).toHaveLength(0);
  }, 180_000);
});
