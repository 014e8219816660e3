/**
 * Listens to a run and keeps what its report needs, in bounded memory: counts by reason, per-fill
 * slippage, a running fills hash, a per-minute equity curve, and each target's own trades booked in a
 * shadow ledger (for the capture ratio: my PnL against the target's, scaled to my size — target-shadow.ts).
 */
import type { Ledger } from '../core/ledger.ts';
import type { EngineEvent, OrderEvent } from '../core/events.ts';
import type { Decision, EngineListener, EquityPoint, Alert } from '../core/ports.ts';
import type { Fill } from '../core/types.ts';
import { FillsHash } from '../core/fill-hash.ts';
import { slippageBps } from './metrics.ts';
import { TargetShadow } from './target-shadow.ts';

export interface OrderOutcome {
  filledMicros: number;
  sizeMicros: number;
  partial: boolean;
}

export class RunCollector implements EngineListener {
  submitted = 0;
  rejected = 0;
  rejectedByReason = new Map<string, number>();
  filledOrders = 0;
  partialOrders = 0;
  skipped = new Map<string, number>();
  denied = 0;
  fills = 0;
  slippage: number[] = [];
  equity: EquityPoint[] = [];
  alerts: Alert[] = [];
  maxDrawdownPct = 0;
  firstEventMs: number | undefined;
  lastEventMs: number | undefined;
  /** USDC we spent on BUYs, for scaling each target's PnL to our size. */
  ourBuyVolumeMicros = 0;
  private readonly shadow: TargetShadow;
  /** False when the shadow is shared and fed once per event by whoever drives the runs (a one-pass sweep). */
  private readonly feedsShadow: boolean;
  private readonly hash = new FillsHash();
  private partialFilled = new Map<string, OrderOutcome>();
  private peak = Number.NEGATIVE_INFINITY;
  private lastKeptMs = Number.NEGATIVE_INFINITY;
  private latestEquity: EquityPoint | undefined;

  /**
   * `sharedShadow`: the target shadow of the window this run is in, fed by the sweep once per event for
   * all its runs (report/target-shadow.ts); without it the collector books the targets' trades itself.
   */
  constructor(
    watched: Set<string>,
    private readonly equityStepMs = 60_000,
    sharedShadow?: TargetShadow,
  ) {
    this.feedsShadow = !sharedShadow;
    this.shadow = sharedShadow ?? new TargetShadow();
    this.shadow.watch(watched);
  }

  /** A target's own trades booked as if they were ours (shadow accounting; a shared shadow may hold other runs' wallets too). */
  targetLedger(wallet: string): Ledger | undefined {
    return this.shadow.ledgerOf(wallet);
  }

  /** USDC a target spent on BUYs. */
  targetBuyVolumeMicros(wallet: string): number {
    return this.shadow.buyVolumeOf(wallet);
  }

  onEvent(event: EngineEvent): void {
    const ts = event.tsRecv;
    if (this.firstEventMs === undefined || ts < this.firstEventMs) this.firstEventMs = ts;
    if (this.lastEventMs === undefined || ts > this.lastEventMs) this.lastEventMs = ts;
    if (this.feedsShadow) this.shadow.onEvent(event);
  }

  onDecision(d: Decision): void {
    if (d.action === 'copy' || d.action === 'order') this.submitted++;
    else if (d.action === 'skip' || d.action === 'deny') {
      if (d.action === 'deny') this.denied++;
      this.skipped.set(d.reason, (this.skipped.get(d.reason) ?? 0) + 1);
    }
  }

  onOrderEvent(e: OrderEvent): void {
    const id = e.order.clientOrderId;
    switch (e.type) {
      case 'order_rejected':
        this.rejected++;
        this.rejectedByReason.set(e.reason, (this.rejectedByReason.get(e.reason) ?? 0) + 1);
        break;
      case 'order_partially_filled':
      case 'order_filled': {
        this.recordFill(e.fill, e.order.referencePriceMicros);
        if (e.type === 'order_filled') {
          this.filledOrders++;
          // Most orders fill at once: no record made, and no Map write for them (a sweep books millions).
          if (this.partialFilled.size > 0) this.partialFilled.delete(id);
        } else {
          const o = this.partialFilled.get(id) ?? { filledMicros: 0, sizeMicros: e.order.sizeMicros, partial: false };
          o.filledMicros += e.fill.sizeMicros;
          this.partialFilled.set(id, o);
        }
        break;
      }
      case 'order_cancelled':
      case 'order_expired':
        if (this.partialFilled.has(id)) {
          this.partialOrders++;
          this.partialFilled.delete(id);
        }
        break;
    }
  }

  onEquity(p: EquityPoint): void {
    if (p.equityMicros > this.peak) this.peak = p.equityMicros;
    if (this.peak > 0) this.maxDrawdownPct = Math.max(this.maxDrawdownPct, ((this.peak - p.equityMicros) / this.peak) * 100);
    this.latestEquity = p;
    if (p.tsMs - this.lastKeptMs >= this.equityStepMs) {
      this.equity.push(p);
      this.lastKeptMs = p.tsMs;
    }
  }

  onAlert(a: Alert): void {
    if (this.alerts.length < 1000) this.alerts.push(a);
  }

  /** The kept curve plus the very last point. */
  equityCurve(): EquityPoint[] {
    const last = this.latestEquity;
    if (last && this.equity[this.equity.length - 1] !== last) return [...this.equity, last];
    return this.equity;
  }

  fillsHash(): string {
    return this.hash.digest();
  }

  private recordFill(fill: Fill, referencePriceMicros: number | undefined): void {
    this.fills++;
    this.hash.add(fill);
    if (fill.side === 'BUY') this.ourBuyVolumeMicros += Math.round((fill.sizeMicros * fill.priceMicros) / 1e6);
    if (referencePriceMicros) this.slippage.push(slippageBps(fill.side, fill.priceMicros, referencePriceMicros));
  }
}
