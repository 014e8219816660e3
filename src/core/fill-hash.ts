import type { Fill } from './types.ts';

/** Canonical text of one fill for a run's `fillsHash` (the same in the report and in the stored table). */
export function fillHashLine(f: Fill): string {
  return [f.fillId, f.clientOrderId, f.strategyId, f.tokenId, f.side, f.priceMicros, f.sizeMicros, f.feeMicros, f.liquidity, f.tsMs].join(
    '|',
  );
}
