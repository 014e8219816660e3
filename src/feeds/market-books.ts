/**
 * The market-WS feed's own copy of each subscribed book, kept to notice gaps: an update older than
 * what the book already reflects, or a book whose best bid/ask disagrees with what the server says
 * it should be after a `price_change`. Either means a frame was lost or reordered → resync from REST.
 */
import type { BookLevelsChanged, BookSnapshotted } from '../core/events.ts';
import { OrderBook } from '../core/order-book.ts';
import type { ReportedBest } from '../polymarket/wire/clob-market.ts';

interface TokenState {
  book: OrderBook;
  /** Timestamp of the newest frame applied (ms). */
  lastTs: number;
  /** The newest state came from a REST snapshot: WS frames older than it are already included. */
  fromRest: boolean;
  /** A snapshot arrived since the last (re)subscribe. */
  snapshotSeen: boolean;
}

/** 'out-of-order' was not applied; 'mismatch' was applied but the book disagrees with the server. */
export type ApplyResult = 'applied' | 'stale' | 'out-of-order' | 'mismatch';

export class MarketBooks {
  private readonly tokens = new Map<string, TokenState>();

  private state(tokenId: string): TokenState {
    let s = this.tokens.get(tokenId);
    if (!s) {
      s = { book: new OrderBook(tokenId), lastTs: 0, fromRest: false, snapshotSeen: false };
      this.tokens.set(tokenId, s);
    }
    return s;
  }

  book(tokenId: string): OrderBook | undefined {
    return this.tokens.get(tokenId)?.book;
  }

  /** Forget that snapshots were seen (after a reconnect every book must be fetched afresh). */
  expectSnapshots(tokenIds: Iterable<string>): void {
    for (const t of tokenIds) this.state(t).snapshotSeen = false;
  }

  hasSnapshot(tokenId: string): boolean {
    return this.tokens.get(tokenId)?.snapshotSeen ?? false;
  }

  /** A snapshot older than the book is skipped ('stale'): newer updates are already applied. A resync forces it. */
  snapshot(e: BookSnapshotted, fromRest: boolean, force = false): ApplyResult {
    const s = this.state(e.tokenId);
    if (!force && e.tsEvent < s.lastTs && s.snapshotSeen) return 'stale';
    s.book.replace(
      e.bids.map((l) => ({ ...l })),
      e.asks.map((l) => ({ ...l })),
      e.tsEvent,
    );
    s.lastTs = e.tsEvent;
    s.fromRest = fromRest;
    s.snapshotSeen = true;
    return 'applied';
  }

  /**
   * Applies a level change. Older than a REST snapshot → 'stale' (already in it); older than the
   * last WS frame → 'out-of-order' (not applied); best bid/ask disagreeing afterwards → 'mismatch'.
   */
  change(e: BookLevelsChanged, best?: ReportedBest): ApplyResult {
    const s = this.state(e.tokenId);
    if (e.tsEvent < s.lastTs) return s.fromRest ? 'stale' : 'out-of-order';
    for (const c of e.changes) s.book.setLevel(c.side, c.priceMicros, c.sizeMicros, e.tsEvent);
    s.lastTs = e.tsEvent;
    s.fromRest = false;
    if (best && s.snapshotSeen && !agrees(s.book, best)) return 'mismatch';
    return 'applied';
  }
}

/** "" or "0" means no bid and "" or "1" no ask (both appear on the wire). */
function agrees(book: OrderBook, best: ReportedBest): boolean {
  const bid = best.bestBidMicros === 0 ? undefined : best.bestBidMicros;
  const ask = best.bestAskMicros !== undefined && best.bestAskMicros >= 1_000_000 ? undefined : best.bestAskMicros;
  return book.bestBid()?.priceMicros === bid && book.bestAsk()?.priceMicros === ask;
}
