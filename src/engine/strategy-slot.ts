/**
 * One running strategy instance inside the engine: its definition, parsed params, handlers, what it
 * listens to, whether it is paused, and its own counters. A handler that throws pauses only its slot.
 */
import type { StrategyDefinition, StrategyHandlers } from '../strategy/api.ts';

export interface StrategySlot {
  id: string;
  definition: StrategyDefinition;
  params: Record<string, unknown>;
  handlers: StrategyHandlers;
  wallets: Set<string>;
  tokens: Set<string>;
  paused: boolean;
  pausedReason?: string;
  /** Stopped at run time: no events reach it any more; its ledger stays in the portfolio. */
  stopped?: boolean;
  copies: number;
  skips: number;
}

export interface StrategySpec {
  definition: StrategyDefinition;
  /** Already parsed by the definition's schema. */
  params: Record<string, unknown>;
  /** Instance id; defaults to `name@firstWallet` or `name#n`. */
  id?: string;
}

export function createSlot(spec: StrategySpec, index: number): StrategySlot {
  const subs = spec.definition.subscriptions?.(spec.params) ?? {};
  const wallets = (subs.wallets ?? []).map((w) => w.toLowerCase());
  const id =
    spec.id ?? (wallets.length > 0 ? `${spec.definition.name}@${wallets[0]!.slice(0, 10)}` : `${spec.definition.name}#${index + 1}`);
  return {
    id,
    definition: spec.definition,
    params: spec.params,
    handlers: spec.definition.create(spec.params),
    wallets: new Set(wallets),
    tokens: new Set(subs.tokens ?? []),
    paused: false,
    copies: 0,
    skips: 0,
  };
}

/** The multiplier a copy strategy sizes with, if it has one (params.sizing.multiplier or params.multiplier). */
export function multiplierOf(slot: StrategySlot): number | undefined {
  const sizing = slot.params['sizing'] as Record<string, unknown> | undefined;
  const m = sizing?.['multiplier'] ?? slot.params['multiplier'];
  return typeof m === 'number' ? m : undefined;
}

/**
 * Changes the multiplier in place (handlers read params at call time). Returns the value now in force,
 * unchanged when the strategy has no multiplier.
 */
export function setMultiplierOf(slot: StrategySlot, multiplier: number): number | undefined {
  const value = Math.max(0.01, Math.round(multiplier * 100) / 100);
  const sizing = slot.params['sizing'] as Record<string, unknown> | undefined;
  if (sizing && typeof sizing['multiplier'] === 'number') sizing['multiplier'] = value;
  else if (typeof slot.params['multiplier'] === 'number') slot.params['multiplier'] = value;
  else return undefined;
  return value;
}
