/**
 * One running strategy: a definition, its parsed params and an id — the only kind the engine runs.
 * Every handler call is guarded: a throw, or an action the engine could not use (a float price, a
 * missing size), pauses this instance alone and hands back a StrategyError for the engine to alert
 * on; the other instances go on. Runtime changes go through the definition's knobs.
 */
import type { MarketResolved, TargetTradeSeen } from '../core/events.ts';
import { MICROS } from '../core/money.ts';
import type { Fill } from '../core/types.ts';
import { actionProblem } from './action-problem.ts';
import {
  actionsOf,
  type Knob,
  type StrategyAction,
  type StrategyContext,
  type StrategyDefinition,
  type StrategyHandlers,
  type StrategyResult,
} from './api.ts';
import { StrategyError } from './errors.ts';

/** What the engine is given to run: a definition and its parsed params. */
export interface StrategySpec {
  definition: StrategyDefinition;
  /** Already parsed by the definition's schema. */
  params: Record<string, unknown>;
  /** Instance id; defaults to `name@firstWallet` or `name#n`. */
  id?: string;
}

/** What one handler call produced. `error` is set when the call failed and the instance was paused. */
export interface Invocation {
  actions: StrategyAction[];
  error?: StrategyError;
}

/** A knob as a reader sees it: its name, what it does, its value for this instance (undefined = not in force) and its range. */
export interface KnobValue {
  name: string;
  description: string;
  value: number | undefined;
  min: number;
  max?: number;
}

/** A knob's smallest value when it declares none: any positive 6-decimal number. */
const DEFAULT_KNOB_MIN = 1 / MICROS;

type HandlerName = keyof StrategyHandlers;

/** The answer of a paused instance or a handler the strategy does not have (every fill of a copy strategy): shared, nobody changes it. */
const NO_ACTIONS: Invocation = Object.freeze({ actions: Object.freeze([]) as unknown as StrategyAction[] });

export class StrategyInstance {
  readonly handlers: StrategyHandlers;
  /** Lower-cased. */
  readonly wallets: readonly string[];
  readonly tokens: readonly string[];
  private pausedReasonText: string | undefined;
  private stoppedForGood = false;

  readonly definition: StrategyDefinition;
  readonly params: Record<string, unknown>;
  readonly id: string;

  /**
   * The `index`-th instance of a run; the id defaults to `name@<first wallet, 10 chars>` or
   * `name#<index+1>`. Throws StrategyError if subscriptions() or create() throws.
   */
  constructor(spec: StrategySpec, index = 0) {
    this.definition = spec.definition;
    this.params = spec.params;
    const name = spec.definition.name;
    let id = spec.id ?? `${name}#${index + 1}`;
    try {
      const subs = spec.definition.subscriptions?.(spec.params) ?? {};
      this.wallets = (subs.wallets ?? []).map((w) => w.toLowerCase());
      this.tokens = [...(subs.tokens ?? [])];
      if (!spec.id && this.wallets.length > 0) id = `${name}@${this.wallets[0]!.slice(0, 10)}`;
      this.id = id;
      this.handlers = spec.definition.create(spec.params);
    } catch (error) {
      throw new StrategyError(id, 'create', `strategy ${id} failed to start: ${messageOf(error)}`, { cause: error });
    }
  }

  get paused(): boolean {
    return this.pausedReasonText !== undefined;
  }

  get pausedReason(): string | undefined {
    return this.pausedReasonText;
  }

  /** Stopped at run time (`Engine.stopStrategy`): paused for good, and not even fills reach it. */
  get stopped(): boolean {
    return this.stoppedForGood;
  }

  pause(reason: string): void {
    this.pausedReasonText = reason || 'paused';
  }

  /** A stopped instance stays paused. */
  resume(): void {
    if (!this.stoppedForGood) this.pausedReasonText = undefined;
  }

  stop(reason: string): void {
    this.pause(reason);
    this.stoppedForGood = true;
  }

  /** Every knob the definition declares, with its value for these params. */
  knobs(): KnobValue[] {
    return Object.entries(this.definition.knobs ?? {}).map(([name, knob]) => ({
      name,
      description: knob.description,
      value: knob.get(this.params),
      min: knob.min ?? DEFAULT_KNOB_MIN,
      ...(knob.max !== undefined ? { max: knob.max } : {}),
    }));
  }

  knob(name: string): number | undefined {
    return this.definition.knobs?.[name]?.get(this.params);
  }

  /**
   * Turns a knob and returns the value now in force (kept to 6 decimals). Throws a RangeError that
   * says why when the strategy has no such knob, the value is out of range, or these params cannot take it.
   */
  setKnob(name: string, value: number): number {
    const knob: Knob<Record<string, unknown>> | undefined = this.definition.knobs?.[name];
    if (!knob) {
      const names = Object.keys(this.definition.knobs ?? {});
      throw new RangeError(
        `strategy ${this.id} has no ${name} knob${names.length > 0 ? ` (its knobs: ${names.join(', ')})` : ' (it declares no knobs)'}`,
      );
    }
    const rounded = Math.round(value * MICROS) / MICROS;
    const min = knob.min ?? DEFAULT_KNOB_MIN;
    if (!Number.isFinite(value) || rounded < min || (knob.max !== undefined && rounded > knob.max)) {
      const range = knob.max === undefined ? `≥ ${min}` : `in [${min}, ${knob.max}]`;
      throw new RangeError(`strategy ${this.id}: ${name} must be a number ${range}, got ${value}`);
    }
    try {
      knob.set(this.params, rounded);
    } catch (error) {
      throw new RangeError(`strategy ${this.id}: ${messageOf(error)}`, { cause: error });
    }
    return knob.get(this.params) ?? rounded;
  }

  /** Not called while paused (the engine answers the trade with `strategy_paused` itself). */
  onTargetTrade(event: TargetTradeSeen, ctx: StrategyContext): Invocation {
    if (this.paused) return NO_ACTIONS;
    const handler = this.handlers.onTargetTrade;
    if (!handler) return NO_ACTIONS;
    let result: StrategyResult;
    try {
      result = handler(event, ctx);
    } catch (error) {
      return this.threw('onTargetTrade', error);
    }
    return this.usable('onTargetTrade', result);
  }

  onBook(tokenId: string, ctx: StrategyContext): Invocation {
    if (this.paused) return NO_ACTIONS;
    const handler = this.handlers.onBook;
    if (!handler) return NO_ACTIONS;
    let result: StrategyResult;
    try {
      result = handler(tokenId, ctx);
    } catch (error) {
      return this.threw('onBook', error);
    }
    return this.usable('onBook', result);
  }

  /** A timer that fires while paused is dropped. */
  onTimer(tag: string, ctx: StrategyContext): Invocation {
    return this.paused ? NO_ACTIONS : this.invoke('onTimer', () => this.handlers.onTimer?.(tag, ctx));
  }

  onStart(ctx: StrategyContext): Invocation {
    return this.paused ? NO_ACTIONS : this.invoke('onStart', () => this.handlers.onStart?.(ctx));
  }

  /** Still delivered while paused (not once stopped), so the strategy's own state stays true; only its cancels pass then. */
  onFill(fill: Fill, ctx: StrategyContext): Invocation {
    if (this.stoppedForGood) return NO_ACTIONS;
    const handler = this.handlers.onFill;
    if (!handler) return NO_ACTIONS;
    return this.whilePaused(this.invoke('onFill', () => handler(fill, ctx)));
  }

  /** Still delivered while paused, like onFill. */
  onResolution(event: MarketResolved, ctx: StrategyContext): Invocation {
    if (this.stoppedForGood) return NO_ACTIONS;
    return this.whilePaused(this.invoke('onResolution', () => this.handlers.onResolution?.(event, ctx)));
  }

  private whilePaused(result: Invocation): Invocation {
    if (!this.paused || result.error) return result;
    return { actions: result.actions.filter((a) => a.kind === 'cancel') };
  }

  private invoke(handler: HandlerName, call: () => StrategyResult): Invocation {
    let result: StrategyResult;
    try {
      result = call();
    } catch (error) {
      return this.threw(handler, error);
    }
    return this.usable(handler, result);
  }

  private threw(handler: HandlerName, error: unknown): Invocation {
    return this.fail(handler, `threw: ${messageOf(error)}`, error);
  }

  /** The handler's actions, or a failure (the instance pauses) when one of them is unusable. */
  private usable(handler: HandlerName, result: StrategyResult): Invocation {
    const actions = actionsOf(result);
    for (let i = 0; i < actions.length; i++) {
      const problem = actionProblem(actions[i]);
      if (problem) return this.fail(handler, `returned an unusable action: ${problem}`);
    }
    return { actions };
  }

  private fail(handler: HandlerName, what: string, cause?: unknown): Invocation {
    const reason = `${handler} ${what}`;
    this.pause(reason);
    return { actions: [], error: new StrategyError(this.id, handler, `strategy ${this.id} paused: ${reason}`, { cause }) };
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
