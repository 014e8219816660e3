/**
 * What polytail assumes about a market whose metadata does not say: Polymarket's usual tick (0.01)
 * and minimum limit-order size (5 shares). Used when a market is inferred from trades (imports, a
 * target trade before Gamma answered) and when Gamma leaves a field out.
 */
import type { Micros } from '../core/money.ts';
import type { MarketInfo, TargetTrade } from '../core/types.ts';

export const DEFAULT_TICK_MICROS: Micros = 10_000;
export const DEFAULT_MIN_ORDER_SIZE_MICROS: Micros = 5_000_000;

/** A market known only from a trade in it: the trade's token and outcome, the default tick and size. */
export function marketOfTrade(trade: TargetTrade): MarketInfo {
  return {
    conditionId: trade.conditionId,
    slug: trade.slug,
    question: trade.title,
    tokens: [{ tokenId: trade.tokenId, outcome: trade.outcome }],
    negRisk: false,
    tickMicros: DEFAULT_TICK_MICROS,
    minOrderSizeMicros: DEFAULT_MIN_ORDER_SIZE_MICROS,
  };
}
