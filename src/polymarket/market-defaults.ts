/**
 * What polytail assumes about a market whose metadata does not say: Polymarket's usual tick (0.01)
 * and minimum limit-order size (5 shares). Used when a market is inferred from trades (imports, a
 * target trade before Gamma answered) and when Gamma leaves a field out.
 */
import type { Micros } from '../core/money.ts';

export const DEFAULT_TICK_MICROS: Micros = 10_000;
export const DEFAULT_MIN_ORDER_SIZE_MICROS: Micros = 5_000_000;
