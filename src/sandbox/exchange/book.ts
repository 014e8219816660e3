/** One token's order book: resting orders with price-time priority, plus level aggregation. */
import type { Side } from '../../core/types.ts';
import type { RestingOrder } from './types.ts';

export class TokenBook {
  /** Best first: bids by price desc, asks by price asc; ties by arrival (seq). */
  readonly bids: RestingOrder[] = [];
  readonly asks: RestingOrder[] = [];

  constructor(readonly tokenId: string) {}

  side(side: Side): RestingOrder[] {
    return side === 'BUY' ? this.bids : this.asks;
  }

  insert(order: RestingOrder): void {
    const list = this.side(order.side);
    const better = (a: RestingOrder, b: RestingOrder) =>
      order.side === 'BUY' ? a.priceMicros > b.priceMicros : a.priceMicros < b.priceMicros;
    let i = list.length;
    // Walk back past every order this one does not outrank (worse price, or same price and earlier).
    while (i > 0 && better(order, list[i - 1]!)) i -= 1;
    list.splice(i, 0, order);
  }

  remove(order: RestingOrder): boolean {
    const list = this.side(order.side);
    const i = list.indexOf(order);
    if (i < 0) return false;
    list.splice(i, 1);
    return true;
  }

  /** Aggregate size at one price level of one side. */
  levelSize(side: Side, priceMicros: number): number {
    let total = 0;
    for (const o of this.side(side)) if (o.priceMicros === priceMicros) total += o.originalSizeMicros - o.matchedMicros;
    return total;
  }

  /** Aggregated levels, best first. */
  levels(side: Side): { priceMicros: number; sizeMicros: number }[] {
    const out: { priceMicros: number; sizeMicros: number }[] = [];
    for (const o of this.side(side)) {
      const rest = o.originalSizeMicros - o.matchedMicros;
      const last = out[out.length - 1];
      if (last && last.priceMicros === o.priceMicros) last.sizeMicros += rest;
      else out.push({ priceMicros: o.priceMicros, sizeMicros: rest });
    }
    return out;
  }

  best(side: Side): number | undefined {
    return this.side(side)[0]?.priceMicros;
  }
}
