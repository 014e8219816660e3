/**
 * Our money: one ledger for the whole account and one per strategy instance (per-strategy stats and
 * "sell the same fraction of *this target's* position"). Marks come from books, else the last print.
 */
import { Ledger, type Position } from '../core/ledger.ts';
import { notional, type Micros } from '../core/money.ts';
import type { BookRegistry } from '../core/order-book.ts';
import type { EquityPoint } from '../core/ports.ts';
import type { Fill } from '../core/types.ts';
import type { AccountView, PendingBuys } from '../risk/types.ts';

/** A ledger as reports and tests read it: the numbers, and no way to book anything. */
export interface LedgerReader {
  readonly cashMicros: Micros;
  readonly realizedMicros: Micros;
  readonly feesMicros: Micros;
  readonly buyVolumeMicros: Micros;
  readonly startCashMicros: Micros;
  position(tokenId: string): Readonly<Position> | undefined;
  size(tokenId: string): Micros;
  avgPrice(tokenId: string): Micros;
  all(): readonly Readonly<Position>[];
  open(): readonly Readonly<Position>[];
  costOfOpen(): Micros;
  unrealized(mark: (tokenId: string) => Micros | undefined): Micros;
  equity(mark: (tokenId: string) => Micros | undefined): Micros;
}

/** The whole account and each strategy's share, read-only (the replay report's per-position and per-trade numbers). */
export interface PortfolioReader {
  readonly total: LedgerReader;
  strategy(id: string): LedgerReader;
  /** Every strategy that has a ledger: those running and those whose fills were restored or that were stopped. */
  strategyIds(): string[];
  /** Mark price: resolution payout, else book mid, else the last trade seen. */
  readonly mark: (tokenId: string) => Micros | undefined;
  equityMicros(): Micros;
  peakEquityMicros(): Micros;
}

export class Portfolio implements PortfolioReader {
  readonly total: Ledger;
  private byStrategy = new Map<string, Ledger>();
  /**
   * Per token seen: its last price and the market value it adds to `marketValueTotal`. One record per
   * token, so a price update (every event of a replay) is one lookup, not a write to a price map plus
   * a read of a value map and of the ledger's positions.
   */
  private tokens = new Map<string, TokenMark>();
  /** Payout per share of resolved tokens (they are marked at it, not at the dead book). */
  private payouts = new Map<string, Micros>();
  private peakEquity: Micros;
  /**
   * Market value of the account's open positions, kept current one token at a time: every change to a
   * token's size or mark calls `refresh(token)`, so equity is O(1) however many positions are open.
   */
  private marketValueTotal = 0;

  /** Marks by the shared feed's token number (engines in lockstep on a SharedFeed): an array index, not a Map lookup. */
  private byNo: (TokenMark | undefined)[] = [];

  /** `tokenNumbers`: a numbering of token ids shared by a group of engines (shared-feed.ts), if any. */
  constructor(
    startCashMicros: Micros,
    private readonly books: BookRegistry,
    private readonly tokenNumbers?: TokenNumbers,
  ) {
    this.total = new Ledger(startCashMicros);
    this.peakEquity = startCashMicros;
  }

  strategy(id: string): Ledger {
    let ledger = this.byStrategy.get(id);
    if (!ledger) {
      ledger = new Ledger(0);
      this.byStrategy.set(id, ledger);
    }
    return ledger;
  }

  strategyIds(): string[] {
    return [...this.byStrategy.keys()];
  }

  notePrice(tokenId: string, priceMicros: Micros): void {
    const t = this.tokenMark(tokenId);
    t.lastPrice = priceMicros;
    this.remark(tokenId, t);
  }

  private tokenMark(tokenId: string): TokenMark {
    const numbers = this.tokenNumbers;
    if (numbers) {
      const no = numbers.tokenNoOf(tokenId);
      let t = this.byNo[no];
      if (!t) {
        // Grown one slot at a time (numbers come in order of first sight), so the array stays packed.
        while (this.byNo.length < no) this.byNo.push(undefined);
        this.byNo[no] = t = this.newMark(tokenId);
      }
      return t;
    }
    return this.tokens.get(tokenId) ?? this.newMark(tokenId);
  }

  private newMark(tokenId: string): TokenMark {
    const t: TokenMark = { lastPrice: undefined, value: undefined, position: undefined };
    this.tokens.set(tokenId, t);
    return t;
  }

  /** Re-marks one token (after its book, last price, payout or our size changed). */
  refresh(tokenId: string): void {
    this.remark(tokenId, this.tokenMark(tokenId));
  }

  private remark(tokenId: string, t: TokenMark): void {
    // Positions are made only by fills, which go through applyFill (it keeps the object): a price
    // update of a token never held is one lookup, not two.
    const position = t.position;
    const size = position ? position.sizeMicros : 0;
    const old = t.value;
    if (size === 0) {
      if (old !== undefined) {
        this.marketValueTotal -= old;
        t.value = undefined;
      }
      return;
    }
    const m = this.markOf(tokenId, t);
    const value = m === undefined ? position!.costMicros : notional(size, m);
    this.marketValueTotal += value - (old ?? 0);
    t.value = value;
  }

  /** Cash plus open positions at their marks. */
  equityMicros(): Micros {
    return this.total.cashMicros + this.marketValueTotal;
  }

  /** Mark price: resolution payout, else book mid, else the last trade seen. */
  readonly mark = (tokenId: string): Micros | undefined => this.markOf(tokenId, this.tokens.get(tokenId));

  private markOf(tokenId: string, t: TokenMark | undefined): Micros | undefined {
    const payout = this.payouts.size > 0 ? this.payouts.get(tokenId) : undefined;
    if (payout !== undefined) return payout;
    const book = this.books.get(tokenId);
    if (book && book.bids.length > 0 && book.asks.length > 0) return book.midMicros();
    return t?.lastPrice ?? book?.midMicros();
  }

  applyFill(fill: Fill): void {
    this.total.applyFill(fill);
    this.strategy(fill.strategyId).applyFill(fill);
    const t = this.tokenMark(fill.tokenId);
    // The ledger never drops a position once made, so the object is kept once found.
    t.position ??= this.total.position(fill.tokenId);
    t.lastPrice = fill.priceMicros;
    this.remark(fill.tokenId, t);
  }

  /** Settles every ledger's holdings of a resolved market. Returns total PnL booked. */
  settle(payouts: Record<string, Micros>): Micros {
    let pnl = 0;
    for (const [tokenId, payout] of Object.entries(payouts)) {
      this.payouts.set(tokenId, payout);
      pnl += this.total.settle(tokenId, payout);
      for (const ledger of this.byStrategy.values()) ledger.settle(tokenId, payout);
      this.refresh(tokenId);
    }
    return pnl;
  }

  equityPoint(tsMs: number): EquityPoint {
    const marketValue = this.marketValueTotal;
    const equity = this.total.cashMicros + marketValue;
    if (equity > this.peakEquity) this.peakEquity = equity;
    return {
      tsMs,
      equityMicros: equity,
      cashMicros: this.total.cashMicros,
      realizedMicros: this.total.realizedMicros,
      unrealizedMicros: marketValue - this.total.costOfOpen(),
      feesMicros: this.total.feesMicros,
    };
  }

  peakEquityMicros(): Micros {
    return this.peakEquity;
  }

  /**
   * The account as risk sees it, built once: every member reads live state. `pending` holds the BUYs
   * sent but not filled (running totals); their cost is reserved from cash and counted as exposure.
   */
  view(pending: PendingTotalsView): AccountView {
    const total = this.total;
    const portfolio = this;
    return {
      get cashMicros() {
        return total.cashMicros - pending.totalMicros;
      },
      get equityMicros() {
        return portfolio.equityMicros();
      },
      positionSize: (tokenId) => total.size(tokenId),
      marketExposure: (conditionId) => total.costIn(conditionId),
      totalExposure: () => total.costOfOpen(),
      marketsHeld: () => total.marketsHeld(),
      pendingBuys: () => pending.list(),
      pending,
    };
  }
}

interface TokenMark {
  lastPrice: Micros | undefined;
  /** What this token adds to the account's market value now (undefined: nothing held). */
  value: Micros | undefined;
  /** The account ledger's position of the token, once it has one (set by applyFill, the only way one is made). */
  position: Readonly<Position> | undefined;
}

/** A numbering of token ids shared by engines in lockstep (SharedFeed): the same number for the same id. */
export interface TokenNumbers {
  tokenNoOf(tokenId: string): number;
}

/** Working BUYs as running totals, and as a list for readers that want one. */
export interface PendingTotalsView extends PendingBuys {
  list(): { conditionId: string; costMicros: Micros }[];
}
