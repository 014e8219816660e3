/**
 * Skips that a user would ask about ("why didn't it buy?") without one per book tick: a reason is
 * reported when it starts blocking, again only after it cleared or another reason took its place.
 */
import { formatMicros, type BookView, type ReasonCode, type Skip } from 'polytail/strategy';

export type SkipDetails = NonNullable<Skip['details']>;

export class SkipLatch {
  private last: string | undefined;
  private readonly lastMs = new Map<string, number>();

  /** `quietMs`: a reason is not repeated within this long even when it cleared in between (flickering books). */
  constructor(private readonly quietMs = 0) {}

  /** A skip the first time `reason` blocks in a row of blocked evaluations; undefined while it repeats. */
  report(reason: ReasonCode, message: string, details: SkipDetails = {}, nowMs?: number): Skip | undefined {
    if (this.last === reason) return undefined;
    this.last = reason;
    if (nowMs !== undefined) {
      const before = this.lastMs.get(reason);
      if (before !== undefined && nowMs - before < this.quietMs) return undefined;
      this.lastMs.set(reason, nowMs);
    }
    return { kind: 'skip', reason, message, details };
  }

  /** Nothing is blocked any more: the next block is news again. */
  clear(): void {
    this.last = undefined;
  }
}

/**
 * A crossed book (best bid ≥ best ask) means the feed missed a removal: strategies do not trade on
 * it, and say so once per `quietMs`; `clear()` once the book uncrosses makes the next one news again.
 */
export class CrossedBookReporter {
  private readonly latch: SkipLatch;

  constructor(quietMs: number) {
    this.latch = new SkipLatch(quietMs);
  }

  report(book: BookView, nowMs: number): Skip | undefined {
    const bid = book.bestBid()!.priceMicros;
    const ask = book.bestAsk()!.priceMicros;
    return this.latch.report(
      'book_crossed',
      `the book is crossed (bid ${formatMicros(bid, 3)} ≥ ask ${formatMicros(ask, 3)}): the feed missed an update; not trading until it uncrosses`,
      { bidMicros: bid, askMicros: ask },
      nowMs,
    );
  }

  clear(): void {
    this.latch.clear();
  }
}
