/** The position sync loop against the sandbox: quiet when the target book is right, a missed_trade alert with numbers when not. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../../src/core/ports.ts';
import { startLiveSession } from '../../../src/modes/live-session.ts';
import type { Sandbox } from '../../../src/sandbox/index.ts';
import { WHALE, configFor, sleep, startFastSandbox, tempDataDir, waitFor } from './helpers.ts';

let sb: Sandbox;
beforeAll(async () => {
  sb = await startFastSandbox();
});
afterAll(() => sb.stop());

describe('position sync', () => {
  it('is quiet when the target book matches the Data API, and reports a missed trade (confirmed on the second check) when the target book is off', async () => {
    const alerts: Alert[] = [];
    const session = await startLiveSession({ mode: 'paper', config: configFor(tempDataDir(), [WHALE]), sandboxUrl: sb.urls.clob, pollIntervalMs: 1000, syncIntervalMs: 0, env: {}, listeners: [{ onAlert: (a) => alerts.push(a) }] });
    try {
      expect(await waitFor(() => session.engine.stats.targetTrades >= 15, 15_000)).toBe(true);
      sb.flow.stop();
      await sleep(1500);
      // In the fast sandbox the book drifts from /positions (see docs/modes.md); start from the API's view.
      session.engine.targets.seed(WHALE, await session.poller.fetchPositions(WHALE));
      await session.sync.runNow();
      const healthy = await session.sync.runNow();
      expect(healthy.checkedWallets).toBe(1);
      expect(healthy.missed, JSON.stringify(healthy.missed)).toEqual([]);
      expect(alerts.filter((a) => a.code === 'missed_trade')).toEqual([]);

      // Forget everything the target holds, as if its trades had never arrived.
      const held = [...session.engine.targets.positionsOf(WHALE)];
      expect(held.length).toBeGreaterThan(0);
      session.engine.targets.seed(WHALE, []);
      const first = await session.sync.runNow();
      expect(first.missed).toEqual([]); // one sighting could be a trade in flight
      session.engine.control.resync(); // the TUI's `r`
      await sleep(50);
      const second = await session.sync.runNow();
      expect(second.missed.length).toBe(held.length);
      const alert = alerts.find((a) => a.code === 'missed_trade')!;
      expect(alert.details?.bookMicros).toBe(0);
      expect(alert.details?.apiMicros).toBe(Object.fromEntries(held)[String(alert.details?.tokenId)]);
    } finally {
      await session.stop();
    }
  });
});
