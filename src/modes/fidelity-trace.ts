/**
 * What the fidelity run watches in each session: its copies (shares and USDC per target fill), the
 * orders still open, and a mirror of the books the session has been told about — so a paced run can
 * wait until the session's books equal the exchange's before the target trades, and the comparison
 * can say whether two copies met the same book.
 */
import type { EngineEvent, OrderEvent } from '../core/events.ts';
import { BookRegistry } from '../core/order-book.ts';
import type { Decision, EngineListener } from '../core/ports.ts';

/** Per target fill copied: the shares and the USDC of our fills for it (micros). */
export interface Copy {
  shares: number;
  usdc: number;
}

export class SessionTrace implements EngineListener {
  readonly byCause = new Map<string, Copy>();
  /** Target fills answered with a decision (copied or not). */
  readonly decided = new Set<string>();
  /** When each order was decided (wall clock ms), by client order id. */
  readonly decidedAt = new Map<string, number>();
  /** The target fill each order copies, by client order id. */
  readonly causeOf = new Map<string, string>();
  /** What each copy asked for (side, shares, USDC budget), by target fill: sizing follows holdings and cash. */
  readonly asked = new Map<string, string>();
  /** Venue order id (the CLOB's hash) → client order id, for matching the exchange's ledger. */
  readonly venueIds = new Map<string, string>();
  readonly books = new BookRegistry();
  /** Why a target fill got no fill here: the decision's reason, or the venue's refusal. */
  readonly unfilledWhy = new Map<string, string>();
  /** When each order's first fill reached the engine (the session's clock), by client order id. */
  readonly filledAt = new Map<string, number>();
  private readonly open = new Set<string>();
  notional = 0;

  /** `onOrderDecided` runs as each copy order is decided (before the venue sees it). */
  constructor(private readonly onOrderDecided?: (d: Decision) => void) {}

  onEvent(e: EngineEvent): void {
    if (e.type === 'book_snapshot') this.books.getOrCreate(e.tokenId).replace(e.bids, e.asks, e.tsEvent);
    else if (e.type === 'book_change') {
      const book = this.books.getOrCreate(e.tokenId);
      for (const c of e.changes) book.setLevel(c.side, c.priceMicros, c.sizeMicros, e.tsEvent);
    }
  }

  onDecision(d: Decision): void {
    if (d.causeKey) this.decided.add(d.causeKey);
    if (d.causeKey && !d.clientOrderId) this.unfilledWhy.set(d.causeKey, `${d.action}: ${d.reason}`);
    if (d.clientOrderId) {
      this.onOrderDecided?.(d);
      if (d.causeKey) this.causeOf.set(d.clientOrderId, d.causeKey);
      this.open.add(d.clientOrderId);
      this.decidedAt.set(d.clientOrderId, d.tsMs);
    }
  }

  onOrderEvent(e: OrderEvent): void {
    const o = e.order;
    if (o.causeKey && !this.asked.has(o.causeKey)) this.asked.set(o.causeKey, `${o.side} ${o.sizeMicros} ${o.amountMicros ?? ''}`);
    if (e.type === 'order_accepted' && e.venueOrderId) this.venueIds.set(e.venueOrderId, e.order.clientOrderId);
    if (e.type === 'order_rejected' || e.type === 'order_cancelled' || e.type === 'order_expired' || e.type === 'order_filled') {
      this.open.delete(e.order.clientOrderId);
    }
    if ((e.type === 'order_rejected' || e.type === 'order_cancelled') && e.order.causeKey) {
      this.unfilledWhy.set(e.order.causeKey, `${e.type}: ${e.reason} ${e.type === 'order_rejected' ? e.message : ''}`.trim());
    }
    if (e.type !== 'order_filled' && e.type !== 'order_partially_filled') return;
    if (!this.filledAt.has(o.clientOrderId)) this.filledAt.set(o.clientOrderId, e.tsRecv);
    const cause = e.order.causeKey;
    if (!cause) return;
    const c = this.byCause.get(cause) ?? { shares: 0, usdc: 0 };
    c.shares += e.fill.sizeMicros;
    c.usdc += (e.fill.sizeMicros * e.fill.priceMicros) / 1e6;
    this.byCause.set(cause, c);
    this.notional += (e.fill.sizeMicros * e.fill.priceMicros) / 1e6;
  }

  /** No order decided and not yet finished (filled, refused, cancelled). */
  idle(): boolean {
    return this.open.size === 0;
  }

  /** True when this session's book of `tokenId` has exactly these levels (best first). */
  bookEquals(tokenId: string, bids: readonly Level[], asks: readonly Level[]): boolean {
    const book = this.books.get(tokenId);
    if (!book) return bids.length === 0 && asks.length === 0;
    return sameLevels(book.bids, bids) && sameLevels(book.asks, asks);
  }
}

export interface Level {
  priceMicros: number;
  sizeMicros: number;
}

function sameLevels(a: readonly Level[], b: readonly Level[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i]!.priceMicros !== b[i]!.priceMicros || a[i]!.sizeMicros !== b[i]!.sizeMicros) return false;
  return true;
}
