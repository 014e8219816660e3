/**
 * Polymarket's taker fee (CLOB V2 `fd: {r, e}` from /clob-markets): per share
 * `rate · (p · (1 − p))^exponent`, so a fill of C shares pays `C · rate · (p(1 − p))^e` USDC — with the
 * default exponent 1, `C · rate · p · (1 − p)`. Makers pay nothing. Fee-free markets (no rate) cost 0.
 */
import type { Micros } from '../core/money.ts';
import type { MarketInfo } from '../core/types.ts';

export type FeeSchedule = Pick<MarketInfo, 'feeRate' | 'feeExponent'>;

/**
 * Taker fee in USDC micros for `sizeMicros` shares at `priceMicros`, rounded UP to the next micro so
 * accounting never under-counts (the venue floors to 5 decimals, so we are at most 1 micro above it).
 */
export function takerFeeMicros(sizeMicros: Micros, priceMicros: Micros, schedule: FeeSchedule | undefined): Micros {
  const rate = schedule?.feeRate;
  if (!rate || rate <= 0 || sizeMicros <= 0 || priceMicros <= 0 || priceMicros >= 1_000_000) return 0;
  const exponent = schedule.feeExponent ?? 1;
  const p = priceMicros / 1_000_000;
  const curve = p * (1 - p);
  const perShare = rate * (exponent === 1 ? curve : Math.pow(curve, exponent));
  const fee = sizeMicros * perShare;
  // Float residue (≈1e-16 relative) must not turn an exact integer into the next micro.
  return Math.ceil(fee - fee * 1e-12);
}

/** Fee for a fill: takers pay, makers pay 0. */
export function fillFeeMicros(
  liquidity: 'maker' | 'taker',
  sizeMicros: Micros,
  priceMicros: Micros,
  schedule: FeeSchedule | undefined,
): Micros {
  return liquidity === 'taker' ? takerFeeMicros(sizeMicros, priceMicros, schedule) : 0;
}

/** Fee as a fraction of notional at `priceMicros` (for EV gates and the TUI), e.g. 0.036 at p = 0.5, rate 0.072. */
export function takerFeeFraction(priceMicros: Micros, schedule: FeeSchedule | undefined): number {
  const rate = schedule?.feeRate;
  if (!rate || priceMicros <= 0 || priceMicros >= 1_000_000) return 0;
  const p = priceMicros / 1_000_000;
  return (rate * Math.pow(p * (1 - p), schedule.feeExponent ?? 1)) / p;
}
