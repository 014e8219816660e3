/**
 * Copies that fall below the exchange minimum (5 shares for limit orders, $1 for market BUYs) can be
 * held and added up per token and side until together they reach it, instead of being skipped.
 */
import { notional, sharesFor, type Micros } from '../core/money.ts';
import type { MarketInfo, OrderIntent, Side } from '../core/types.ts';
import type { ShapedOrder } from './shaping-types.ts';
import { isMarketType } from './rules-amounts.ts';
import { shapeOrder } from './order-rules.ts';

export interface AccumulatorOptions {
  /** Pending quantity older than this is dropped rather than sent late. Default: never. */
  maxAgeMs?: number;
  /** A BUY clears a pending SELL of the same token and vice versa (the target changed its mind). Default true. */
  dropOnOppositeSide?: boolean;
}

interface Pending {
  micros: Micros;
  unit: 'usdc' | 'shares';
  count: number;
  sinceMs: number;
}

export type AccumulatorResult =
  | { action: 'submit'; intent: OrderIntent; order: ShapedOrder; adjustments: string[]; combinedCount: number }
  | { action: 'hold'; reason: string; message: string; pendingMicros: Micros; unit: 'usdc' | 'shares'; pendingCount: number }
  | { action: 'reject'; reason: string; message: string; details: Record<string, number | string | boolean | null> };

const BELOW_MINIMUM = new Set(['below_min_size', 'below_min_notional']);

export class AccumulatingSizer {
  private pendingByKey = new Map<string, Pending>();

  constructor(private readonly options: AccumulatorOptions = {}) {}

  /**
   * Adds `intent` to what is pending for its token and side and shapes the total: `submit` when it
   * now meets the minimum (pending is cleared), `hold` while it is still below, `reject` for any other
   * shaping failure (pending is kept). The combined order uses the latest intent's price and type.
   */
  offer(intent: OrderIntent, market: MarketInfo, nowMs = 0): AccumulatorResult {
    const key = keyOf(intent.tokenId, intent.side);
    if (this.options.dropOnOppositeSide !== false) this.pendingByKey.delete(keyOf(intent.tokenId, opposite(intent.side)));
    let pending = this.pendingByKey.get(key);
    if (pending && this.options.maxAgeMs !== undefined && nowMs - pending.sinceMs > this.options.maxAgeMs) {
      this.pendingByKey.delete(key);
      pending = undefined;
    }
    const unit: Pending['unit'] = isMarketType(intent.type) && intent.side === 'BUY' ? 'usdc' : 'shares';
    const price = intent.limitPriceMicros;
    const own = quantityIn(unit, intent, price);
    const before = pending ? convert(pending.micros, pending.unit, unit, price) : 0;
    const total = before + own;
    const combined: OrderIntent = { ...intent, sizeMicros: undefined, amountMicros: undefined };
    if (unit === 'usdc') combined.amountMicros = total;
    else combined.sizeMicros = total;
    const count = (pending?.count ?? 0) + 1;
    const shaped = shapeOrder(combined, market, { nowMs });
    if (shaped.ok) {
      this.pendingByKey.delete(key);
      return { action: 'submit', intent: combined, order: shaped.order, adjustments: shaped.adjustments, combinedCount: count };
    }
    if (BELOW_MINIMUM.has(shaped.reason)) {
      this.pendingByKey.set(key, { micros: total, unit, count, sinceMs: pending?.sinceMs ?? nowMs });
      return {
        action: 'hold',
        reason: shaped.reason,
        message: `${shaped.message}; holding it until copies add up to the minimum`,
        pendingMicros: total,
        unit,
        pendingCount: count,
      };
    }
    return { action: 'reject', reason: shaped.reason, message: shaped.message, details: shaped.details };
  }

  /** What is held for a token and side, if anything. */
  pending(tokenId: string, side: Side): Readonly<Pending> | undefined {
    return this.pendingByKey.get(keyOf(tokenId, side));
  }

  /** Forgets what is held (for one token, or all). */
  clear(tokenId?: string): void {
    if (tokenId === undefined) this.pendingByKey.clear();
    else for (const side of ['BUY', 'SELL'] as const) this.pendingByKey.delete(keyOf(tokenId, side));
  }
}

function keyOf(tokenId: string, side: Side): string {
  return `${tokenId}|${side}`;
}

function opposite(side: Side): Side {
  return side === 'BUY' ? 'SELL' : 'BUY';
}

function quantityIn(unit: Pending['unit'], intent: OrderIntent, priceMicros: Micros): Micros {
  if (unit === 'usdc') return intent.amountMicros ?? notional(intent.sizeMicros ?? 0, priceMicros, 'floor');
  if (intent.sizeMicros !== undefined) return intent.sizeMicros;
  return priceMicros > 0 ? sharesFor(intent.amountMicros ?? 0, priceMicros, 'floor') : 0;
}

function convert(micros: Micros, from: Pending['unit'], to: Pending['unit'], priceMicros: Micros): Micros {
  if (from === to) return micros;
  if (to === 'usdc') return notional(micros, priceMicros, 'floor');
  return priceMicros > 0 ? sharesFor(micros, priceMicros, 'floor') : 0;
}
