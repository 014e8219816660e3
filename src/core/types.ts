/**
 * Domain types shared by every part of polytail. All amounts are integer micro-units
 * (see money.ts): `priceMicros` 0..1_000_000, `sizeMicros` shares × 1e6, USDC × 1e6.
 */
import type { TradeCause } from './cause.ts';
import type { Text } from './lazy-text.ts';
import type { Micros } from './money.ts';

export type Side = 'BUY' | 'SELL';

/**
 * Where a target trade was seen: a live feed (RTDS, the Data API poll, the exchanges' OrderFilled logs on
 * chain), or an imported file (`import:<file name>`). Dedup counts occurrences per source.
 */
export type SourceName = 'rtds' | 'data-api' | 'chain' | `import:${string}`;

export function isSourceName(value: string): value is SourceName {
  return value === 'rtds' || value === 'data-api' || value === 'chain' || value.startsWith('import:');
}

/** One fill of a watched wallet, normalized from RTDS, the Data API or a recording. */
export interface TargetTrade {
  wallet: string; // lower-case 0x address (the proxy wallet)
  txHash: string;
  tokenId: string;
  conditionId: string;
  side: Side;
  sizeMicros: Micros; // shares
  priceMicros: Micros;
  usdcMicros: Micros; // size × price as reported (or computed)
  outcome: string;
  outcomeIndex?: number;
  slug?: string;
  eventSlug?: string;
  title?: string;
}

export interface BookLevel {
  priceMicros: Micros;
  sizeMicros: Micros;
}

export interface TokenInfo {
  tokenId: string;
  outcome: string;
}

/** What the engine needs to know about a market to trade it. */
export interface MarketInfo {
  conditionId: string;
  slug?: string;
  question?: string;
  tokens: TokenInfo[]; // usually two: index 0 and 1 are the complementary outcomes
  negRisk: boolean;
  tickMicros: Micros; // 10_000 = 0.01
  minOrderSizeMicros: Micros; // min shares for limit orders, e.g. 5_000_000
  endMs?: number;
  /** Taker fee: fee = C · rate · (p · (1 − p))^exponent for C shares (CLOB V2 `fd`). 0 when fee-free. */
  feeRate?: number;
  feeExponent?: number;
  closed?: boolean;
}

/** Order types as on the CLOB. FOK/FAK are market (taker) orders; GTC/GTD rest on the book. */
export type OrderType = 'FOK' | 'FAK' | 'GTC' | 'GTD';

/**
 * What a strategy wants. Market BUYs are sized in USDC (`amountMicros`), everything else in shares
 * (`sizeMicros`); order shaping turns either into an exchange-valid order.
 */
export interface OrderIntent {
  tokenId: string;
  side: Side;
  type: OrderType;
  /** Worst price we accept (BUY: max, SELL: min). For market orders it is the slippage guard. */
  limitPriceMicros: Micros;
  sizeMicros?: Micros;
  amountMicros?: Micros;
  postOnly?: boolean;
  expiresAtMs?: number;
  /** Free text for logs/TUI: why the strategy wants this (a string, or lazy text rendered when shown). */
  note?: Text;
  /**
   * The target trade this copies, if any: `cause: event` (the handler's event) names it by its dedup key,
   * read only when something shows or stores the decision (in a replay, decoding every copy's key cost about a
   * tenth of the run). `causeKey` names it by key text and wins when both are set.
   */
  cause?: TradeCause;
  causeKey?: string;
  /** Target's own price, for the slippage check. */
  referencePriceMicros?: Micros;
  /** Reduce-only orders may only shrink a position. */
  reduceOnly?: boolean;
}

/** An order after shaping and approval, as sent to a venue. `causeKey` may be a getter that reads the cause's key when first asked (src/engine/recorded-cause-order.ts). */
export interface Order {
  clientOrderId: string;
  strategyId: string;
  tokenId: string;
  conditionId: string;
  side: Side;
  type: OrderType;
  priceMicros: Micros; // limit / worst price
  sizeMicros: Micros; // shares (for market BUY: the estimate at priceMicros)
  amountMicros?: Micros; // market BUY: USDC to spend
  postOnly: boolean;
  expiresAtMs?: number;
  createdMs: number;
  causeKey?: string;
  referencePriceMicros?: Micros;
  salt: number;
}

export type OrderStatus = 'pending' | 'open' | 'partial' | 'filled' | 'cancelled' | 'expired' | 'rejected';

export interface Fill {
  fillId: string;
  clientOrderId: string;
  strategyId: string;
  tokenId: string;
  conditionId: string;
  side: Side;
  priceMicros: Micros;
  sizeMicros: Micros;
  feeMicros: Micros; // USDC
  liquidity: 'maker' | 'taker';
  tsMs: number;
  venueTradeId?: string;
}

/** Risk states, from most to least permissive. */
export type RiskState = 'active' | 'paused' | 'reduce-only' | 'halted';
