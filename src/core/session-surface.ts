/**
 * Everything the control server, the metrics, the alerts and the Telegram bot may see of and do to a
 * running session — nothing more. A mode builds one (src/modes/served-session.ts); the server never
 * reaches an engine, a venue or a feed except through it. Here in core so that modes can implement
 * it without knowing the server.
 *
 * What it reads of the engine is `view.snapshot()` (the EngineSnapshot the TUI draws); what it does
 * goes through `commands` (EngineCommands: pause, knobs, kill switch, …). The rest is what only a
 * served session adds: history from the recording, the audit table, limits and targets at run time.
 */
import type { EngineCommands, EngineView, Mode, StrategyStatus } from './control.ts';
import type { Decision, EngineListener, EquityPoint } from './ports.ts';
import type { Fill } from './types.ts';

/** Who may do what over the control API and the Telegram bot, lowest first (src/server/auth/roles.ts). */
export const ROLES = ['metrics', 'viewer', 'trader', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who made a call: recorded with every state-changing action. */
export interface Principal {
  /** Token id (public part of the token) or `telegram:<chat id>`. */
  id: string;
  name: string;
  /** The token's role (a cap: on an account a user's token has the lower of this and the user's grant). */
  role: Role;
  via: 'api' | 'telegram' | 'local';
  /** The user the token belongs to; none for an operator token (`polytail token create` without --user). */
  user?: string;
}

export interface SessionInfo {
  mode: Mode;
  runId: string;
  startedMs: number;
  recordingPath: string;
  version: string;
}

export interface TargetInput {
  wallet: string;
  /** Copy strategy name (default mirror). */
  strategy?: string;
  multiplier?: number;
  label?: string;
}

export interface StrategyInput {
  name: string;
  id?: string;
  params?: Record<string, unknown>;
}

export interface DecisionQuery {
  limit: number;
  strategyId?: string;
  action?: string;
  reason?: string;
}

/** A state-changing call, as recorded in the session's DuckDB. */
export interface ControlAction {
  tsMs: number;
  actor: Principal;
  action: string;
  /** What it acted on: a strategy id, an order id, a wallet. */
  subject?: string;
  params?: Record<string, unknown>;
  outcome: 'ok' | 'failed';
  message: string;
}

export interface SessionSurface {
  readonly info: SessionInfo;
  readonly view: EngineView;
  readonly commands: EngineCommands;
  /** Adds a listener to the engine (events, decisions, orders, equity, alerts, risk state). */
  subscribe(listener: EngineListener): void;
  recentFills(limit: number): Promise<Fill[]>;
  recentDecisions(query: DecisionQuery): Promise<Decision[]>;
  equitySeries(limit: number): Promise<EquityPoint[]>;
  recordAction(action: ControlAction): Promise<void>;
  controlActions(limit: number): Promise<ControlAction[]>;
  /** Account-wide limits in config units (USDC decimals, percents). */
  riskLimits(): Record<string, unknown>;
  /** Changes some limits (null removes one); returns all limits now in force. Throws (or rejects with) a SurfaceError on bad input. */
  updateRiskLimits(patch: Record<string, unknown>): Record<string, unknown> | Promise<Record<string, unknown>>;
  addTarget(input: TargetInput): Promise<StrategyStatus>;
  startStrategy(input: StrategyInput): Promise<StrategyStatus>;
  /** Stops routing to the strategy and cancels its open orders; its positions stay in the books. */
  stopStrategy(id: string): StrategyStatus;
}

/** A request the surface refuses (unknown id, bad value): the API answers 400/404 with this message. */
export class SurfaceError extends Error {
  override name = 'SurfaceError';
  constructor(
    message: string,
    readonly status: 400 | 403 | 404 | 409,
  ) {
    super(message);
  }
}
