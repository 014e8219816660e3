/**
 * One account's book-keeping: cash, positions at average cost, realized PnL and fees, all in micros.
 * Invariant (checked by the property tests): cash = start − cost of open positions + realized − fees.
 */
import { InvariantError } from './errors.ts';
import { notional, mulDiv, type Micros } from './money.ts';
import type { Fill } from './types.ts';

export interface Position {
  tokenId: string;
  conditionId: string;
  sizeMicros: Micros;
  /** Total cost basis of the open size (USDC micros). */
  costMicros: Micros;
  realizedMicros: Micros;
  feesMicros: Micros;
  settled: boolean;
  /** Realized PnL from settlement at resolution (vs exits before it). */
  settledPnlMicros: Micros;
  /** Closed round trips, for win rate: PnL of each SELL or settlement. */
  closedPnls: Micros[];
}

export class Ledger {
  cashMicros: Micros;
  realizedMicros = 0;
  feesMicros = 0;
  /** USDC spent on BUYs over the ledger's life (for scaling comparisons). */
  buyVolumeMicros = 0;
  readonly startCashMicros: Micros;
  private positions = new Map<string, Position>();
  /** Running totals so risk checks stay O(1) however many positions there are. */
  private openCost = 0;
  private costByCondition = new Map<string, Micros>();
  /** The keys of costByCondition, kept as a live set so risk reads it per order without copying. */
  private held = new Set<string>();
  /** Per market: how many of its tokens we hold (size > 0), so an exit never scans every position. */
  private openTokens = new Map<string, number>();

  constructor(startCashMicros: Micros) {
    this.cashMicros = startCashMicros;
    this.startCashMicros = startCashMicros;
  }

  position(tokenId: string): Position | undefined {
    return this.positions.get(tokenId);
  }

  size(tokenId: string): Micros {
    return this.positions.get(tokenId)?.sizeMicros ?? 0;
  }

  avgPrice(tokenId: string): Micros {
    const p = this.positions.get(tokenId);
    return p && p.sizeMicros > 0 ? mulDiv(p.costMicros, 1_000_000, p.sizeMicros) : 0;
  }

  all(): Position[] {
    return [...this.positions.values()];
  }

  open(): Position[] {
    return this.all().filter((p) => p.sizeMicros > 0);
  }

  /** Books a fill. A SELL larger than the position is an invariant breach: the engine never lets one through. */
  applyFill(fill: Pick<Fill, 'tokenId' | 'conditionId' | 'side' | 'priceMicros' | 'sizeMicros' | 'feeMicros'>): Micros {
    const pos = this.ensure(fill.tokenId, fill.conditionId);
    const value = notional(fill.sizeMicros, fill.priceMicros);
    this.feesMicros += fill.feeMicros;
    pos.feesMicros += fill.feeMicros;
    if (fill.side === 'BUY') {
      this.cashMicros -= value + fill.feeMicros;
      this.buyVolumeMicros += value;
      this.resize(pos, pos.sizeMicros + fill.sizeMicros);
      this.addCost(pos, value);
      return 0;
    }
    if (fill.sizeMicros > pos.sizeMicros) {
      throw new InvariantError(`SELL of ${fill.sizeMicros} exceeds holdings ${pos.sizeMicros} in ${fill.tokenId}`);
    }
    const costOut = fill.sizeMicros === pos.sizeMicros ? pos.costMicros : mulDiv(pos.costMicros, fill.sizeMicros, pos.sizeMicros);
    const pnl = value - costOut;
    this.cashMicros += value - fill.feeMicros;
    this.resize(pos, pos.sizeMicros - fill.sizeMicros);
    this.addCost(pos, -costOut);
    pos.realizedMicros += pnl;
    this.realizedMicros += pnl;
    pos.closedPnls.push(pnl);
    return pnl;
  }

  /** Pays out a resolved token: `payoutMicros` per share (1e6 winner, 0 loser, 5e5 for 50/50). */
  settle(tokenId: string, payoutMicros: Micros): Micros {
    const pos = this.positions.get(tokenId);
    if (!pos || pos.settled) return 0;
    const proceeds = notional(pos.sizeMicros, payoutMicros);
    const pnl = proceeds - pos.costMicros;
    this.cashMicros += proceeds;
    pos.realizedMicros += pnl;
    pos.settledPnlMicros += pnl;
    this.realizedMicros += pnl;
    if (pos.sizeMicros > 0) pos.closedPnls.push(pnl);
    this.resize(pos, 0);
    this.addCost(pos, -pos.costMicros);
    pos.settled = true;
    return pnl;
  }

  /** Market value of open positions at the given marks (average cost where there is no mark). */
  marketValue(mark: (tokenId: string) => Micros | undefined): Micros {
    let total = 0;
    for (const p of this.positions.values()) {
      if (p.sizeMicros === 0) continue;
      const m = mark(p.tokenId);
      total += m === undefined ? p.costMicros : notional(p.sizeMicros, m);
    }
    return total;
  }

  costOfOpen(): Micros {
    return this.openCost;
  }

  /** Cost of open positions in one market (condition id). */
  costIn(conditionId: string): Micros {
    return this.costByCondition.get(conditionId) ?? 0;
  }

  /** Markets (condition ids) where we hold a position: a live view, O(1); copy it to keep a snapshot. */
  marketsHeld(): ReadonlySet<string> {
    return this.held;
  }

  private addCost(pos: Position, delta: Micros): void {
    pos.costMicros += delta;
    this.openCost += delta;
    const before = this.costByCondition.get(pos.conditionId);
    const next = (before ?? 0) + delta;
    // A position can be open at zero cost (bought at a price that rounds to 0): keep it while size > 0.
    if (next === 0 && !this.anyOpenIn(pos.conditionId)) {
      this.costByCondition.delete(pos.conditionId);
      this.held.delete(pos.conditionId);
    } else {
      this.costByCondition.set(pos.conditionId, next);
      // `held` has the keys of costByCondition: a market already there is in it.
      if (before === undefined) this.held.add(pos.conditionId);
    }
  }

  private anyOpenIn(conditionId: string): boolean {
    return (this.openTokens.get(conditionId) ?? 0) > 0;
  }

  /** Every change of a position's size goes through here, keeping `openTokens` true. */
  private resize(pos: Position, sizeMicros: Micros): void {
    const was = pos.sizeMicros > 0;
    pos.sizeMicros = sizeMicros;
    const is = sizeMicros > 0;
    if (was !== is) this.openTokens.set(pos.conditionId, (this.openTokens.get(pos.conditionId) ?? 0) + (is ? 1 : -1));
  }

  unrealized(mark: (tokenId: string) => Micros | undefined): Micros {
    return this.marketValue(mark) - this.costOfOpen();
  }

  equity(mark: (tokenId: string) => Micros | undefined): Micros {
    return this.cashMicros + this.marketValue(mark);
  }

  private ensure(tokenId: string, conditionId: string): Position {
    let pos = this.positions.get(tokenId);
    if (!pos) {
      pos = {
        tokenId,
        conditionId,
        sizeMicros: 0,
        costMicros: 0,
        realizedMicros: 0,
        feesMicros: 0,
        settled: false,
        settledPnlMicros: 0,
        closedPnls: [],
      };
      this.positions.set(tokenId, pos);
    }
    return pos;
  }
}
