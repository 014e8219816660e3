/**
 * RTDS (trades + orders_matched), the Data API poll and the chain feed race on the same target fills of
 * a sandbox settling on chain. Cross-source rule (docs/feeds.md): a fill's identity is tx hash + token +
 * side + size + price (+ its occurrence among identical fills of the same source); and because the chain
 * reports a taking order once with the totals of its match while RTDS and the Data API list it per maker
 * fill, dedup also joins a transaction's reports by size. The books are thin, so the target's orders
 * cross several levels: every share the target traded is copied once, whichever source is first.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FillDedup } from '../../../src/core/dedup.ts';
import type { TargetTradeSeen } from '../../../src/core/events.ts';
import { ActivityPoller } from '../../../src/feeds/activity-poller.ts';
import { ChainFeed } from '../../../src/feeds/chain-feed.ts';
import { RtdsFeed } from '../../../src/feeds/rtds-feed.ts';
import type { Sandbox } from '../../../src/sandbox/index.ts';
import { startSandbox } from '../../../src/sandbox/index.ts';
import { until } from './helpers.ts';

const TARGET = '0x1111111111111111111111111111111111111111';
let sb: Sandbox;

beforeAll(async () => {
  sb = await startSandbox({
    port: 0,
    chain: { blockTimeMs: 250 },
    scenario: {
      seed: 5,
      clockSpeed: 10,
      rtdsPingIntervalMs: 0,
      markets: [
        { slug: 'race-a', fairValue: 0.6, volatility: 0.01 },
        { slug: 'race-b', fairValue: 0.3, negRisk: true },
      ],
      makers: [{ levels: 4, sizeShares: 15, refreshMs: 1500 }],
      traders: [{ address: TARGET, ratePerMinute: 30, sizeUsd: [5, 40] }],
    },
  });
});
afterAll(async () => {
  await sb?.stop();
});

describe('three sources racing', () => {
  it('copies every target fill once, whichever of RTDS, the Data API and the chain sees it first', async () => {
    const startMs = Date.now();
    const seen: TargetTradeSeen[] = [];
    const emit = (e: { type: string }) => e.type === 'target_trade' && seen.push(e as TargetTradeSeen);
    const quiet = () => {};
    const rtds = new RtdsFeed({ host: sb.urls.rtds, wallets: [TARGET], log: quiet });
    const poller = new ActivityPoller({ baseUrl: sb.urls.data, wallets: [TARGET], intervalMs: 300, startMs: startMs - 5000, log: quiet });
    const c = sb.chain!;
    const chain = new ChainFeed({
      wallets: [TARGET],
      rpcUrl: c.rpcUrl,
      wsUrl: c.wsUrl,
      exchanges: [c.contracts.exchange, c.contracts.negRiskExchange],
      confirmations: 1,
      pollIntervalMs: 200,
      log: quiet,
    });
    await Promise.all([rtds.start(emit), poller.start(emit), chain.start(emit)]);
    try {
      await until(
        'target fills',
        () =>
          sb.state.ledger.filter((f) => f.takerAddress === TARGET && f.settledAtMs < Number.MAX_SAFE_INTEGER).length >= 12
            ? true
            : undefined,
        60_000,
      );
      sb.flow.stop();
      await until('in-flight settlements', () =>
        sb.state.ledger.every((f) => f.settledAtMs < Number.MAX_SAFE_INTEGER) ? true : undefined,
      );
      const expected = expectedShares();
      await until(
        'every source saw every fill',
        () => {
          const got = (s: string) => groupShares(seen.filter((e) => e.source === s));
          return ['chain', 'rtds', 'data-api'].every((s) => sameShares(got(s), expected)) ? true : undefined;
        },
        60_000,
      );
      const dedup = new FillDedup();
      const copied: TargetTradeSeen[] = [];
      for (const e of seen) {
        const a = dedup.accept(e, e.occurrence);
        if (a) copied.push(a);
      }
      // The target really crossed levels: some chain events total a match the other sources list per level.
      const multiLevel = seen.filter((e) => e.orderTotal && seen.filter((o) => o.source === 'rtds' && sameGroup(o, e)).length > 1);
      expect(multiLevel.length).toBeGreaterThan(0);
      expect(groupShares(copied)).toEqual(expected);
      expect(copied.length + dedup.duplicates).toBe(seen.length);
    } finally {
      await Promise.all([rtds.stop(), poller.stop(), chain.stop()]);
    }
  }, 240_000);
});

const groupOf = (e: TargetTradeSeen) => `${e.trade.txHash.toLowerCase()}:${e.trade.tokenId}:${e.trade.side}`;
const sameGroup = (a: TargetTradeSeen, b: TargetTradeSeen) => groupOf(a) === groupOf(b);

/** Shares per transaction, token and side (what the target traded, in any granularity). */
function groupShares(events: TargetTradeSeen[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of events) out[groupOf(e)] = (out[groupOf(e)] ?? 0) + e.trade.sizeMicros;
  return out;
}

function sameShares(a: Record<string, number>, b: Record<string, number>): boolean {
  return Object.keys(b).every((k) => a[k] === b[k]);
}

/** The target's settled fills from the sandbox's ledger, as shares per transaction, token and side. */
function expectedShares(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of sb.state.ledger) {
    if (f.settledAtMs === Number.MAX_SAFE_INTEGER || f.forcedStatus === 'FAILED') continue;
    for (const [who, side] of [
      [f.takerAddress, f.takerSide],
      [f.makerAddress, f.takerSide === 'BUY' ? 'SELL' : 'BUY'],
    ] as const) {
      if (who !== TARGET) continue;
      const k = `${f.txHash.toLowerCase()}:${f.tokenId}:${side}`;
      out[k] = (out[k] ?? 0) + f.sizeMicros;
    }
  }
  return out;
}
