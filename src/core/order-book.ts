/**
 * One token's L2 book, best first on both sides. Built from snapshots and level changes (each change
 * carries the new aggregate size at a price; 0 removes the level), so it works for the old
 * `changes` capture with no initial snapshot as well as for today's `price_change` frames.
 */
import type { Micros } from './money.ts';
import type { BookLevel, Side } from './types.ts';

export class OrderBook {
  /** Descending by price. */
  bids: BookLevel[] = [];
  /** Ascending by price. */
  asks: BookLevel[] = [];
  lastUpdateMs = 0;
  lastTradePriceMicros: Micros | undefined;

  constructor(readonly tokenId: string) {}

  replace(bids: BookLevel[], asks: BookLevel[], tsMs: number): void {
    this.bids = bids.filter((l) => l.sizeMicros > 0).sort((a, b) => b.priceMicros - a.priceMicros);
    this.asks = asks.filter((l) => l.sizeMicros > 0).sort((a, b) => a.priceMicros - b.priceMicros);
    this.lastUpdateMs = tsMs;
  }

  /** BUY side = bids, SELL side = asks (the CLOB's convention in price_change frames). */
  setLevel(side: Side, priceMicros: Micros, sizeMicros: Micros, tsMs: number): void {
    const levels = side === 'BUY' ? this.bids : this.asks;
    const better = side === 'BUY' ? (a: number, b: number) => a > b : (a: number, b: number) => a < b;
    let i = 0;
    while (i < levels.length && better(levels[i]!.priceMicros, priceMicros)) i++;
    const existing = levels[i];
    if (existing && existing.priceMicros === priceMicros) {
      if (sizeMicros <= 0) levels.splice(i, 1);
      else existing.sizeMicros = sizeMicros;
    } else if (sizeMicros > 0) {
      levels.splice(i, 0, { priceMicros, sizeMicros });
    }
    this.lastUpdateMs = tsMs;
  }

  bestBid(): BookLevel | undefined {
    return this.bids[0];
  }

  bestAsk(): BookLevel | undefined {
    return this.asks[0];
  }

  /** Mid price, or the one side there is, or the last trade. */
  midMicros(): Micros | undefined {
    const bid = this.bids[0]?.priceMicros;
    const ask = this.asks[0]?.priceMicros;
    if (bid !== undefined && ask !== undefined) return Math.round((bid + ask) / 2);
    return bid ?? ask ?? this.lastTradePriceMicros;
  }

  spreadMicros(): Micros | undefined {
    const bid = this.bids[0]?.priceMicros;
    const ask = this.asks[0]?.priceMicros;
    return bid !== undefined && ask !== undefined ? ask - bid : undefined;
  }

  /** The levels a taker on `side` would consume: asks for a BUY, bids for a SELL. */
  oppositeLevels(side: Side): BookLevel[] {
    return side === 'BUY' ? this.asks : this.bids;
  }

  isEmpty(): boolean {
    return this.bids.length === 0 && this.asks.length === 0;
  }

  clone(): OrderBook {
    const copy = new OrderBook(this.tokenId);
    copy.bids = this.bids.map((l) => ({ ...l }));
    copy.asks = this.asks.map((l) => ({ ...l }));
    copy.lastUpdateMs = this.lastUpdateMs;
    copy.lastTradePriceMicros = this.lastTradePriceMicros;
    return copy;
  }
}

/** All books the engine knows, by token id. */
export class BookRegistry {
  private books = new Map<string, OrderBook>();

  get(tokenId: string): OrderBook | undefined {
    return this.books.get(tokenId);
  }

  getOrCreate(tokenId: string): OrderBook {
    let book = this.books.get(tokenId);
    if (!book) {
      book = new OrderBook(tokenId);
      this.books.set(tokenId, book);
    }
    return book;
  }

  tokens(): string[] {
    return [...this.books.keys()];
  }
}
