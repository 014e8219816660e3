/**
 * Detection latency by source on the sandbox settling on its local chain (2 s blocks, as Polygon): for
 * each target fill, the time from the sandbox's match (ledger `tsMs`) to when RTDS, the Data API poll
 * (5 s, the session default) and the chain feed (1 and 2 confirmations) first delivered it.
 * Caveat: the sandbox publishes a fill to RTDS and the Data API when its settlement is mined (so all three
 * agree on the tx hash), while the real RTDS pushes at match time and the real Data API indexes 20–40 s
 * late; so here RTDS ≈ chain with one confirmation, and the Data API is only its poll interval behind.
 */
import type { TargetTradeSeen } from '../src/core/events.ts';
import { ActivityPoller } from '../src/feeds/activity-poller.ts';
import { ChainFeed } from '../src/feeds/chain-feed.ts';
import { RtdsFeed } from '../src/feeds/rtds-feed.ts';
import { startSandbox } from '../src/sandbox/index.ts';

const TARGET = '0x1111111111111111111111111111111111111111';
const BLOCK_MS = 2000;

export async function benchChainLatency(): Promise<Record<string, number>> {
  const sb = await startSandbox({
    port: 0,
    chain: { blockTimeMs: BLOCK_MS },
    scenario: {
      seed: 9,
      rtdsPingIntervalMs: 0,
      markets: [{ slug: 'detect-a', fairValue: 0.5, volatility: 0.002 }],
      makers: [{ levels: 5, sizeShares: 5000, refreshMs: 5000 }],
      traders: [{ address: TARGET, ratePerMinute: 40, sizeUsd: [10, 30], startingUsdc: 1_000_000 }],
    },
  });
  const first = new Map<string, Map<string, number>>(); // source → tx → first tsRecv
  const seen = (name: string) => (e: { type: string }) => {
    if (e.type !== 'target_trade') return;
    const t = e as TargetTradeSeen;
    const bySource = first.get(name) ?? new Map<string, number>();
    first.set(name, bySource);
    const tx = t.trade.txHash.toLowerCase();
    if (!bySource.has(tx)) bySource.set(tx, t.tsRecv);
  };
  const quiet = () => {};
  const c = sb.chain!;
  const chainFeed = (confirmations: number) =>
    new ChainFeed({
      wallets: [TARGET],
      rpcUrl: c.rpcUrl,
      wsUrl: c.wsUrl,
      exchanges: [c.contracts.exchange, c.contracts.negRiskExchange],
      confirmations,
      log: quiet,
    });
  const feeds = [
    { name: 'rtds', feed: new RtdsFeed({ host: sb.urls.rtds, wallets: [TARGET], log: quiet }) },
    { name: 'data_api', feed: new ActivityPoller({ baseUrl: sb.urls.data, wallets: [TARGET], intervalMs: 5000, log: quiet }) },
    { name: 'chain_conf1', feed: chainFeed(1) },
    { name: 'chain_conf2', feed: chainFeed(2) },
  ];
  try {
    await Promise.all(feeds.map((f) => f.feed.start(seen(f.name))));
    const end = Date.now() + 60_000;
    const settled = () => new Set(sb.state.ledger.filter((f) => f.settledAtMs < Number.MAX_SAFE_INTEGER).map((f) => f.txHash));
    while (Date.now() < end && settled().size < 25) await new Promise((r) => setTimeout(r, 250));
    sb.flow.stop();
    // Let the slowest source (the poll) catch up with the last fills.
    await new Promise((r) => setTimeout(r, 12_000));
    const matchedAt = new Map<string, number>();
    for (const f of sb.state.ledger) {
      if (f.settledAtMs === Number.MAX_SAFE_INTEGER || (f.takerAddress !== TARGET && f.makerAddress !== TARGET)) continue;
      const tx = f.txHash.toLowerCase();
      if (!matchedAt.has(tx)) matchedAt.set(tx, f.tsMs);
    }
    const out: Record<string, number> = { chain_block_ms: BLOCK_MS, detect_fills: matchedAt.size };
    const firstBy: Record<string, number> = {};
    for (const [tx, at] of matchedAt) {
      const winner = feeds.map((f) => [f.name, first.get(f.name)?.get(tx)] as const).filter(([, t]) => t !== undefined);
      winner.sort((a, b) => a[1]! - b[1]!);
      if (winner[0]) firstBy[winner[0][0]] = (firstBy[winner[0][0]] ?? 0) + 1;
      void at;
    }
    for (const f of feeds) {
      const lat = [...matchedAt].flatMap(([tx, at]) => {
        const t = first.get(f.name)?.get(tx);
        return t === undefined ? [] : [t - at];
      });
      out[`detect_${f.name}_ms_p50`] = pct(lat, 50);
      out[`detect_${f.name}_ms_p90`] = pct(lat, 90);
      out[`detect_${f.name}_seen`] = lat.length;
      out[`detect_${f.name}_first`] = firstBy[f.name] ?? 0;
    }
    out.detect_chain_conf1_blocks_p50 = Math.round((out.detect_chain_conf1_ms_p50! / BLOCK_MS) * 100) / 100;
    out.detect_chain_conf2_blocks_p50 = Math.round((out.detect_chain_conf2_ms_p50! / BLOCK_MS) * 100) / 100;
    return out;
  } finally {
    await Promise.all(feeds.map((f) => f.feed.stop()));
    await sb.stop();
  }
}

function pct(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return Math.round(sorted[i]!);
}
