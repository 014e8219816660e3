/** Shared setup for the live-feed tests: an in-process sandbox with a busy synthetic trader. */
import { FillDedup } from '../../../src/core/dedup.ts';
import type { EngineEvent, TargetTradeSeen } from '../../../src/core/events.ts';
import { type Sandbox, type ScenarioInput, startSandbox } from '../../../src/sandbox/index.ts';
import type { FeedLog } from '../../../src/feeds/feed.ts';

export const TARGET = '0x1111111111111111111111111111111111111111';
export const OTHER = '0x2222222222222222222222222222222222222222';

/** One market, a maker re-quoting, our target and another trader taking liquidity several times a second. */
export const FEED_SCENARIO: ScenarioInput = {
  seed: 5,
  clockSpeed: 1,
  rtdsPingIntervalMs: 0,
  markets: [{ slug: 'feed-market', fairValue: 0.5, volatility: 0.002 }],
  makers: [{ levels: 4, sizeShares: 5000, refreshMs: 500 }],
  traders: [
    { address: TARGET, name: 'feed-target', ratePerMinute: 300, sizeUsd: [2, 10], sellProbability: 0.3 },
    { address: OTHER, name: 'feed-other', ratePerMinute: 300, sizeUsd: [2, 10] },
  ],
};

export async function startFeedSandbox(overrides: Partial<ScenarioInput> = {}, synthetic = true): Promise<Sandbox> {
  return startSandbox({ port: 0, scenario: { ...FEED_SCENARIO, ...overrides }, synthetic });
}

/** A log that keeps lines for assertions instead of printing them. */
export function memoryLog(): { log: FeedLog; lines: string[] } {
  const lines: string[] = [];
  return { lines, log: (level, message) => lines.push(`${level}: ${message}`) };
}

/** Collects target trades; `keys()` runs them through a real FillDedup the way the engine does. */
export function tradeSink() {
  const events: TargetTradeSeen[] = [];
  const all: EngineEvent[] = [];
  return {
    events,
    all,
    emit: (e: EngineEvent) => {
      all.push(e);
      if (e.type === 'target_trade') events.push(e);
    },
  };
}

export function dedupKeys(events: TargetTradeSeen[], dedup = new FillDedup()): string[] {
  const out: string[] = [];
  for (const e of events) {
    const accepted = dedup.accept(e, e.occurrence);
    if (accepted) out.push(accepted.key!);
  }
  return out;
}

/** The target's fills as the sandbox ledger knows them (settled, either side), as dedup keys with occurrence 1. */
export function ledgerKeys(sb: Sandbox, wallet: string, fromMs = 0, toMs = Number.MAX_SAFE_INTEGER): string[] {
  const keys: string[] = [];
  for (const f of sb.state.ledger) {
    if (f.tsMs < fromMs || f.tsMs > toMs) continue;
    for (const [who, side] of [
      [f.takerAddress, f.takerSide],
      [f.makerAddress, f.takerSide === 'BUY' ? 'SELL' : 'BUY'],
    ] as const) {
      if (who !== wallet) continue;
      keys.push(`${f.txHash.toLowerCase()}:${f.tokenId}:${side}:${f.sizeMicros}:${f.priceMicros}#1`);
    }
  }
  return keys;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
