/**
 * Our GTC/GTD orders resting on the simulated book. They fill as makers, at their own price, when the
 * feed shows the opposite side crossing them or a print trading at or through their price. With queue
 * position on, a print at exactly our price first eats the size that was ahead of us when we arrived.
 */
import type { Micros } from '../../core/money.ts';
import type { OrderBook } from '../../core/order-book.ts';
import type { Order } from '../../core/types.ts';
import { withinLimit } from './book-walk.ts';
import type { ConsumedLiquidity } from './consumed-liquidity.ts';

/** An order the venue is working on. */
export interface Working {
  order: Order;
  /** Shares filled so far. */
  filledMicros: Micros;
  /** Queue position: shares ahead of us at our price (only with queue position on). */
  queueAheadMicros: Micros;
  state: 'in_flight' | 'resting';
  cancelTimer?: () => void;
}

export class RestingOrders {
  private byToken = new Map<string, Working[]>();
  /** Orders resting on all tokens: while none, market data has nothing to fill. */
  private count = 0;

  constructor(
    private readonly queuePosition: boolean,
    private readonly consumption: ConsumedLiquidity,
    private readonly onFill: (w: Working, priceMicros: Micros, sizeMicros: Micros) => void,
  ) {}

  add(w: Working, book: OrderBook | undefined): void {
    w.state = 'resting';
    if (this.queuePosition && book) {
      const own = w.order.side === 'BUY' ? book.bids : book.asks;
      const level = own.find((l) => l.priceMicros === w.order.priceMicros);
      w.queueAheadMicros = level?.sizeMicros ?? 0;
    }
    let list = this.byToken.get(w.order.tokenId);
    if (!list) {
      list = [];
      this.byToken.set(w.order.tokenId, list);
    }
    list.push(w);
    this.count++;
  }

  /** Whether any order rests (on any token). */
  get any(): boolean {
    return this.count > 0;
  }

  remove(w: Working): void {
    const list = this.byToken.get(w.order.tokenId);
    if (!list) return;
    const i = list.indexOf(w);
    if (i >= 0) {
      list.splice(i, 1);
      this.count--;
    }
  }

  /** The book moved: resting orders the opposite side now crosses take that liquidity. */
  onBook(book: OrderBook): void {
    const list = this.byToken.get(book.tokenId);
    if (!list || list.length === 0) return;
    const entry = this.consumption.of(book.tokenId);
    for (const w of [...list]) {
      const side = w.order.side;
      const levels = book.oppositeLevels(side);
      const consumed = side === 'BUY' ? entry.asks : entry.bids;
      let wanted = w.order.sizeMicros - w.filledMicros;
      let total = 0;
      for (let i = 0; i < levels.length && wanted > 0; i++) {
        const level = levels[i]!;
        if (!withinLimit(side, level.priceMicros, w.order.priceMicros)) break;
        const taken = consumed.get(level.priceMicros) ?? 0;
        const size = Math.min(wanted, level.sizeMicros - taken);
        if (size <= 0) continue;
        consumed.set(level.priceMicros, taken + size);
        total += size;
        wanted -= size;
      }
      if (total > 0) this.onFill(w, w.order.priceMicros, total);
    }
  }

  /** A print on the tape: resting orders at or through its price fill from its size. */
  onPrint(tokenId: string, priceMicros: Micros, sizeMicros: Micros): void {
    const list = this.byToken.get(tokenId);
    if (!list || list.length === 0) return;
    let left = sizeMicros;
    for (const w of [...list]) {
      if (left <= 0) break;
      const limit = w.order.priceMicros;
      const through = w.order.side === 'BUY' ? priceMicros < limit : priceMicros > limit;
      if (!through && priceMicros !== limit) continue;
      let usable = left;
      if (through) {
        w.queueAheadMicros = 0;
      } else if (w.queueAheadMicros > 0) {
        const eaten = Math.min(w.queueAheadMicros, usable);
        w.queueAheadMicros -= eaten;
        usable -= eaten;
      }
      const size = Math.min(usable, w.order.sizeMicros - w.filledMicros);
      if (size <= 0) continue;
      left -= size;
      this.onFill(w, limit, size);
    }
  }
}
