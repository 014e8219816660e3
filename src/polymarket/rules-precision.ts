/**
 * Decimal precision rules of the CLOB per tick size (clob-client-v2 ROUNDING_CONFIG), and the
 * helpers that format micros the way the exchange prints numbers in its error messages.
 */
import type { Micros } from '../core/money.ts';

export interface TickPrecision {
  /** Decimals allowed in a price. */
  priceDp: number;
  /** Decimals allowed in a share size (always 2). */
  sizeDp: number;
  /** Decimals allowed in the computed side of a limit order (maker for BUY, taker for SELL). */
  amountDp: number;
}

const PRECISION_BY_TICK = new Map<Micros, TickPrecision>([
  [100_000, { priceDp: 1, sizeDp: 2, amountDp: 3 }],
  [10_000, { priceDp: 2, sizeDp: 2, amountDp: 4 }],
  [5_000, { priceDp: 3, sizeDp: 2, amountDp: 5 }],
  [2_500, { priceDp: 4, sizeDp: 2, amountDp: 6 }],
  [1_000, { priceDp: 3, sizeDp: 2, amountDp: 5 }],
  [100, { priceDp: 4, sizeDp: 2, amountDp: 6 }],
]);

/** Market (FOK/FAK) orders: maker ≤ 2 decimals and taker ≤ 4 decimals whatever the tick. */
export const MARKET_MAKER_DP = 2;
export const MARKET_TAKER_DP = 4;
/** Marketable BUYs must spend at least $1. */
export const MIN_MARKET_BUY_MICROS: Micros = 1_000_000;
/** Every size on the CLOB has at most 2 decimals: 0.01 share = 10_000 micros. */
export const SIZE_STEP_MICROS: Micros = 10_000;

/** The precision table row for a tick, or undefined for a tick the CLOB does not use. */
export function tickPrecision(tickMicros: Micros): TickPrecision | undefined {
  return PRECISION_BY_TICK.get(tickMicros);
}

/** Supported tick sizes, in micros. */
export function supportedTicks(): Micros[] {
  return [...PRECISION_BY_TICK.keys()];
}

/** Micros per unit of the last allowed decimal: dp 2 → 10_000. */
export function stepForDp(dp: number): Micros {
  return DP_STEPS[dp] ?? 1;
}
const DP_STEPS: readonly Micros[] = [1_000_000, 100_000, 10_000, 1_000, 100, 10, 1];

/** True when `micros` has at most `dp` decimals. */
export function fitsDp(micros: Micros, dp: number): boolean {
  return micros % stepForDp(dp) === 0;
}

/** Decimal places actually used by a micros value (0..6). */
export function decimalsUsed(micros: Micros): number {
  let dp = 6;
  let v = Math.abs(micros);
  while (dp > 0 && v % 10 === 0) {
    v /= 10;
    dp--;
  }
  return dp;
}

/** Micros → shortest decimal text, like the exchange prints numbers: 1_080_000 → "1.08", 5_000_000 → "5". */
export function plainDecimal(micros: Micros): string {
  const sign = micros < 0 ? '-' : '';
  const abs = Math.abs(micros);
  // Past 2^53 a float division rounds the whole part but not the remainder: split such integers exactly.
  const big = Number.isInteger(abs) && !Number.isSafeInteger(abs);
  const whole = big ? BigInt(abs) / 1_000_000n : Math.floor(abs / 1_000_000);
  const frac = String(big ? BigInt(abs) % 1_000_000n : abs % 1_000_000)
    .padStart(6, '0')
    .replace(/0+$/, '');
  return `${sign}${whole}${frac ? '.' + frac : ''}`;
}

/** Micros → decimal text with at least `minDp` decimals (for adjustment notes: "0.50", "33.339"). */
export function noteDecimal(micros: Micros, minDp = 2): string {
  const text = plainDecimal(micros);
  const dot = text.indexOf('.');
  const have = dot < 0 ? 0 : text.length - dot - 1;
  if (have >= minDp) return text;
  return (dot < 0 ? text + '.' : text) + '0'.repeat(minDp - have);
}
