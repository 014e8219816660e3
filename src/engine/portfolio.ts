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

/** Room for this many tokens at first; the slots double when a token numbered past them is seen. */
const INITIAL_TOKENS = 64;
/** Numbers per token in `slots` (four, so a token's block never straddles a cache line), and their offsets. */
const SLOT = 4;
const SIZE = 0;
const VALUE = 1;
const LAST_PRICE = 2;
/** The mark VALUE was computed at (NaN: none, valued at cost). */
const MARKED_AT = 3;

/** Slots for `tokens` tokens: size 0, value, last price and mark NaN (none). */
function newSlots(tokens: number): Float64Array {
  const slots = new Float64Array(tokens * SLOT).fill(NaN);
  for (let i = SIZE; i < slots.length; i += SLOT) slots[i] = 0;
  return slots;
}

export class Portfolio implements PortfolioReader {
  readonly total: Ledger;
  private byStrategy = new Map<string, Ledger>();
  /**
   * Per token, by its number (the shared feed's, or this portfolio's own), four numbers side by side in
   * one flat array: the account's size of it, the market value it adds to `marketValueTotal` and its
   * last price (NaN: none). A price update — every event of a replay, in every engine of a sweep —
   * touches one 32-byte block, instead of a record and a position object per token per engine (in a
   * sweep those reads missed the cache on most events).
   */
  private slots = newSlots(INITIAL_TOKENS);
  /** The account ledger's position of a token, once it has one (applyFill makes it; the ledger never drops one). */
  private positions: (Readonly<Position> | undefined)[] = [];
  /** This portfolio's own numbering of token ids, when no shared one was given. */
  private readonly ownNumbers: Map<string, number> | undefined;
  /** Payout per share of resolved tokens (they are marked at it, not at the dead book). */
  private payouts = new Map<string, Micros>();
  private peakEquity: Micros;
  /**
   * Market value of the account's open positions, kept current one token at a time: every change to a
   * token's size or mark calls `refresh(token)`, so equity is O(1) however many positions are open.
   */
  private marketValueTotal = 0;
  /** Tokens whose size slot is not 0: while none, market data has nothing to re-mark. */
  private held = 0;

  /** `tokenNumbers`: a numbering of token ids shared by a group of engines (shared-feed.ts), if any. */
  constructor(
    startCashMicros: Micros,
    private readonly books: BookRegistry,
    private readonly tokenNumbers?: TokenNumbers,
  ) {
    this.total = new Ledger(startCashMicros);
    this.peakEquity = startCashMicros;
    this.ownNumbers = tokenNumbers ? undefined : new Map();
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
    const no = this.noOf(tokenId);
    this.slots[no * SLOT + LAST_PRICE] = priceMicros;
    this.remark(tokenId, no);
  }

  /** The token's number, with room for it in the arrays. */
  private noOf(tokenId: string): number {
    let no: number;
    const own = this.ownNumbers;
    if (own) {
      const known = own.get(tokenId);
      if (known === undefined) own.set(tokenId, (no = own.size));
      else no = known;
    } else no = this.tokenNumbers!.tokenNoOf(tokenId);
    if (no * SLOT >= this.slots.length) this.grow(no);
    return no;
  }

  /** The token's number if it has slots here, else -1 (a reader's lookup numbers nothing). */
  private knownNo(tokenId: string): number {
    const no = this.ownNumbers ? this.ownNumbers.get(tokenId) : this.tokenNumbers!.tokenNoOf(tokenId);
    return no === undefined || no * SLOT >= this.slots.length ? -1 : no;
  }

  private grow(no: number): void {
    let tokens = (this.slots.length / SLOT) * 2;
    while (tokens <= no) tokens *= 2;
    const slots = newSlots(tokens);
    slots.set(this.slots);
    this.slots = slots;
  }

  /**
   * Re-marks one token after its book changed (once per book frame). Only a token held has a value to
   * change: with nothing held this returns at once, and a held token whose mark did not move (a level
   * changed behind the best ones) keeps its value without recomputing it.
   */
  refresh(tokenId: string): void {
    if (this.held === 0) return;
    const no = this.noOf(tokenId);
    const at = no * SLOT;
    const size = this.slots[at + SIZE]!;
    if (size === 0) return this.remark(tokenId, no);
    const m = this.markOf(tokenId, no);
    if (m !== this.slots[at + MARKED_AT]) this.setValue(no, m === undefined ? this.positions[no]!.costMicros : notional(size, m), m);
  }

  /** Sets the account's size of a token (keeping count of the tokens held). */
  private setSize(no: number, size: Micros): void {
    const at = no * SLOT + SIZE;
    const old = this.slots[at]!;
    if (old === 0 && size !== 0) this.held++;
    else if (old !== 0 && size === 0) this.held--;
    this.slots[at] = size;
  }

  private remark(tokenId: string, no: number): void {
    // Sizes change only through applyFill and settle, which keep the size slot: a price update of a
    // token not held reads two numbers.
    const slots = this.slots;
    const at = no * SLOT;
    const size = slots[at + SIZE]!;
    const old = slots[at + VALUE]!;
    if (size === 0) {
      if (!Number.isNaN(old)) {
        this.marketValueTotal -= old;
        slots[at + VALUE] = NaN;
        slots[at + MARKED_AT] = NaN;
      }
      return;
    }
    const m = this.markOf(tokenId, no);
    this.setValue(no, m === undefined ? this.positions[no]!.costMicros : notional(size, m), m);
  }

  /** A held token's market value, at mark `m` (undefined: at cost). */
  private setValue(no: number, value: Micros, m: Micros | undefined): void {
    const slots = this.slots;
    const at = no * SLOT;
    const old = slots[at + VALUE]!;
    this.marketValueTotal += value - (Number.isNaN(old) ? 0 : old);
    slots[at + VALUE] = value;
    slots[at + MARKED_AT] = m ?? NaN;
  }

  /** The account's size of a token, from its slot (the same as `total.size`, without a lookup of the position). */
  sizeOf(tokenId: string): Micros {
    const no = this.knownNo(tokenId);
    return no < 0 ? 0 : this.slots[no * SLOT + SIZE]!;
  }

  /** Cash plus open positions at their marks. */
  equityMicros(): Micros {
    return this.total.cashMicros + this.marketValueTotal;
  }

  /** Mark price: resolution payout, else book mid, else the last trade seen. */
  readonly mark = (tokenId: string): Micros | undefined => this.markOf(tokenId, this.knownNo(tokenId));

  /** `no` < 0: a token never seen here (no last price). */
  private markOf(tokenId: string, no: number): Micros | undefined {
    const payout = this.payouts.size > 0 ? this.payouts.get(tokenId) : undefined;
    if (payout !== undefined) return payout;
    const book = this.books.get(tokenId);
    if (book && book.bids.length > 0 && book.asks.length > 0) return book.midMicros();
    const last = no < 0 ? NaN : this.slots[no * SLOT + LAST_PRICE]!;
    return Number.isNaN(last) ? book?.midMicros() : last;
  }

  applyFill(fill: Fill): void {
    this.total.applyFill(fill);
    this.strategy(fill.strategyId).applyFill(fill);
    const no = this.noOf(fill.tokenId);
    const position = (this.positions[no] ??= this.total.position(fill.tokenId)!);
    this.setSize(no, position.sizeMicros);
    this.slots[no * SLOT + LAST_PRICE] = fill.priceMicros;
    this.remark(fill.tokenId, no);
  }

  /** Settles every ledger's holdings of a resolved market. Returns total PnL booked. */
  settle(payouts: Record<string, Micros>): Micros {
    let pnl = 0;
    for (const [tokenId, payout] of Object.entries(payouts)) {
      this.payouts.set(tokenId, payout);
      pnl += this.total.settle(tokenId, payout);
      for (const ledger of this.byStrategy.values()) ledger.settle(tokenId, payout);
      const no = this.noOf(tokenId);
      this.setSize(no, this.total.size(tokenId));
      this.remark(tokenId, no);
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
      positionSize: (tokenId) => portfolio.sizeOf(tokenId),
      marketExposure: (conditionId) => total.costIn(conditionId),
      totalExposure: () => total.costOfOpen(),
      marketsHeld: () => total.marketsHeld(),
      pendingBuys: () => pending.list(),
      pending,
    };
  }
}

/** A numbering of token ids shared by engines in lockstep (SharedFeed): the same number for the same id. */
export interface TokenNumbers {
  tokenNoOf(tokenId: string): number;
}

/** Working BUYs as running totals, and as a list for readers that want one. */
export interface PendingTotalsView extends PendingBuys {
  list(): { conditionId: string; costMicros: Micros }[];
}
