/**
 * The live venue's book-keeping of our orders: state per order, fills emitted exactly once per
 * (trade, order), and the events that finish an order (filled, FAK remainder cancelled, resting
 * order cancelled or expired on the venue).
 */
import type { Trade } from '@polymarket/clob-client-v2';
import type { OrderEvent } from '../../core/events.ts';
import { toMicros, type Micros } from '../../core/money.ts';
import type { Order } from '../../core/types.ts';
import { isMarketType } from '../../polymarket/order-rules.ts';
import { fillPartsFor, isFailedTrade, orderIdsOf, toFill, type FillPart } from './trade-fills.ts';

export type TrackedState = 'signing' | 'posting' | 'open' | 'unknown' | 'ghost' | 'done';

export interface Tracked {
  order: Order;
  hash?: string;
  state: TrackedState;
  filledMicros: Micros;
  /** USDC paid or received so far. */
  notionalMicros: Micros;
  signedMakerMicros?: Micros;
  signedAtMs?: number;
  journalled?: boolean;
  cancelRequested?: string;
  /** Trade ids the POST reported that we have not read yet. */
  awaitTrades?: Set<string>;
  /** Market-order fills held until every trade is known, so the last one can say "filled". */
  buffer: FillPart[];
  /** The POST's own totals, used if its trades cannot be read in time. */
  fallback?: { making?: string; taking?: string; deadlineMs: number };
  closedOnVenue?: boolean;
  ghostSinceMs?: number;
}

export class OrderTracker {
  emit: (event: OrderEvent) => void = () => {};
  private readonly byId = new Map<string, Tracked>();
  private readonly byHash = new Map<string, Tracked>();
  private readonly seen = new Set<string>();

  constructor(private readonly now: () => number) {}

  add(order: Order): Tracked {
    const t: Tracked = { order, state: 'signing', filledMicros: 0, notionalMicros: 0, buffer: [] };
    this.byId.set(order.clientOrderId, t);
    return t;
  }

  get(clientOrderId: string): Tracked | undefined {
    return this.byId.get(clientOrderId);
  }

  setHash(t: Tracked, hash: string, signed?: { makerAmountMicros: Micros }): void {
    if (t.hash) this.byHash.delete(t.hash.toLowerCase());
    t.hash = hash;
    this.byHash.set(hash.toLowerCase(), t);
    if (signed) t.signedMakerMicros = signed.makerAmountMicros;
  }

  /** Orders that may still trade (for openOrders()). */
  active(): Tracked[] {
    return [...this.byId.values()].filter((t) => t.state === 'signing' || t.state === 'posting' || t.state === 'open');
  }

  /** Orders the poller must watch: resting, awaiting trades, or rejected-after-unknown ghosts. */
  watched(): Tracked[] {
    return [...this.byId.values()].filter((t) => t.state === 'open' || t.state === 'ghost' || (t.awaitTrades?.size ?? 0) > 0);
  }

  forgetGhosts(beforeMs: number): void {
    for (const t of this.byId.values()) if (t.state === 'ghost' && (t.ghostSinceMs ?? 0) < beforeMs) t.state = 'done';
  }

  accept(t: Tracked): void {
    if (t.state === 'open' || t.state === 'done') return;
    t.state = 'open';
    const now = this.now();
    this.emit({ type: 'order_accepted', order: t.order, venueOrderId: t.hash, tsEvent: now, tsRecv: now });
  }

  reject(t: Tracked | undefined, order: Order, reason: string, message: string, opts: { keepWatching?: boolean } = {}): void {
    if (t) {
      t.state = opts.keepWatching ? 'ghost' : 'done';
      t.ghostSinceMs = this.now();
    }
    const now = this.now();
    this.emit({ type: 'order_rejected', order, reason, message, tsEvent: now, tsRecv: now });
  }

  cancelled(t: Tracked, reason: string): void {
    if (t.state === 'done') return;
    t.state = 'done';
    const now = this.now();
    this.emit({
      type: 'order_cancelled',
      order: t.order,
      reason,
      unfilledMicros: Math.max(0, t.order.sizeMicros - t.filledMicros),
      tsEvent: now,
      tsRecv: now,
    });
  }

  finish(t: Tracked): void {
    t.state = 'done';
  }

  /** Applies trades (any order, repeats welcome): each (trade, our order) pair counts once. */
  applyTrades(trades: Trade[]): void {
    for (const trade of trades) {
      for (const id of orderIdsOf(trade)) {
        const t = this.byHash.get(id);
        if (!t) continue;
        // Arrived, even when already applied: the poll can read a trade while its order's POST is still
        // being answered. Were it only struck here when new, the order would wait for a trade it has and,
        // past the fallback deadline, book its fills 30 s late — or never, if the process stopped first.
        t.awaitTrades?.delete(trade.id);
        t.awaitTrades?.delete('(delayed)'); // a delayed order's match has arrived
        const key = `${trade.id}|${id}`;
        if (this.seen.has(key)) continue;
        if (isFailedTrade(trade)) continue; // may still settle later under the same id: not marked seen
        this.seen.add(key);
        const parts = fillPartsFor(trade, id);
        if (isMarketType(t.order.type) && t.state !== 'ghost' && t.state !== 'done') t.buffer.push(...parts);
        else this.emitParts(t, parts, false);
      }
    }
  }

  /** A market order is complete when its budget (BUY, within a cent) or its shares (SELL) are used. */
  isComplete(t: Tracked): boolean {
    const o = t.order;
    if (!isMarketType(o.type)) return t.filledMicros >= o.sizeMicros;
    if (o.side === 'BUY') return t.notionalMicros >= (t.signedMakerMicros ?? o.amountMicros ?? Infinity) - 10_000;
    return t.filledMicros >= (t.signedMakerMicros ?? o.sizeMicros);
  }

  private emitParts(t: Tracked, parts: FillPart[], forceLastComplete: boolean): void {
    parts.forEach((p, i) => {
      t.filledMicros += p.sizeMicros;
      t.notionalMicros += Math.round((p.sizeMicros * p.priceMicros) / 1e6);
      const complete = (forceLastComplete && i === parts.length - 1) || (t.state !== 'ghost' && this.isComplete(t));
      if (complete && t.state !== 'ghost') t.state = 'done';
      const now = this.now();
      this.emit({
        type: complete ? 'order_filled' : 'order_partially_filled',
        order: t.order,
        fill: toFill(t.order, p),
        tsEvent: p.tsMs || now,
        tsRecv: now,
      });
    });
  }

  /** Finishes an accepted market order once all its trades are known (or their time is up). */
  settleMarketOrder(t: Tracked): void {
    if (!isMarketType(t.order.type) || t.state !== 'open') return;
    if ((t.awaitTrades?.size ?? 0) > 0) {
      if (!t.fallback || this.now() < t.fallback.deadlineMs) return;
      this.addFallbackPart(t);
    }
    const parts = t.buffer.sort((a, b) => a.tsMs - b.tsMs);
    t.buffer = [];
    const fok = t.order.type === 'FOK';
    this.emitParts(t, parts, fok && parts.length > 0);
    if ((t.state as TrackedState) !== 'done') this.cancelled(t, 'fak_unfilled');
  }

  /** The trades the POST reported never showed up: book the rest of its own totals as one fill. */
  private addFallbackPart(t: Tracked): void {
    const f = t.fallback!;
    const parse = (s?: string) => (s && /^\d+(\.\d+)?$/.test(s) ? toMicros(s) : 0);
    const shares = parse(t.order.side === 'BUY' ? f.taking : f.making);
    const usdc = parse(t.order.side === 'BUY' ? f.making : f.taking);
    const bufShares = t.buffer.reduce((s, p) => s + p.sizeMicros, 0);
    const bufUsdc = t.buffer.reduce((s, p) => s + Math.round((p.sizeMicros * p.priceMicros) / 1e6), 0);
    const restShares = shares - bufShares;
    if (restShares > 0) {
      const price = Math.round(((usdc - bufUsdc) * 1e6) / restShares);
      t.buffer.push({
        fillId: `${t.hash}:post`,
        priceMicros: price,
        sizeMicros: restShares,
        feeMicros: 0,
        liquidity: 'taker',
        tsMs: this.now(),
        tradeId: [...t.awaitTrades!].join(','),
      });
    }
    for (const id of t.awaitTrades!) this.seen.add(`${id}|${t.hash!.toLowerCase()}`);
    t.awaitTrades!.clear();
  }

  /** A resting order that left the book unfilled was cancelled (or expired) on the venue. */
  settleClosedLimit(t: Tracked, nowMs: number): void {
    if (isMarketType(t.order.type) || t.state !== 'open' || !t.closedOnVenue) return;
    if (this.isComplete(t)) {
      t.state = 'done';
      return;
    }
    const exp = t.order.expiresAtMs;
    if (t.order.type === 'GTD' && exp !== undefined && nowMs >= exp - 1000) {
      t.state = 'done';
      this.emit({
        type: 'order_expired',
        order: t.order,
        unfilledMicros: Math.max(0, t.order.sizeMicros - t.filledMicros),
        tsEvent: exp,
        tsRecv: nowMs,
      });
      return;
    }
    this.cancelled(t, 'venue_cancelled');
  }
}
