/**
 * The control API's wire contract, shared by the server and the remote client (`polytail attach`):
 * the view snapshot, the WebSocket stream's messages and the request bodies (zod). Money stays in
 * integer micros on the wire, like everywhere else in polytail.
 */
import { z } from 'zod';
import type { EngineView, FeedHealth, Mode, PositionRow, StrategyStatus } from '../../core/control.ts';
import type { MarketResolved, MarketUpdated, OrderEvent, TargetTradeSeen } from '../../core/events.ts';
import type { Alert, CheckResult, Decision, EquityPoint } from '../../core/ports.ts';
import type { Fill, Order, RiskState } from '../../core/types.ts';
import type { Role } from '../auth/roles.ts';
import type { SessionInfo } from '../../core/session-surface.ts';

/** Everything EngineView answers, at one instant. */
export interface ViewSnapshot {
  mode: Mode;
  nowMs: number;
  riskState: RiskState;
  equity: EquityPoint;
  dayStartEquityMicros: number;
  peakEquityMicros: number;
  positions: PositionRow[];
  openOrders: Order[];
  strategies: StrategyStatus[];
  riskUsage: CheckResult[];
  feedHealth: FeedHealth[];
}

export function viewSnapshot(view: EngineView): ViewSnapshot {
  return {
    mode: view.mode,
    nowMs: view.nowMs(),
    riskState: view.riskState(),
    equity: view.equity(),
    dayStartEquityMicros: view.dayStartEquityMicros(),
    peakEquityMicros: view.peakEquityMicros(),
    positions: view.positions(),
    openOrders: view.openOrders(),
    strategies: view.strategies(),
    riskUsage: view.riskUsage(),
    feedHealth: view.feedHealth(),
  };
}

/** Engine events the stream carries (book updates stay on the server: too many, and only the view needs them). */
export type StreamedEvent = TargetTradeSeen | MarketUpdated | MarketResolved;

export type StreamMessage =
  | { type: 'hello'; session: SessionInfo; principal: { name: string; role: Role }; view: ViewSnapshot }
  | { type: 'event'; event: StreamedEvent }
  | { type: 'decision'; decision: Decision }
  | { type: 'order'; event: OrderEvent }
  | { type: 'fill'; fill: Fill }
  | { type: 'equity'; point: EquityPoint }
  | { type: 'alert'; alert: Alert }
  | { type: 'risk'; state: RiskState; reason: string }
  | { type: 'feeds'; feeds: FeedHealth[] }
  /** The recent history sent on connect has been replayed; what follows is live. */
  | { type: 'backlog_end'; dropped: number }
  | { type: 'view'; view: ViewSnapshot };

const reason = z.string().trim().min(1).max(200);
const wallet = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/, 'expected a 0x-prefixed 40-hex-digit wallet address')
  .transform((w) => w.toLowerCase());

export const bodies = {
  reason: z.object({ reason: reason.optional() }).strict(),
  multiplier: z.object({ multiplier: z.number().positive().max(100) }).strict(),
  target: z
    .object({
      wallet,
      strategy: z.string().min(1).max(200).optional(),
      multiplier: z.number().positive().max(100).optional(),
      label: z
        .string()
        .regex(/^[\w.-]{1,40}$/, 'letters, digits, _ . - (at most 40)')
        .optional(),
    })
    .strict(),
  strategy: z
    .object({
      name: z.string().min(1).max(200),
      id: z
        .string()
        .regex(/^[\w.#@:-]{1,80}$/)
        .optional(),
      params: z.record(z.string(), z.unknown()).optional(),
    })
    .strict(),
  values: z.record(z.string(), z.unknown()),
};

export const queries = {
  limit: z.object({ limit: z.coerce.number().int().min(1).max(5000).default(200) }).strict(),
  decisions: z
    .object({
      limit: z.coerce.number().int().min(1).max(5000).default(200),
      strategy: z.string().max(200).optional(),
      action: z.enum(['copy', 'skip', 'deny', 'order', 'cancel']).optional(),
      reason: z.string().max(100).optional(),
    })
    .strict(),
};

export const idParams = z.object({ id: z.string().min(1).max(200) }).strict();
