/**
 * The position sync loop against the sandbox: quiet when the target book is right, a missed_trade alert
 * with numbers when not. The target starts trading only after the session is up, so its book (seeded
 * from /positions at start, then advanced by every trade seen) must equal /positions on its own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../../src/core/ports.ts';
import { startLiveSession } from '../../../src/modes/live-session.ts';
import type { Sandbox } from '../../../src/sandbox/index.ts';
import { waitUntil } from '../../helpers/wait.ts';
import { WHALE, configFor, startFastSandbox, tempDataDir } from './helpers.ts';

let sb: Sandbox;
beforeAll(async () => {
  sb = await startFastSandbox({ synthetic: false });
});
afterAll(() => sb.stop());

describe('position sync', () => {
  it('is quiet when the target book matches the Data API, and reports a missed trade (confirmed on the second check) when the target book is off', async () => {
    const alerts: Alert[] = [];
    const session = await startLiveSession({
      mode: 'paper',
      config: configFor(tempDataDir(), [WHALE]),
      sandboxUrl: sb.urls.clob,
      pollIntervalMs: 1000,
      syncIntervalMs: 0,
      env: {},
      listeners: [{ onAlert: (a) => alerts.push(a) }],
    });
    try {
      // Trading starts now that the session is up: no trade can fall between the /positions seed and
      // the feeds (the start-up window docs/modes.md warns about).
      sb.flow.start();
      await waitUntil(() => session.engine.stats.targetTrades >= 15, '15 target trades', { timeoutMs: 60_000 });
      // No target trade after this; drain() reads the Data API once more and waits until every trade
      // received (RTDS or Data API, none held back for its market) is in the target book: nothing moves now.
      sb.flow.stop();
      await session.drain();
      // The book was built from the trades alone: the sync must find it equal to /positions.
      await session.sync.runNow();
      const healthy = await session.sync.runNow();
      expect(healthy.checkedWallets).toBe(1);
      expect(healthy.missed, JSON.stringify(healthy.missed)).toEqual([]);
      expect(alerts.filter((a) => a.code === 'missed_trade')).toEqual([]);

      // Forget everything the target holds, as if its trades had never arrived.
      const held = [...session.engine.targets.positionsOf(WHALE)];
      // Against an empty book only positions beyond the tolerance (1 share) are a difference: a sell can
      // leave the target a fraction of a share, which is not a missed trade.
      const beyondTolerance = held.filter(([, size]) => size > 1_000_000).map(([tokenId]) => tokenId);
      expect(beyondTolerance.length).toBeGreaterThan(0);
      session.engine.seedTarget(WHALE, []);
      const first = await session.sync.runNow();
      expect(first.missed).toEqual([]); // one sighting could be a trade in flight
      session.engine.control.resync(); // the TUI's `r`: the second check (this call shares it if it still runs)
      const second = await session.sync.runNow();
      expect(second.missed.map((m) => m.tokenId).sort()).toEqual(beyondTolerance.sort());
      const alert = alerts.find((a) => a.code === 'missed_trade')!;
      expect(alert.details?.bookMicros).toBe(0);
      expect(alert.details?.apiMicros).toBe(Object.fromEntries(held)[String(alert.details?.tokenId)]);
    } finally {
      await session.stop();
    }
  }, 180_000);
});
