/**
 * Our orders between "sent" and "finished", with running totals that risk and the SELL cap read on
 * every order: the unfilled cost of BUYs (account-wide, per market, and per strategy with a budget)
 * and the unfilled shares of SELLs per strategy and token. Each total changes by the order's own
 * delta when it is sent, fills or finishes, so reading one is O(1) however many orders are working —
 * and equals the sum over the working orders that was computed before.
 */
import { mulDiv, notional, type Micros } from '../core/money.ts';
import type { Order } from '../core/types.ts';
import type { PendingBuys } from '../risk/types.ts';

/** Unfilled cost of working BUYs, total and per market (markets with nothing pending are dropped). */
export class PendingTotals implements PendingBuys {
  totalMicros = 0;
  private byMarket = new Map<string, Micros>();

  add(conditionId: string, delta: Micros): void {
    if (delta === 0) return;
    this.totalMicros += delta;
    const next = (this.byMarket.get(conditionId) ?? 0) + delta;
    if (next > 0) this.byMarket.set(conditionId, next);
    else this.byMarket.delete(conditionId);
  }

  inMarket(conditionId: string): Micros {
    return this.byMarket.get(conditionId) ?? 0;
  }

  markets(): Iterable<string> {
    return this.byMarket.keys();
  }

  /** The same pending BUYs as a list (one entry per market), for readers that want one. */
  list(): { conditionId: string; costMicros: Micros }[] {
    return [...this.byMarket].map(([conditionId, costMicros]) => ({ conditionId, costMicros }));
  }
}

interface Working {
  order: Order;
  filledMicros: number;
  /** What this order adds to the totals now: unfilled BUY cost, or unfilled SELL shares. */
  counted: number;
  /** The strategy budget's totals, when the strategy has one. */
  own: PendingTotals | undefined;
  /** SELLs: the strategy's per-token in-flight map. */
  sells: Map<string, number> | undefined;
}

export class WorkingOrders {
  readonly pending = new PendingTotals();
  private readonly byId = new Map<string, Working>();
  private readonly ownPending = new Map<string, PendingTotals>();
  private readonly sellsByStrategy = new Map<string, Map<string, number>>();

  /** Tracks a strategy's unfilled BUYs on their own as well (for its budget's checks). */
  ownOf(strategyId: string): PendingTotals {
    let totals = this.ownPending.get(strategyId);
    if (!totals) this.ownPending.set(strategyId, (totals = new PendingTotals()));
    return totals;
  }

  /** Unfilled shares of this strategy's working SELLs of a token. */
  sellsInFlight(strategyId: string, tokenId: string): Micros {
    return this.sellsByStrategy.get(strategyId)?.get(tokenId) ?? 0;
  }

  add(order: Order): void {
    const own = order.side === 'BUY' ? this.ownPending.get(order.strategyId) : undefined;
    let sells: Map<string, number> | undefined;
    if (order.side === 'SELL') {
      sells = this.sellsByStrategy.get(order.strategyId);
      if (!sells) this.sellsByStrategy.set(order.strategyId, (sells = new Map()));
    }
    const w: Working = { order, filledMicros: 0, counted: 0, own, sells };
    this.byId.set(order.clientOrderId, w);
    this.recount(w, true);
  }

  /** A fill of one of ours; `done` when the venue says the order is finished. */
  filled(clientOrderId: string, sizeMicros: Micros, done: boolean): void {
    const w = this.byId.get(clientOrderId);
    if (!w) return;
    w.filledMicros += sizeMicros;
    const finished = done || w.filledMicros >= w.order.sizeMicros;
    if (finished) this.byId.delete(clientOrderId);
    this.recount(w, !finished);
  }

  /** Rejected, cancelled or expired. */
  finished(clientOrderId: string): void {
    const w = this.byId.get(clientOrderId);
    if (!w) return;
    this.byId.delete(clientOrderId);
    this.recount(w, false);
  }

  orders(): Order[] {
    return [...this.byId.values()].map((w) => w.order);
  }

  private recount(w: Working, working: boolean): void {
    const o = w.order;
    let now = 0;
    if (o.side === 'BUY') {
      if (working && o.sizeMicros > 0) {
        const full = o.amountMicros ?? notional(o.sizeMicros, o.priceMicros, 'ceil');
        now = mulDiv(full, Math.max(0, o.sizeMicros - w.filledMicros), o.sizeMicros, 'ceil');
        if (now < 0) now = 0;
      }
      const delta = now - w.counted;
      this.pending.add(o.conditionId, delta);
      w.own?.add(o.conditionId, delta);
    } else {
      if (working) now = o.sizeMicros - w.filledMicros;
      const delta = now - w.counted;
      if (delta !== 0) {
        const next = (w.sells!.get(o.tokenId) ?? 0) + delta;
        if (next === 0) w.sells!.delete(o.tokenId);
        else w.sells!.set(o.tokenId, next);
      }
    }
    w.counted = now;
  }
}
