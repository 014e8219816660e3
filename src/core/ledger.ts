/**
 * One account's book-keeping: cash, positions at average cost, realized PnL and fees, all in micros.
 * Invariant (checked by the property tests): cash = start − cost of open positions + realized − fees.
 *
 * Positions and per-market totals are kept in arrays indexed by a number per token id and per market
 * (condition id), handed out by one numbering per thread (`TOKENS`, `MARKETS`) that remembers the last
 * id it numbered. A sweep drives many engines in lockstep, each with an account and a strategy ledger,
 * and they all book the same event's token one after another: the lookups of all of them cost one Map
 * read and then a string compare each, where a Map per ledger read its table (and compared the long
 * token id) in every one.
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

/**
 * Numbers ids 0, 1, 2… in order of first sight. The last id asked about is kept, so asking again about
 * the same string (the same object, in the engines of one event) is one compare.
 */
export class IdNumbers {
  private readonly numbers = new Map<string, number>();
  private last: string | undefined;
  private lastNo = -1;

  numberOf(id: string): number {
    if (id === this.last) return this.lastNo;
    let no = this.numbers.get(id);
    if (no === undefined) this.numbers.set(id, (no = this.numbers.size));
    this.last = id;
    this.lastNo = no;
    return no;
  }

  /** The id's number, or -1 when it was never numbered (a lookup that numbers nothing). */
  find(id: string): number {
    if (id === this.last) return this.lastNo;
    const no = this.numbers.get(id);
    if (no === undefined) return -1;
    this.last = id;
    this.lastNo = no;
    return no;
  }
}

/**
 * One numbering per thread for all ledgers: engines of a sweep in one worker share them (each worker
 * thread loads its own). Bounded by the tokens and markets a process ever books or asks about.
 */
const TOKENS = new IdNumbers();
const MARKETS = new IdNumbers();

export class Ledger {
  cashMicros: Micros;
  realizedMicros = 0;
  feesMicros = 0;
  /** USDC spent on BUYs over the ledger's life (for scaling comparisons). */
  buyVolumeMicros = 0;
  readonly startCashMicros: Micros;
  /** By token number; a position, once made, is never dropped. */
  private byToken: (Position | undefined)[] = [];
  /** By token number: the market number of its position (of the condition id of its first fill, as `conditionId` says). */
  private marketOfToken: number[] = [];
  /** Every position in the order first booked (what `all()` lists). */
  private readonly list: Position[] = [];
  /** Running totals so risk checks stay O(1) however many positions there are. */
  private openCost = 0;
  /** Per market number: cost of its open positions; NaN while the market is not held. */
  private costByMarket = new Float64Array(0);
  /** Per market number: how many of its tokens we hold (size > 0), so an exit never scans every position. */
  private openTokens = new Int32Array(0);
  /** The markets held (a cost entry), kept as a live set so risk reads it per order without copying. */
  private held = new Set<string>();

  constructor(startCashMicros: Micros) {
    this.cashMicros = startCashMicros;
    this.startCashMicros = startCashMicros;
  }

  position(tokenId: string): Position | undefined {
    const no = TOKENS.find(tokenId);
    return no < 0 ? undefined : this.byToken[no];
  }

  size(tokenId: string): Micros {
    return this.position(tokenId)?.sizeMicros ?? 0;
  }

  avgPrice(tokenId: string): Micros {
    const p = this.position(tokenId);
    return p && p.sizeMicros > 0 ? mulDiv(p.costMicros, 1_000_000, p.sizeMicros) : 0;
  }

  all(): Position[] {
    return [...this.list];
  }

  open(): Position[] {
    return this.list.filter((p) => p.sizeMicros > 0);
  }

  /** Books a fill. A SELL larger than the position is an invariant breach: the engine never lets one through. */
  applyFill(fill: Pick<Fill, 'tokenId' | 'conditionId' | 'side' | 'priceMicros' | 'sizeMicros' | 'feeMicros'>): Micros {
    const no = TOKENS.numberOf(fill.tokenId);
    const pos = this.byToken[no] ?? this.create(no, fill.tokenId, fill.conditionId);
    const market = this.marketOfToken[no]!;
    const value = notional(fill.sizeMicros, fill.priceMicros);
    this.feesMicros += fill.feeMicros;
    pos.feesMicros += fill.feeMicros;
    if (fill.side === 'BUY') {
      this.cashMicros -= value + fill.feeMicros;
      this.buyVolumeMicros += value;
      this.resize(pos, market, pos.sizeMicros + fill.sizeMicros);
      this.addCost(pos, market, value);
      return 0;
    }
    if (fill.sizeMicros > pos.sizeMicros) {
      throw new InvariantError(`SELL of ${fill.sizeMicros} exceeds holdings ${pos.sizeMicros} in ${fill.tokenId}`);
    }
    const costOut = fill.sizeMicros === pos.sizeMicros ? pos.costMicros : mulDiv(pos.costMicros, fill.sizeMicros, pos.sizeMicros);
    const pnl = value - costOut;
    this.cashMicros += value - fill.feeMicros;
    this.resize(pos, market, pos.sizeMicros - fill.sizeMicros);
    this.addCost(pos, market, -costOut);
    pos.realizedMicros += pnl;
    this.realizedMicros += pnl;
    pos.closedPnls.push(pnl);
    return pnl;
  }

  /** Pays out a resolved token: `payoutMicros` per share (1e6 winner, 0 loser, 5e5 for 50/50). */
  settle(tokenId: string, payoutMicros: Micros): Micros {
    const no = TOKENS.find(tokenId);
    const pos = no < 0 ? undefined : this.byToken[no];
    if (!pos || pos.settled) return 0;
    const market = this.marketOfToken[no]!;
    const proceeds = notional(pos.sizeMicros, payoutMicros);
    const pnl = proceeds - pos.costMicros;
    this.cashMicros += proceeds;
    pos.realizedMicros += pnl;
    pos.settledPnlMicros += pnl;
    this.realizedMicros += pnl;
    if (pos.sizeMicros > 0) pos.closedPnls.push(pnl);
    this.resize(pos, market, 0);
    this.addCost(pos, market, -pos.costMicros);
    pos.settled = true;
    return pnl;
  }

  /** Market value of open positions at the given marks (average cost where there is no mark). */
  marketValue(mark: (tokenId: string) => Micros | undefined): Micros {
    let total = 0;
    for (const p of this.list) {
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
    const no = MARKETS.find(conditionId);
    if (no < 0 || no >= this.costByMarket.length) return 0;
    const cost = this.costByMarket[no]!;
    return Number.isNaN(cost) ? 0 : cost;
  }

  /** Markets (condition ids) where we hold a position: a live view, O(1); copy it to keep a snapshot. */
  marketsHeld(): ReadonlySet<string> {
    return this.held;
  }

  private addCost(pos: Position, market: number, delta: Micros): void {
    pos.costMicros += delta;
    this.openCost += delta;
    const before = this.costByMarket[market]!;
    const next = (Number.isNaN(before) ? 0 : before) + delta;
    // A position can be open at zero cost (bought at a price that rounds to 0): keep it while size > 0.
    if (next === 0 && this.openTokens[market]! <= 0) {
      this.costByMarket[market] = NaN;
      this.held.delete(pos.conditionId);
    } else {
      this.costByMarket[market] = next;
      // `held` has the markets with a cost entry: a market already there is in it.
      if (Number.isNaN(before)) this.held.add(pos.conditionId);
    }
  }

  /** Every change of a position's size goes through here, keeping `openTokens` true. */
  private resize(pos: Position, market: number, sizeMicros: Micros): void {
    const was = pos.sizeMicros > 0;
    pos.sizeMicros = sizeMicros;
    const is = sizeMicros > 0;
    if (was !== is) this.openTokens[market] = this.openTokens[market]! + (is ? 1 : -1);
  }

  unrealized(mark: (tokenId: string) => Micros | undefined): Micros {
    return this.marketValue(mark) - this.costOfOpen();
  }

  equity(mark: (tokenId: string) => Micros | undefined): Micros {
    return this.cashMicros + this.marketValue(mark);
  }

  /** The position of token number `no`, booked for the first time. */
  private create(no: number, tokenId: string, conditionId: string): Position {
    const pos: Position = {
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
    this.byToken[no] = pos;
    this.list.push(pos);
    const market = MARKETS.numberOf(conditionId);
    if (market >= this.costByMarket.length) this.growMarkets(market);
    this.marketOfToken[no] = market;
    return pos;
  }

  /** Room for market numbers up to `market` (doubling): cost NaN (not held), no open tokens. */
  private growMarkets(market: number): void {
    let n = Math.max(16, this.costByMarket.length * 2);
    while (n <= market) n *= 2;
    const cost = new Float64Array(n).fill(NaN);
    cost.set(this.costByMarket);
    const open = new Int32Array(n);
    open.set(this.openTokens);
    this.costByMarket = cost;
    this.openTokens = open;
  }
}
