/**
 * Walks one side of an L2 book (best first) within a limit price, net of the liquidity our earlier
 * simulated orders consumed. Writes the per-level fills into a reusable result so the hot path
 * allocates nothing.
 */
import type { Micros } from '../../core/money.ts';
import type { BookLevel, Side } from '../../core/types.ts';

export class WalkResult {
  prices: Micros[] = [];
  sizes: Micros[] = [];
  count = 0;
  sharesMicros = 0;
  usdcMicros = 0;
  /** True when the whole quantity was found (FOK may fill). */
  complete = false;

  reset(): void {
    this.count = 0;
    this.sharesMicros = 0;
    this.usdcMicros = 0;
    this.complete = false;
  }

  push(priceMicros: Micros, sizeMicros: Micros): void {
    this.prices[this.count] = priceMicros;
    this.sizes[this.count] = sizeMicros;
    this.count++;
    this.sharesMicros += sizeMicros;
    this.usdcMicros += costMicros(sizeMicros, priceMicros);
  }
}

/** USDC for shares at a price, rounded up (a budget check against it never overspends). */
export function costMicros(sizeMicros: Micros, priceMicros: Micros): Micros {
  const product = sizeMicros * priceMicros;
  if (Number.isSafeInteger(product)) return Math.ceil(product / 1_000_000);
  return Number((BigInt(sizeMicros) * BigInt(priceMicros) + 999_999n) / 1_000_000n);
}

/** Whole share-micros a budget buys at a price. */
export function sharesAffordable(budgetMicros: Micros, priceMicros: Micros): Micros {
  const product = budgetMicros * 1_000_000;
  if (Number.isSafeInteger(product)) return Math.floor(product / priceMicros);
  return Number((BigInt(budgetMicros) * 1_000_000n) / BigInt(priceMicros));
}

export function withinLimit(side: Side, priceMicros: Micros, limitMicros: Micros): boolean {
  return side === 'BUY' ? priceMicros <= limitMicros : priceMicros >= limitMicros;
}

/**
 * Takes up to `sharesMicros` shares (or, for a BUY with `budgetMicros`, as many shares as the budget
 * buys) from `levels` at prices within `limitMicros`.
 */
export function walkBook(
  levels: readonly BookLevel[],
  consumed: Map<Micros, Micros> | undefined,
  side: Side,
  limitMicros: Micros,
  sharesMicros: Micros,
  budgetMicros: Micros | undefined,
  out: WalkResult,
): WalkResult {
  out.reset();
  let sharesLeft = sharesMicros;
  let budgetLeft = budgetMicros ?? 0;
  for (let i = 0; i < levels.length; i++) {
    const level = levels[i]!;
    const price = level.priceMicros;
    if (!withinLimit(side, price, limitMicros)) break;
    const taken = consumed?.get(price) ?? 0;
    const available = level.sizeMicros - taken;
    if (available <= 0) continue;
    if (budgetMicros !== undefined) {
      const affordable = sharesAffordable(budgetLeft, price);
      const size = affordable < available ? affordable : available;
      if (size > 0) {
        out.push(price, size);
        budgetLeft -= costMicros(size, price);
      }
      if (affordable <= available) {
        out.complete = true;
        return out;
      }
    } else {
      const size = sharesLeft < available ? sharesLeft : available;
      out.push(price, size);
      sharesLeft -= size;
      if (sharesLeft <= 0) {
        out.complete = true;
        return out;
      }
    }
  }
  return out;
}
