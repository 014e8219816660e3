/**
 * What scouting needs of one follower run beyond the replay summary: the follower's cost against the
 * target's own prices (slippage + fees, in bps of the target-priced notional), drawdown in USDC, how
 * many of the target's trades could not be copied because the copy was below an exchange or user
 * minimum, and what every order came to (filled, missed, refused).
 */
import type { OrderEvent } from '../../core/events.ts';
import type { Decision, EngineListener, EquityPoint } from '../../core/ports.ts';

/** Reasons that mean "the copy was too small to place": exchange minimums and the user's own minimum. */
export const BELOW_MINIMUM_REASONS: ReadonlySet<string> = new Set(['below_min_size', 'below_min_notional', 'min_order_usdc']);

export class FollowerTally implements EngineListener {
  /** Target trades decided (one decision each), and how many of them were too small to copy. */
  decided = 0;
  belowMinimum = 0;
  fills = 0;
  /** Orders that reached the venue and were refused or left unfilled (price moved past the limit, no depth). */
  missed = 0;
  /** Σ (fill price − target price) × shares, against us, plus fees; and Σ target price × shares. */
  costMicros = 0;
  notionalMicros = 0;
  maxDrawdownMicros = 0;
  /** Target trades not copied, by reason code (docs/reasons.md). */
  readonly skipped = new Map<string, number>();
  private peak = Number.NEGATIVE_INFINITY;
  private readonly decidedCauses = new Set<string>();

  onDecision(d: Decision): void {
    if (!d.causeKey || this.decidedCauses.has(d.causeKey)) return;
    this.decidedCauses.add(d.causeKey);
    this.decided++;
    if (BELOW_MINIMUM_REASONS.has(d.reason)) this.belowMinimum++;
    if (d.action === 'skip' || d.action === 'deny') this.skipped.set(d.reason, (this.skipped.get(d.reason) ?? 0) + 1);
  }

  onOrderEvent(e: OrderEvent): void {
    if (e.type === 'order_rejected') {
      if (BELOW_MINIMUM_REASONS.has(e.reason)) this.belowMinimum++;
      else this.missed++;
    } else if (e.type === 'order_cancelled' && e.order.type !== 'GTC' && e.unfilledMicros === e.order.sizeMicros) this.missed++;
    else if (e.type === 'order_filled' || e.type === 'order_partially_filled') {
      this.fills++;
      const ref = e.order.referencePriceMicros;
      if (ref === undefined) return;
      const { priceMicros, sizeMicros, feeMicros, side } = e.fill;
      const adverse = side === 'BUY' ? priceMicros - ref : ref - priceMicros;
      this.costMicros += Math.round((adverse * sizeMicros) / 1e6) + feeMicros;
      this.notionalMicros += Math.round((ref * sizeMicros) / 1e6);
    }
  }

  onEquity(p: EquityPoint): void {
    if (p.equityMicros > this.peak) this.peak = p.equityMicros;
    this.maxDrawdownMicros = Math.max(this.maxDrawdownMicros, this.peak - p.equityMicros);
  }

  costBps(): number | null {
    return this.notionalMicros > 0 ? (this.costMicros / this.notionalMicros) * 10_000 : null;
  }
}
