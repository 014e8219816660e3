/**
 * The engine's ports: what a mode plugs in. A venue executes orders (SimVenue in paper and replay,
 * the CLOB in live); a listener receives everything the engine decides (the store, the TUI, reports).
 */
import type { EngineEvent, MarketDataEvent, OrderEvent } from './events.ts';
import type { CheckCode, ReasonCode, StrategyReasonCode } from './reason-codes.ts';
import type { Order, RiskState } from './types.ts';

/**
 * Executes orders. Results come back only as OrderEvents through the `emit` callback given to
 * `attach`, synchronously or later; the engine queues them, so a venue may emit from inside `submit`.
 */
export interface Venue {
  readonly name: string;
  attach(emit: (event: OrderEvent) => void): void;
  submit(order: Order): void;
  cancel(clientOrderId: string, reason: string): void;
  cancelAll(reason: string): void;
  /** Every market-data event, after the engine's books are updated (resting sim orders fill here). */
  onMarketData?(event: MarketDataEvent): void;
  /** Orders still working on the venue. */
  openOrders(): Order[];
}

/** One check of a decision, with the numbers behind it (the TUI's "why?" and the reports). */
export interface CheckResult {
  code: CheckCode;
  passed: boolean;
  /** The value checked and the limit it was checked against (micros, counts or ratios ×1e6 where money). */
  value?: number;
  limit?: number;
  message: string;
}

export type DecisionAction = 'copy' | 'skip' | 'deny' | 'order' | 'cancel';

/**
 * Every strategy output and every target trade leaves one of these: a copy that did not happen says
 * why with a reason code, and carries each check that was made.
 */
export interface Decision {
  decisionId: string;
  tsMs: number;
  strategyId: string;
  wallet?: string;
  /** Dedup key of the target trade this answers, if any. */
  causeKey?: string;
  tokenId?: string;
  side?: 'BUY' | 'SELL';
  action: DecisionAction;
  /** Reason code (docs/reasons.md): `approved`, or why not (`below_min_notional`, `max_slippage`, `strategy_paused`, ...). */
  reason: StrategyReasonCode;
  message: string;
  /** Numbers the reason depends on (sizes/prices in micros). */
  details: Record<string, number | string | boolean | null>;
  checks: CheckResult[];
  clientOrderId?: string;
}

export interface Alert {
  tsMs: number;
  level: 'info' | 'warn' | 'critical';
  /** docs/reasons.md, e.g. `halted_daily_loss`, `strategy_error`, `missed_trade`. */
  code: ReasonCode;
  message: string;
  details?: Record<string, number | string | boolean | null>;
}

export interface EquityPoint {
  tsMs: number;
  equityMicros: number;
  cashMicros: number;
  realizedMicros: number;
  unrealizedMicros: number;
  feesMicros: number;
}

/** Receives what the engine does. Every method is optional; listeners must not throw. */
export interface EngineListener {
  onEvent?(event: EngineEvent): void;
  onDecision?(decision: Decision): void;
  onOrderEvent?(event: OrderEvent): void;
  onEquity?(point: EquityPoint): void;
  onAlert?(alert: Alert): void;
  onRiskState?(state: RiskState, reason: string): void;
}
