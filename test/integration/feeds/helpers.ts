/** Shared setup for the live-feed tests: an in-process sandbox with a busy synthetic trader. */
import { FillDedup } from '../../../src/core/dedup.ts';
import type { EngineEvent, TargetTradeSeen } from '../../../src/core/events.ts';
import type { LedgerFill } from '../../../src/sandbox/exchange/types.ts';
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
  return keysOf(
    sb.state.ledger.filter((f) => f.tsMs >= fromMs && f.tsMs <= toMs),
    wallet,
  );
}

/** Like ledgerKeys, for the fills after ledger position `fromSeq` (e.g. the ledger's length when a feed subscribed). */
export function ledgerKeysSince(sb: Sandbox, wallet: string, fromSeq: number): string[] {
  return keysOf(sb.state.ledger.slice(fromSeq), wallet);
}

function keysOf(fills: readonly LedgerFill[], wallet: string): string[] {
  const keys: string[] = [];
  for (const f of fills) {
    for (const [who, side] of [
      [f.takerAddress, f.takerSide],
      [f.makerAddress, f.takerSide === 'BUY' ? 'SELL' : 'BUY'],
    ] as const) {
      if (who !== wallet) continue;
      keys.push(`${f.txHash.toLowerCase()}:${wallet.toLowerCase()}:${f.tokenId}:${side}:${f.sizeMicros}:${f.priceMicros}#1`);
    }
  }
  return keys;
}

const HOUSE_MAKER = '0x9999999999999999999999999999999999999999';

/**
 * Makes `wallet` buy `shares` of the first market's first token from a resting order of a house maker,
 * now: one fill, on the ledger and broadcast at once (settlement delay 0). Returns that fill's key as
 * the ledger has it. For tests that need a fill at a chosen moment instead of the synthetic flow.
 */
export function fillNow(sb: Sandbox, wallet: string, shares = 10): string {
  const ex = sb.state;
  const token = [...ex.markets.values()][0]!.tokenIds[0];
  for (const a of [HOUSE_MAKER, wallet]) ex.accounts.get(a).unlimited = true;
  const size = shares * 1_000_000;
  const usdc = shares * 500_000; // at 0.50
  const place = (makerAddress: string, side: 'BUY' | 'SELL', type: 'GTC' | 'FAK') => {
    const r = ex.place({
      id: ex.hash32('test-order'),
      owner: makerAddress,
      makerAddress,
      signer: makerAddress,
      tokenId: token,
      side,
      type,
      makerAmountMicros: side === 'BUY' ? usdc : size,
      takerAmountMicros: side === 'BUY' ? size : usdc,
      expirationSec: 0,
      postOnly: false,
      source: 'clob',
    });
    if (!r.ok) throw new Error(`fillNow: ${r.error}`);
  };
  place(HOUSE_MAKER, 'SELL', 'GTC');
  place(wallet, 'BUY', 'FAK');
  const f = ex.ledger.at(-1)!;
  return `${f.txHash.toLowerCase()}:${wallet.toLowerCase()}:${f.tokenId}:BUY:${f.sizeMicros}:${f.priceMicros}#1`;
}
