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

/**
 * Unfilled cost of working BUYs, total and per market. A market whose BUYs all finished keeps a 0
 * entry (bounded by the markets traded) instead of being deleted: a Map that goes 1 → 0 → 1 entries
 * on every copy reallocates its table each time, and that was a visible share of the engine's garbage.
 * Readers see only markets with something pending.
 */
export class PendingTotals implements PendingBuys {
  totalMicros = 0;
  private byMarket = new Map<string, Micros>();

  add(conditionId: string, delta: Micros): void {
    if (delta === 0) return;
    this.totalMicros += delta;
    const next = (this.byMarket.get(conditionId) ?? 0) + delta;
    this.byMarket.set(conditionId, next > 0 ? next : 0);
  }

  inMarket(conditionId: string): Micros {
    return this.byMarket.get(conditionId) ?? 0;
  }

  *markets(): Iterable<string> {
    for (const [conditionId, costMicros] of this.byMarket) if (costMicros > 0) yield conditionId;
  }

  /** The same pending BUYs as a list (one entry per market), for readers that want one. */
  list(): { conditionId: string; costMicros: Micros }[] {
    const out: { conditionId: string; costMicros: Micros }[] = [];
    for (const [conditionId, costMicros] of this.byMarket) if (costMicros > 0) out.push({ conditionId, costMicros });
    return out;
  }
}

interface Working {
  /**
   * Let go once finished: a done entry waits in `byId` for the next sweep, and an order answering a recorded
   * trade holds that trade's DuckDB chunk (recorded-cause-order.ts), which a long-lived Map would keep for GC's old generation.
   */
  order: Order | undefined;
  filledMicros: number;
  /** What this order adds to the totals now: unfilled BUY cost, or unfilled SELL shares. */
  counted: number;
  /** The strategy budget's totals, when the strategy has one. */
  own: PendingTotals | undefined;
  /** SELLs: the strategy's per-token in-flight map. */
  sells: Map<string, number> | undefined;
  /** Filled, rejected, cancelled or expired: no longer counted, removed from `byId` in the next sweep. */
  done: boolean;
}

/** Finished orders are removed from `byId` in batches of at least this many (see `retire`). */
const SWEEP_AFTER = 64;

/**
 * Finished orders leave `byId` in batches rather than one `delete` each: with one or two orders
 * working at a time, deleting every finished one made the Map reallocate its table on most copies.
 * A finished order is marked `done` at once, so nothing reads it as working in between.
 */
export class WorkingOrders {
  readonly pending = new PendingTotals();
  private readonly byId = new Map<string, Working>();
  private finishedCount = 0;
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
    const w: Working = { order, filledMicros: 0, counted: 0, own, sells, done: false };
    this.byId.set(order.clientOrderId, w);
    this.recount(w, true);
  }

  /** A fill of one of ours; `done` when the venue says the order is finished. */
  filled(clientOrderId: string, sizeMicros: Micros, done: boolean): void {
    const w = this.byId.get(clientOrderId);
    if (!w || w.done) return;
    w.filledMicros += sizeMicros;
    const finished = done || w.filledMicros >= w.order!.sizeMicros;
    this.recount(w, !finished);
    if (finished) this.retire(w);
  }

  /** Rejected, cancelled or expired. */
  finished(clientOrderId: string): void {
    const w = this.byId.get(clientOrderId);
    if (!w || w.done) return;
    this.recount(w, false);
    this.retire(w);
  }

  orders(): Order[] {
    const out: Order[] = [];
    for (const w of this.byId.values()) if (!w.done) out.push(w.order!);
    return out;
  }

  /** Marks `w` finished; once finished orders are many and at least half of `byId`, removes them all. */
  private retire(w: Working): void {
    w.done = true;
    w.order = undefined;
    this.finishedCount++;
    if (this.finishedCount < SWEEP_AFTER || this.finishedCount * 2 < this.byId.size) return;
    for (const [id, entry] of this.byId) if (entry.done) this.byId.delete(id);
    this.finishedCount = 0;
  }

  private recount(w: Working, working: boolean): void {
    const o = w.order!;
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
        // A token with no SELL working keeps a 0 (bounded by the tokens sold), for the same reason as PendingTotals.
        w.sells!.set(o.tokenId, (w.sells!.get(o.tokenId) ?? 0) + delta);
      }
    }
    w.counted = now;
  }
}
