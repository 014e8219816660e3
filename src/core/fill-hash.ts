import type { Fill } from './types.ts';

/**
 * Canonical text of one fill for a run's `fillsHash` (the same in the report and in the stored table):
 * the fields joined by `|`, a missing one as empty text (what Array.join made of it). Built as one
 * template rather than an array joined, since every fill of every run of a sweep makes one.
 */
export function fillHashLine(f: Fill): string {
  return `${f.fillId ?? ''}|${f.clientOrderId ?? ''}|${f.strategyId ?? ''}|${f.tokenId ?? ''}|${f.side ?? ''}|${f.priceMicros ?? ''}|${f.sizeMicros ?? ''}|${f.feeMicros ?? ''}|${f.liquidity ?? ''}|${f.tsMs ?? ''}`;
}
