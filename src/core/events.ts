/**
 * Everything that reaches the engine is one of these, told apart by `type`. Events are past tense.
 * `tsEvent` is when it happened at the source, `tsRecv` when we saw it (equal in imported history).
 */
import type { BookLevel, Fill, MarketInfo, Order, Side, SourceName, TargetTrade } from './types.ts';
import type { Micros } from './money.ts';

interface Stamped {
  tsEvent: number;
  tsRecv: number;
}

export interface TargetTradeSeen extends Stamped {
  type: 'target_trade';
  source: SourceName;
  /** Per-source sequence number, for ordering and gap detection. */
  seq: number;
  trade: TargetTrade;
  /**
   * Occurrence number among identical fills (same content key) as counted by the source: the Data API
   * poller numbers byte-identical rows of one page, RTDS identical payloads of one connection. Passed
   * to dedup; absent → dedup counts.
   */
  occurrence?: number;
  /** Set by dedup: content key + occurrence number; the one identity of this fill everywhere. */
  key?: string;
  /**
   * Set by a recording's stream beside `key`: an integer equal for two fills exactly when their keys are equal
   * (the rowid of the key's first row: src/store/key-codes.ts), so dedup can keep the number instead of the string.
   */
  keyCode?: number;
  /**
   * The report totals the target's whole order in the transaction (the chain's event for a taking order),
   * where other sources list the same match per maker fill. Dedup joins the two by size (src/core/tx-coverage.ts).
   */
  orderTotal?: boolean;
  /**
   * Set by dedup: another report of the same transaction had covered part of this one, so only the rest
   * passed on; its key names that rest at its own average price, not a fill any source reported.
   */
  partial?: boolean;
}

export interface BookSnapshotted extends Stamped {
  type: 'book_snapshot';
  tokenId: string;
  conditionId?: string;
  bids: BookLevel[]; // best first
  asks: BookLevel[]; // best first
}

export interface BookLevelChange {
  side: Side; // BUY = bid level, SELL = ask level
  priceMicros: Micros;
  sizeMicros: Micros; // new aggregate size at the level; 0 removes it
}

export interface BookLevelsChanged extends Stamped {
  type: 'book_change';
  tokenId: string;
  changes: BookLevelChange[];
}

/** A print on the tape (any wallet): marks positions and lets resting sim orders fill. */
export interface TradePrinted extends Stamped {
  type: 'trade_print';
  tokenId: string;
  side: Side; // taker side
  priceMicros: Micros;
  sizeMicros: Micros;
}

export interface MarketUpdated extends Stamped {
  type: 'market';
  market: MarketInfo;
}

export interface MarketResolved extends Stamped {
  type: 'market_resolved';
  conditionId: string;
  /** tokenId → payout per share in micros: winner 1_000_000, loser 0, 50/50 500_000. */
  payouts: Record<string, Micros>;
}

export interface TimerFired extends Stamped {
  type: 'timer';
  timerId: string;
  owner: string; // strategy id
}

// Our own orders, as the venue reports them.
export interface OrderAccepted extends Stamped {
  type: 'order_accepted';
  order: Order;
  venueOrderId?: string;
}
export interface OrderRejected extends Stamped {
  type: 'order_rejected';
  order: Order;
  reason: string; // reason code, e.g. 'no_match', 'post_only_cross', 'venue_error'
  message: string;
}
export interface OrderFilled extends Stamped {
  type: 'order_filled';
  order: Order;
  fill: Fill;
}
export interface OrderPartiallyFilled extends Stamped {
  type: 'order_partially_filled';
  order: Order;
  fill: Fill;
}
export interface OrderCancelled extends Stamped {
  type: 'order_cancelled';
  order: Order;
  reason: string;
  /** Shares that never filled. */
  unfilledMicros: Micros;
}
export interface OrderExpired extends Stamped {
  type: 'order_expired';
  order: Order;
  unfilledMicros: Micros;
}

export type OrderEvent = OrderAccepted | OrderRejected | OrderFilled | OrderPartiallyFilled | OrderCancelled | OrderExpired;

export type MarketDataEvent = BookSnapshotted | BookLevelsChanged | TradePrinted | MarketUpdated | MarketResolved;

export type EngineEvent = TargetTradeSeen | MarketDataEvent | TimerFired | OrderEvent;

export type EngineEventType = EngineEvent['type'];
