/** The contract between the engine and risk checks. */
import type { Micros } from '../core/money.ts';
import type { OrderBook } from '../core/order-book.ts';
import type { CheckResult } from '../core/ports.ts';
import type { ReasonCode } from '../core/reason-codes.ts';
import type { MarketInfo, Order, RiskState } from '../core/types.ts';

/** Every limit is optional; an unset limit is not checked (and not listed in the checks). */
export interface RiskLimits {
  minOrderUsdcMicros?: Micros;
  maxOrderUsdcMicros?: Micros;
  /** Max adverse distance of our limit price from the target's price, in basis points of that price. */
  maxSlippageBps?: number;
  maxPositionPerMarketUsdcMicros?: Micros;
  maxTotalExposureUsdcMicros?: Micros;
  maxMarkets?: number;
  maxDailyTrades?: number;
  /** Max USDC of BUY orders sent per day (their cost when sent; a cancel does not give it back). */
  maxDailyUsdcMicros?: Micros;
  maxDailyLossUsdcMicros?: Micros;
  /** Max drawdown from the equity peak, in percent (e.g. 20 = 20%). */
  maxDrawdownPct?: number;
  /** Cash must cover cost × this factor (1.05 = keep a 5% reserve). Default 1.05 when set to true. */
  balanceReserveFactor?: number;
  allowMarkets?: string[]; // condition ids or slugs
  blockMarkets?: string[];
  allowTokens?: string[];
  blockTokens?: string[];
  /** false = refuse negative-risk markets. */
  allowNegRisk?: boolean;
  /** Minimum USDC resting within 5% of mid on the side we take. */
  minLiquidityUsdcMicros?: Micros;
  maxSpreadMicros?: Micros;
  /** IANA time zone whose midnight rolls the daily counters over. Default UTC. */
  dailyResetTimeZone?: string;
}

/** What risk may know about our account. */
export interface AccountView {
  cashMicros: Micros;
  equityMicros: Micros;
  /** Our position (shares) in a token. */
  positionSize(tokenId: string): Micros;
  /** Cost of our open positions in a market (condition id), marked at average price. */
  marketExposure(conditionId: string): Micros;
  totalExposure(): Micros;
  /**
   * Condition ids where we hold something. May be a live view of the account (risk reads it once per
   * order, so implementations should not copy): callers must not keep it past the check or change it.
   */
  marketsHeld(): ReadonlySet<string>;
  /**
   * Optional: BUY orders sent but not yet filled (the unfilled cost of each, in USDC micros). When
   * given, risk counts them toward exposure, per-market position and the markets count, so a burst of
   * orders sent before any fill cannot overshoot those limits.
   */
  pendingBuys?(): PendingBuy[];
  /**
   * Optional, preferred over `pendingBuys`: running totals of the same unfilled BUYs, so a check
   * costs O(1) however many orders are working.
   */
  pending?: PendingBuys;
}

/** Unfilled cost of working BUY orders, kept as running totals. */
export interface PendingBuys {
  readonly totalMicros: Micros;
  /** Unfilled cost of working BUYs in one market (condition id). */
  inMarket(conditionId: string): Micros;
  /** Markets (condition ids) with a BUY working. */
  markets(): Iterable<string>;
}

/** The part of a working BUY order that has not filled yet. */
export interface PendingBuy {
  conditionId: string;
  costMicros: Micros;
}

export interface RiskInput {
  order: Order;
  market: MarketInfo;
  book?: OrderBook;
  account: AccountView;
  nowMs: number;
}

/** One risk check: its code is unscoped (the engine scopes a strategy budget's checks as `strategy.<code>`). */
export interface RiskCheck extends CheckResult {
  code: ReasonCode;
}

export interface RiskVerdict {
  readonly approved: boolean;
  /** `approved`, or the code of the first failed check. */
  readonly reason: ReasonCode;
  /** The failed check's message, or how many checks passed. */
  readonly message: string;
  readonly checks: RiskCheck[];
}

export interface RiskStateChange {
  state: RiskState;
  reason: string;
}
