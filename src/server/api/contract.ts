/**
 * The control API's wire contract, shared by the server and the remote client (`polytail attach`):
 * the WebSocket stream's messages (the engine's view is its EngineSnapshot, as the TUI reads it
 * locally) and the request bodies (zod). Money stays in integer micros on the wire, like everywhere
 * else in polytail.
 */
import { z } from 'zod';
import type { EngineSnapshot, FeedHealth } from '../../core/control.ts';
import type { MarketResolved, MarketUpdated, OrderEvent, TargetTradeSeen } from '../../core/events.ts';
import type { Alert, Decision, EquityPoint } from '../../core/ports.ts';
import type { Fill, RiskState } from '../../core/types.ts';
import { MAX_RUNTIME_MULTIPLIER } from '../../strategy/copy-knobs.ts';
import type { Role } from '../auth/roles.ts';
import type { SessionInfo } from '../../core/session-surface.ts';

/** Engine events the stream carries (book updates stay on the server: too many, and only the view needs them). */
export type StreamedEvent = TargetTradeSeen | MarketUpdated | MarketResolved;

export type StreamMessage =
  | { type: 'hello'; session: SessionInfo; principal: { name: string; role: Role }; view: EngineSnapshot }
  | { type: 'event'; event: StreamedEvent }
  | { type: 'decision'; decision: Decision }
  | { type: 'order'; event: OrderEvent }
  | { type: 'fill'; fill: Fill }
  | { type: 'equity'; point: EquityPoint }
  | { type: 'alert'; alert: Alert }
  | { type: 'risk'; state: RiskState; reason: string }
  | { type: 'feeds'; feeds: readonly FeedHealth[] }
  /** The recent history sent on connect has been replayed; what follows is live. */
  | { type: 'backlog_end'; dropped: number }
  | { type: 'view'; view: EngineSnapshot };

const reason = z.string().trim().min(1).max(200);
const wallet = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/, 'expected a 0x-prefixed 40-hex-digit wallet address')
  .transform((w) => w.toLowerCase());

export const bodies = {
  reason: z.object({ reason: reason.optional() }).strict(),
  /** Bounds are the strategy's knob's own (GET /api/strategies/:id/knobs): it refuses with the reason. */
  multiplier: z.object({ multiplier: z.number() }).strict(),
  target: z
    .object({
      wallet,
      strategy: z.string().min(1).max(200).optional(),
      multiplier: z.number().positive().max(MAX_RUNTIME_MULTIPLIER).optional(),
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
  /** Limits in config units; null removes one. */
  values: z.record(z.string(), z.unknown()),
  /** Knob name → value, e.g. { "multiplier": 2 }. */
  knobs: z.record(z.string(), z.number()).refine((v) => Object.keys(v).length > 0, 'give at least one knob, e.g. { "multiplier": 2 }'),
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
