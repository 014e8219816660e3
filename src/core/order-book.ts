/**
 * One token's L2 book, best first on both sides. Built from snapshots and level changes (each change
 * carries the new aggregate size at a price; 0 removes the level), so it works for the old
 * `changes` capture with no initial snapshot as well as for today's `price_change` frames.
 */
import type { Micros } from './money.ts';
import type { BookLevel, Side } from './types.ts';

/** What a strategy may read of a book: the levels and prices, and no way to change them. */
export interface BookView {
  readonly tokenId: string;
  /** Descending by price. */
  readonly bids: readonly Readonly<BookLevel>[];
  /** Ascending by price. */
  readonly asks: readonly Readonly<BookLevel>[];
  readonly lastUpdateMs: number;
  readonly lastTradePriceMicros: Micros | undefined;
  bestBid(): Readonly<BookLevel> | undefined;
  bestAsk(): Readonly<BookLevel> | undefined;
  /** Mid price, or the one side there is, or the last trade. */
  midMicros(): Micros | undefined;
  spreadMicros(): Micros | undefined;
  isEmpty(): boolean;
}

export class OrderBook implements BookView {
  /** Descending by price. */
  bids: BookLevel[] = [];
  /** Ascending by price. */
  asks: BookLevel[] = [];
  lastUpdateMs = 0;
  lastTradePriceMicros: Micros | undefined;
  /** Bumped by every change to the levels (read-only views copy them again only after a change). */
  version = 0;

  constructor(readonly tokenId: string) {}

  /** Copies the levels: setLevel changes them in place, and the snapshot event they came from may be shared (listeners, one-pass sweeps). */
  replace(bids: BookLevel[], asks: BookLevel[], tsMs: number): void {
    this.bids = ownLevels(bids).sort((a, b) => b.priceMicros - a.priceMicros);
    this.asks = ownLevels(asks).sort((a, b) => a.priceMicros - b.priceMicros);
    this.lastUpdateMs = tsMs;
    this.version++;
  }

  /** BUY side = bids, SELL side = asks (the CLOB's convention in price_change frames). */
  setLevel(side: Side, priceMicros: Micros, sizeMicros: Micros, tsMs: number): void {
    const levels = side === 'BUY' ? this.bids : this.asks;
    // Binary search for the first level not better than the price (bids descend, asks ascend): a level write
    // per book change is the replay's hottest path, and real books run to hundreds of levels.
    let lo = 0;
    let hi = levels.length;
    if (side === 'BUY') {
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (levels[mid]!.priceMicros > priceMicros) lo = mid + 1;
        else hi = mid;
      }
    } else {
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (levels[mid]!.priceMicros < priceMicros) lo = mid + 1;
        else hi = mid;
      }
    }
    const i = lo;
    const existing = levels[i];
    if (existing && existing.priceMicros === priceMicros) {
      if (sizeMicros <= 0) levels.splice(i, 1);
      else existing.sizeMicros = sizeMicros;
    } else if (sizeMicros > 0) {
      levels.splice(i, 0, { priceMicros, sizeMicros });
    }
    this.lastUpdateMs = tsMs;
    this.version++;
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

/**
 * A view of a live book that cannot change it: the levels are frozen copies, made again only after
 * the book changed, so a strategy that reads them on every tick copies once per change.
 */
export class ReadOnlyBook implements BookView {
  private copiedAt = -1;
  private frozenBids: readonly Readonly<BookLevel>[] = [];
  private frozenAsks: readonly Readonly<BookLevel>[] = [];

  constructor(private readonly book: OrderBook) {}

  get tokenId(): string {
    return this.book.tokenId;
  }

  get bids(): readonly Readonly<BookLevel>[] {
    this.copy();
    return this.frozenBids;
  }

  get asks(): readonly Readonly<BookLevel>[] {
    this.copy();
    return this.frozenAsks;
  }

  get lastUpdateMs(): number {
    return this.book.lastUpdateMs;
  }

  get lastTradePriceMicros(): Micros | undefined {
    return this.book.lastTradePriceMicros;
  }

  // The best levels alone do not copy the whole book (market strategies read them on every tick).
  bestBid(): Readonly<BookLevel> | undefined {
    return this.copiedAt === this.book.version ? this.frozenBids[0] : top(this.book.bids[0]);
  }

  bestAsk(): Readonly<BookLevel> | undefined {
    return this.copiedAt === this.book.version ? this.frozenAsks[0] : top(this.book.asks[0]);
  }

  midMicros(): Micros | undefined {
    return this.book.midMicros();
  }

  spreadMicros(): Micros | undefined {
    return this.book.spreadMicros();
  }

  isEmpty(): boolean {
    return this.book.isEmpty();
  }

  private copy(): void {
    if (this.copiedAt === this.book.version) return;
    this.copiedAt = this.book.version;
    this.frozenBids = Object.freeze(this.book.bids.map((l) => Object.freeze({ ...l })));
    this.frozenAsks = Object.freeze(this.book.asks.map((l) => Object.freeze({ ...l })));
  }
}

function top(level: BookLevel | undefined): Readonly<BookLevel> | undefined {
  return level && Object.freeze({ ...level });
}

/** All books the engine knows, by token id. */
export class BookRegistry {
  private books = new Map<string, OrderBook>();
  private views = new Map<string, ReadOnlyBook>();

  /** A read-only view of a token's book (one per token, reused), for strategies. */
  view(tokenId: string): BookView | undefined {
    let view = this.views.get(tokenId);
    if (!view) {
      const book = this.books.get(tokenId);
      if (!book) return undefined;
      view = new ReadOnlyBook(book);
      this.views.set(tokenId, view);
    }
    return view;
  }

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

function ownLevels(levels: BookLevel[]): BookLevel[] {
  const out: BookLevel[] = [];
  for (const l of levels) if (l.sizeMicros > 0) out.push({ priceMicros: l.priceMicros, sizeMicros: l.sizeMicros });
  return out;
}
