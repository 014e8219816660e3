import { LineHash } from './line-hash.ts';
import type { Fill } from './types.ts';

/**
 * Canonical text of one fill for a run's `fillsHash` (the same in the report and in the stored table):
 * the fields joined by `|`, a missing one as empty text (what Array.join made of it). Built as one
 * template rather than an array joined, since every fill of every run of a sweep makes one.
 */
export function fillHashLine(f: Fill): string {
  return `${f.fillId ?? ''}|${f.clientOrderId ?? ''}|${f.strategyId ?? ''}|${f.tokenId ?? ''}|${f.side ?? ''}|${f.priceMicros ?? ''}|${f.sizeMicros ?? ''}|${f.feeMicros ?? ''}|${f.liquidity ?? ''}|${f.tsMs ?? ''}`;
}

/**
 * A run's fills hash: SHA-256 over one `fillHashLine` per fill, each followed by '\n', in the order the fills
 * happened. The run collector keeps one as fills arrive and the run store makes one from the stored fills,
 * so the report's hash and the table's agree by construction.
 */
export class FillsHash {
  private readonly lines = new LineHash();

  add(fill: Fill): void {
    this.lines.add(fillHashLine(fill));
  }

  /** Hex digest of the fills added so far; more may follow. */
  digest(): string {
    return this.lines.digest();
  }
}
