/**
 * Markets a target holds are loaded when the target is added, not on its first trade: a live session
 * against the sandbox, one target that holds a position in one market before the session starts and
 * another that holds nothing. The held market's trades pass the market gate and sign from cache (no
 * miss counted); the other target's first trade on a market nobody prefetched still gets copied, and
 * is counted as a miss on both the gate and the signer. Every copy is posted once. The background
 * refresh then picks up a tick size change.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/config.ts';
import { startLiveSession } from '../../../src/modes/live-session.ts';
import { startSandbox, type Sandbox } from '../../../src/sandbox/index.ts';
import type { TraderSpec } from '../../../src/sandbox/scenario.ts';
import { waitUntil } from '../../helpers/wait.ts';
import { tempDataDir } from './helpers.ts';

const HOLDER = '0x3333333333333333333333333333333333333333';
const NEWCOMER = '0x4444444444444444444444444444444444444444';
const holder: TraderSpec = {
  address: HOLDER,
  ratePerMinute: 1,
  sizeUsd: [10, 20],
  markets: ['held-market'],
  sellProbability: 0,
  startingUsdc: 100_000,
};
const newcomer: TraderSpec = { ...holder, address: NEWCOMER, markets: ['fresh-market'] };

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox({
    port: 0,
    synthetic: false,
    scenario: {
      seed: 5,
      rtdsPingIntervalMs: 0,
      markets: [
        { slug: 'held-market', fairValue: 0.5, volatility: 0 },
        { slug: 'fresh-market', fairValue: 0.5, volatility: 0 },
      ],
      makers: [{ levels: 3, sizeShares: 5000, refreshMs: 60_000 }],
      traders: [holder, newcomer],
    },
  });
  sb.flow.requoteAll();
});
afterAll(() => sb.stop());

const heldTokens = async (wallet: string) =>
  ((await (await fetch(`${sb.urls.data}/positions?user=${wallet}`)).json()) as { asset: string }[]).map((p) => p.asset);

describe('markets of held tokens are prefetched', () => {
  it('copies a held market from cache, and a market nobody prefetched after fetching it (counted), each once', async () => {
    // The holder holds both outcomes of its market before it is added (its buys pick an outcome at random).
    for (let i = 0; i < 40 && (await heldTokens(HOLDER)).length < 2; i++) sb.flow.trade(holder);
    expect((await heldTokens(HOLDER)).length).toBe(2);
    expect(await heldTokens(NEWCOMER)).toEqual([]);
    const session = await startLiveSession({
      mode: 'live',
      config: parseConfig({ dataDir: tempDataDir(), startingCashUsdc: 10_000, targets: [{ wallet: HOLDER }, { wallet: NEWCOMER }] }),
      sandboxUrl: sb.urls.clob,
      syncIntervalMs: 0,
      env: {},
    });
    try {
      await session.prefetch.idle();
      expect(session.prefetch.stats).toMatchObject({ queued: 2, done: 2, failed: 0 });
      const signer = session.venue.clob!.signer;
      const journal = session.venue.journal!;
      const copies = () => journal.entries().length;

      for (let i = 0; i < 3; i++) {
        const before = copies();
        sb.flow.trade(holder);
        await waitUntil(() => copies() > before, `copy #${i + 1} of the holder's trade posted`, { timeoutMs: 30_000 });
      }
      await session.venue.clob!.idle();
      // Each fill may arrive twice (RTDS, then the Data API poll): the gate counts deliveries.
      expect(session.gateStats.held).toBe(0);
      expect(session.gateStats.passed).toBeGreaterThanOrEqual(3);
      // A trade that swept several levels is several fills, each copied: one signing per journalled order.
      expect(signer.marketInfoStats).toEqual({ hits: copies(), misses: 0 });
      const heldHits = copies();

      const before = copies();
      sb.flow.trade(newcomer);
      await waitUntil(() => copies() > before, "copy of the newcomer's first trade posted", { timeoutMs: 30_000 });
      await session.venue.clob!.idle();
      expect(session.gateStats.held).toBeGreaterThanOrEqual(1);
      expect(signer.marketInfoStats.hits).toBeGreaterThanOrEqual(heldHits);
      expect(signer.marketInfoStats.misses).toBeGreaterThanOrEqual(1);
      expect(signer.marketInfoStats.hits + signer.marketInfoStats.misses).toBe(copies());

      // One order per target fill, all accepted by the exchange.
      const causes = journal.entries().map((e) => e.intent.order.causeKey);
      expect(new Set(causes).size).toBe(causes.length);
      expect(journal.entries().every((e) => e.outcome?.status === 'accepted' || e.outcome?.status === 'filled')).toBe(true);

      // The background refresh picks up a changed tick size (the SDK caches it forever otherwise).
      const token = (await heldTokens(HOLDER))[0]!;
      const market = sb.state.market(token)!.market;
      expect(session.venue.clob!.client.tickSizes[token]).toBe('0.01');
      sb.state.setTickSize(market.conditionId, 1_000);
      await session.prefetch.refresh();
      expect(session.prefetch.stats.refreshes).toBe(1);
      expect(session.venue.clob!.client.tickSizes[token]).toBe('0.001');
    } finally {
      await session.stop();
    }
  }, 180_000);
});
