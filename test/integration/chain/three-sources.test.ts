/**
 * RTDS (trades + orders_matched), the Data API poll and the chain feed race on the same target fills of
 * a sandbox settling on chain. Cross-source rule (docs/feeds.md): a fill's identity is tx hash + token +
 * side + size + price (+ its occurrence among identical fills of the same source), which all three share,
 * so the engine's dedup copies each fill once whichever source is first.
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
      makers: [{ levels: 3, sizeShares: 300, refreshMs: 2000 }],
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
      const expected = expectedKeys();
      const dedup = new FillDedup();
      const firstBy = new Map<string, string>();
      const copied = () => {
        const keys: string[] = [];
        const d = new FillDedup();
        for (const e of seen) {
          const a = d.accept(e, e.occurrence);
          if (a) keys.push(a.key!);
        }
        return keys;
      };
      await until(
        'every source saw every fill',
        () => {
          const bySource = (s: string) => seen.filter((e) => e.source === s).length;
          return bySource('chain') >= expected.length && bySource('rtds') >= expected.length && bySource('data-api') >= expected.length
            ? true
            : undefined;
        },
        60_000,
      );
      for (const e of seen) {
        const a = dedup.accept(e, e.occurrence);
        if (a) firstBy.set(a.key!, e.source);
      }
      expect(copied().sort()).toEqual(expected.sort());
      expect(dedup.duplicates).toBe(seen.length - expected.length);
      expect(new Set(firstBy.values()).size).toBeGreaterThanOrEqual(1);
    } finally {
      await Promise.all([rtds.stop(), poller.stop(), chain.stop()]);
    }
  }, 240_000);
});

/** The target's settled fills as dedup keys, identical fills of one tx numbered 1, 2, … */
function expectedKeys(): string[] {
  const counts = new Map<string, number>();
  const keys: string[] = [];
  for (const f of sb.state.ledger) {
    if (f.settledAtMs === Number.MAX_SAFE_INTEGER || f.forcedStatus === 'FAILED') continue;
    for (const [who, side] of [
      [f.takerAddress, f.takerSide],
      [f.makerAddress, f.takerSide === 'BUY' ? 'SELL' : 'BUY'],
    ] as const) {
      if (who !== TARGET) continue;
      const ck = `${f.txHash.toLowerCase()}:${f.tokenId}:${side}:${f.sizeMicros}:${f.priceMicros}`;
      const n = (counts.get(ck) ?? 0) + 1;
      counts.set(ck, n);
      keys.push(`${ck}#${n}`);
    }
  }
  return keys;
}
