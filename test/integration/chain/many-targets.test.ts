/**
 * 500 targets on one sandbox settling on chain: the chain feed follows them all in three topic filters
 * (200 makers each), the Data API poll spreads its 500 requests a round under its request budget and
 * says how long a round takes, and after dedup across RTDS, the Data API and the chain every share each
 * target traded is seen exactly once.
 */
import { utils } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FillDedup } from '../../../src/core/dedup.ts';
import type { TargetTradeSeen } from '../../../src/core/events.ts';
import { ActivityPoller } from '../../../src/feeds/activity-poller.ts';
import { ChainFeed } from '../../../src/feeds/chain-feed.ts';
import { RequestBudget } from '../../../src/feeds/request-budget.ts';
import { RtdsFeed } from '../../../src/feeds/rtds-feed.ts';
import type { Sandbox } from '../../../src/sandbox/index.ts';
import { startSandbox } from '../../../src/sandbox/index.ts';
import { until } from './helpers.ts';

const TARGETS = Array.from({ length: 500 }, (_, i) => utils.hexDataSlice(utils.id(`polytail target ${i}`), 12).toLowerCase());
const WATCHED = new Set(TARGETS);
let sb: Sandbox;

beforeAll(async () => {
  sb = await startSandbox({
    port: 0,
    chain: { blockTimeMs: 500 },
    scenario: {
      seed: 11,
      rtdsPingIntervalMs: 0,
      markets: [
        { slug: 'many-a', fairValue: 0.5, volatility: 0.01 },
        { slug: 'many-b', fairValue: 0.35, negRisk: true },
      ],
      makers: [{ levels: 4, sizeShares: 400, refreshMs: 2000 }],
      // About 2.5 trades a second between them, each target rarely.
      traders: TARGETS.map((address) => ({ address, ratePerMinute: 0.3, sizeUsd: [5, 20], startingUsdc: 1000 })),
    },
  });
}, 120_000);
afterAll(async () => {
  await sb?.stop();
});

describe('500 targets', () => {
  it('are followed in a few topic filters and a budgeted poll; every fill is seen once after dedup', async () => {
    const startMs = Date.now();
    const seen: TargetTradeSeen[] = [];
    const emit = (e: { type: string }) => e.type === 'target_trade' && seen.push(e as TargetTradeSeen);
    const quiet = () => {};
    const requestTimes: number[] = [];
    // The starts as the budget counted them, on its own clock: what its limit is defined on.
    const budgetStarts: number[] = [];
    const budget = new RequestBudget({ requests: 200, perMs: 1000, onStart: (t) => budgetStarts.push(t) });
    const rtds = new RtdsFeed({ host: sb.urls.rtds, wallets: TARGETS, log: quiet });
    const poller = new ActivityPoller({
      baseUrl: sb.urls.data,
      wallets: TARGETS,
      intervalMs: 500,
      startMs: startMs - 5000,
      concurrency: 8,
      requestBudget: budget,
      http: { fetch: (url, init) => (requestTimes.push(Date.now()), fetch(url, init)) },
      log: quiet,
    });
    const c = sb.chain!;
    const chain = new ChainFeed({
      wallets: TARGETS,
      rpcUrl: c.rpcUrl,
      wsUrl: c.wsUrl,
      exchanges: [c.contracts.exchange, c.contracts.negRiskExchange],
      confirmations: 1,
      pollIntervalMs: 500,
      log: quiet,
    });
    expect(chain.filterCount).toBe(3);
    await Promise.all([rtds.start(emit), poller.start(emit), chain.start(emit)]);
    try {
      await until('target fills', () => (settledTargetFills() >= 40 ? true : undefined), 180_000);
      sb.flow.stop();
      await until('in-flight settlements', () =>
        sb.state.ledger.every((f) => f.settledAtMs < Number.MAX_SAFE_INTEGER) ? true : undefined,
      );
      const expected = expectedShares();
      const traders = new Set(Object.keys(expected).map((k) => k.split(':')[0]));
      expect(traders.size).toBeGreaterThan(20);
      await until(
        'the chain and the Data API saw every fill',
        () => (['chain', 'data-api'].every((s) => covers(groupShares(seen.filter((e) => e.source === s)), expected)) ? true : undefined),
        120_000,
      );
      const dedup = new FillDedup();
      const copied = seen.flatMap((e) => dedup.accept(e, e.occurrence) ?? []);
      expect(groupShares(copied)).toEqual(expected);
      // A round of 500 wallets at 200 requests a second takes at least two seconds, never a burst above the budget.
      expect(poller.stats.lastRoundMs).toBeGreaterThanOrEqual(2000);
      // The budget's definition: no 201 starts within any 1000 ms (a start leaves the window perMs after it).
      expect(budgetStarts.length).toBeGreaterThanOrEqual(TARGETS.length);
      const tooClose = budgetStarts.filter((t, i) => i + 200 < budgetStarts.length && budgetStarts[i + 200]! - t < 1000);
      expect(tooClose).toEqual([]);
      // And no request bypassed it: the k-th request sent had at least k starts granted before it.
      // (Wall-clock spacing of the sends themselves is not asserted: a loaded machine delays a granted send.)
      expect(budgetStarts.length).toBeGreaterThanOrEqual(requestTimes.length);
      const early = requestTimes.filter((t, k) => t < budgetStarts[k]!);
      expect(early).toEqual([]);
    } finally {
      await Promise.all([rtds.stop(), poller.stop(), chain.stop()]);
    }
  }, 400_000);
});

function settledTargetFills(): number {
  return sb.state.ledger.filter(
    (f) => f.settledAtMs < Number.MAX_SAFE_INTEGER && (WATCHED.has(f.takerAddress) || WATCHED.has(f.makerAddress)),
  ).length;
}

const groupOf = (wallet: string, tx: string, token: string, side: string) => `${wallet}:${tx.toLowerCase()}:${token}:${side}`;

function groupShares(events: TargetTradeSeen[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of events) {
    const k = groupOf(e.trade.wallet.toLowerCase(), e.trade.txHash, e.trade.tokenId, e.trade.side);
    out[k] = (out[k] ?? 0) + e.trade.sizeMicros;
  }
  return out;
}

const covers = (got: Record<string, number>, want: Record<string, number>) => Object.keys(want).every((k) => got[k] === want[k]);

/** Every target's settled fills from the sandbox's ledger: shares per target, transaction, token and side. */
function expectedShares(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of sb.state.ledger) {
    if (f.settledAtMs === Number.MAX_SAFE_INTEGER || f.forcedStatus === 'FAILED') continue;
    for (const [who, side] of [
      [f.takerAddress, f.takerSide],
      [f.makerAddress, f.takerSide === 'BUY' ? 'SELL' : 'BUY'],
    ] as const) {
      if (!WATCHED.has(who)) continue;
      const k = groupOf(who, f.txHash, f.tokenId, side);
      out[k] = (out[k] ?? 0) + f.sizeMicros;
    }
  }
  return out;
}
