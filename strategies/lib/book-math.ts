/** Small price helpers for market strategies, all in integer micros. */
import { ceilTo, floorTo, mulDiv, notional, type BookView, type Micros } from 'polytail/strategy';

/** Percent (5 = 5%) → basis points, the integer unit the helpers below use. */
export function bps(pct: number): number {
  return Math.round(pct * 100);
}

/** price × (1 + pct/100), exact in micros (rounded to the nearest micro). */
export function plusPct(priceMicros: Micros, pct: number): Micros {
  return mulDiv(priceMicros, 10_000 + bps(pct), 10_000);
}

export function minusPct(priceMicros: Micros, pct: number): Micros {
  return mulDiv(priceMicros, 10_000 - bps(pct), 10_000);
}

/** (a − b) / b in basis points (positive when a is above b). */
export function changeBps(a: Micros, b: Micros): number {
  return b > 0 ? Math.round(((a - b) * 10_000) / b) : 0;
}

/** Clamps a price into the tradable range [tick, 1 − tick] on the market's tick. */
export function onTick(priceMicros: Micros, tickMicros: Micros, round: 'down' | 'up'): Micros {
  const p = round === 'down' ? floorTo(priceMicros, tickMicros) : ceilTo(priceMicros, tickMicros);
  return Math.min(1_000_000 - tickMicros, Math.max(tickMicros, p));
}

/** A book whose best bid is at or above its best ask is not to be traded on (a gap in the feed). */
export function isCrossed(book: BookView): boolean {
  const bid = book.bestBid()?.priceMicros;
  const ask = book.bestAsk()?.priceMicros;
  return bid !== undefined && ask !== undefined && bid >= ask;
}

/** USDC on the ask side at or below `maxPriceMicros` (what a BUY up to that price could spend). */
export function askDepthUsdc(book: BookView, maxPriceMicros: Micros): Micros {
  let total = 0;
  for (const level of book.asks) {
    if (level.priceMicros > maxPriceMicros) break;
    total += notional(level.sizeMicros, level.priceMicros, 'floor');
  }
  return total;
}

/** The price a strategy watches: the mid, or the best ask (what a taker BUY pays). */
export function watchedPrice(book: BookView, source: 'mid' | 'ask'): Micros | undefined {
  if (source === 'ask') return book.bestAsk()?.priceMicros;
  const bid = book.bestBid()?.priceMicros;
  const ask = book.bestAsk()?.priceMicros;
  return bid !== undefined && ask !== undefined ? Math.round((bid + ask) / 2) : undefined;
}
