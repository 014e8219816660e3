/**
 * How the TUI, the CLI and the control API (src/server) see and steer a running engine: a read-only
 * view and a set of commands. None of them touches a venue directly; `polytail attach` runs the TUI
 * on a RemoteEngine that implements both over the API.
 */
import type { Micros } from './money.ts';
import type { CheckResult, EquityPoint } from './ports.ts';
import type { Order, RiskState } from './types.ts';

export type Mode = 'live' | 'paper' | 'replay';

export interface PositionRow {
  tokenId: string;
  conditionId: string;
  outcome: string;
  title?: string;
  sizeMicros: Micros;
  avgPriceMicros: Micros;
  markMicros?: Micros;
  unrealizedMicros: Micros;
  realizedMicros: Micros;
  settled: boolean;
  /** Strategy instances holding it, with their share. */
  holders: { strategyId: string; sizeMicros: Micros; targetWallet?: string; targetSizeMicros?: Micros }[];
}

/** A knob a strategy declares, as a reader sees it: what it does, its value and the range a change must fall in. */
export interface KnobStatus {
  name: string;
  description: string;
  /** Undefined when these params have none in force (a multiplier under fixed sizing). */
  value: number | undefined;
  /** Smallest value accepted (inclusive). */
  min: number;
  /** Largest value accepted (inclusive), when there is one. */
  max?: number;
}

export interface StrategyStatus {
  id: string;
  name: string;
  kind: 'copy' | 'market';
  paused: boolean;
  pausedReason?: string;
  /** Stopped for good at run time (no more actions); its positions and PnL stay. */
  stopped?: boolean;
  wallets: string[];
  /** The `multiplier` knob's value, when the strategy has one in force. */
  multiplier?: number;
  /** Every knob the strategy declares (settings that may change while it runs). */
  knobs: KnobStatus[];
  copies: number;
  skips: number;
  realizedMicros: Micros;
  unrealizedMicros: Micros;
  feesMicros: Micros;
}

export interface FeedHealth {
  source: string;
  connected: boolean;
  lastMessageMs?: number;
  lagMs?: number;
  gaps: number;
  reconnects: number;
  /** Chain feed: the newest block seen (the TUI shows it beside lag and reconnects). */
  headBlock?: number;
  /** Why it last failed (a refused connection, an HTTP status, a close code). */
  lastError?: string;
  /** Nothing to watch yet (no token subscribed): not connected, and not a problem. */
  idle?: boolean;
  /** Set by the session's feed watch: since when it has been disconnected. */
  downSinceMs?: number;
}

/** What the engine has counted since it started. */
export interface EngineStats {
  /** Every event handled except our own order events. */
  events: number;
  /** Trades of followed wallets, after dedup. */
  targetTrades: number;
  /** Target trades dropped as already seen. */
  duplicates: number;
  strategyErrors: number;
}

/**
 * The engine at one moment, as plain data: what the TUI draws, the headless status line prints, the
 * position sync compares and a control API would serve. Taking one is cheap enough to do a few times
 * a second; nothing in it changes afterwards.
 */
export interface EngineSnapshot {
  readonly mode: Mode;
  readonly nowMs: number;
  readonly riskState: RiskState;
  /** Why the risk state is what it is (the halt's message, who paused). */
  readonly riskReason: string;
  readonly equity: EquityPoint;
  /** Equity at the start of today in the risk time zone (the day the daily-loss limit counts). */
  readonly dayStartEquityMicros: Micros;
  readonly peakEquityMicros: Micros;
  readonly startCashMicros: Micros;
  readonly positions: readonly PositionRow[];
  readonly openOrders: readonly Order[];
  readonly strategies: readonly StrategyStatus[];
  /** Each configured limit's current usage (value vs limit). */
  readonly riskUsage: readonly CheckResult[];
  readonly feedHealth: readonly FeedHealth[];
  readonly stats: Readonly<EngineStats>;
}

/** How a reader sees a running engine: snapshots, never the engine's own objects. */
export interface EngineView {
  readonly mode: Mode;
  snapshot(): EngineSnapshot;
}

export interface EngineCommands {
  pauseAll(reason: string): void;
  resumeAll(): void;
  pauseStrategy(id: string, reason: string): void;
  resumeStrategy(id: string): void;
  /** Turns the strategy's `multiplier` knob; returns the value now in force. Throws a RangeError saying why it cannot. */
  setMultiplier(id: string, multiplier: number): number;
  /** Turns any knob the strategy declares; returns the value now in force. Throws a RangeError saying why it cannot. */
  setKnob(id: string, knob: string, value: number): number;
  /** Cancel everything and halt. */
  killSwitch(reason: string): void;
  cancelOrder(clientOrderId: string): void;
  /** Re-read positions from the venue / target (live); a no-op note elsewhere. */
  resync(): void;
}
