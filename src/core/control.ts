/**
 * How the TUI and the CLI see and steer a running engine: a read-only view and a set of commands.
 * They never touch a venue directly.
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

export interface StrategyStatus {
  id: string;
  name: string;
  kind: 'copy' | 'market';
  paused: boolean;
  pausedReason?: string;
  wallets: string[];
  multiplier?: number;
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
  /** Why it last failed (a refused connection, an HTTP status, a close code). */
  lastError?: string;
  /** Nothing to watch yet (no token subscribed): not connected, and not a problem. */
  idle?: boolean;
  /** Set by the session's feed watch: since when it has been disconnected. */
  downSinceMs?: number;
}

export interface EngineView {
  readonly mode: Mode;
  nowMs(): number;
  riskState(): RiskState;
  equity(): EquityPoint;
  /** Start-of-day equity, for today's PnL. */
  dayStartEquityMicros(): Micros;
  peakEquityMicros(): Micros;
  positions(): PositionRow[];
  openOrders(): Order[];
  strategies(): StrategyStatus[];
  /** Each configured limit's current usage (value vs limit). */
  riskUsage(): CheckResult[];
  feedHealth(): FeedHealth[];
}

export interface EngineCommands {
  pauseAll(reason: string): void;
  resumeAll(): void;
  pauseStrategy(id: string, reason: string): void;
  resumeStrategy(id: string): void;
  /** Returns the new multiplier. */
  setMultiplier(id: string, multiplier: number): number;
  /** Cancel everything and halt. */
  killSwitch(reason: string): void;
  cancelOrder(clientOrderId: string): void;
  /** Re-read positions from the venue / target (live); a no-op note elsewhere. */
  resync(): void;
}
