/**
 * One running strategy: a definition, its parsed params and an id. Every handler call is guarded: a
 * throw, or an action the engine could not use, pauses this instance alone and hands back a
 * StrategyError for the engine to alert on; the other instances go on.
 */
import type { MarketResolved, TargetTradeSeen } from '../core/events.ts';
import { MICROS } from '../core/money.ts';
import type { Fill } from '../core/types.ts';
import { actionsOf, type StrategyAction, type StrategyContext, type StrategyDefinition, type StrategyHandlers } from './api.ts';
import { StrategyError } from './errors.ts';
import { parseStrategyParams } from './loader.ts';

/** What one handler call produced. `error` is set when the call failed and the instance was paused. */
export interface Invocation {
  actions: StrategyAction[];
  error?: StrategyError;
}

type HandlerName = keyof StrategyHandlers;

export class StrategyInstance {
  readonly handlers: StrategyHandlers;
  readonly wallets: string[];
  readonly tokens: string[];
  private pausedReasonText: string | undefined;

  /** `params` must already be parsed (see `StrategyInstance.fromRaw`). Throws StrategyError if create() throws. */
  constructor(
    readonly definition: StrategyDefinition,
    readonly params: Record<string, unknown>,
    readonly id: string,
  ) {
    try {
      const subs = definition.subscriptions?.(params) ?? {};
      this.wallets = (subs.wallets ?? []).map((w) => w.toLowerCase());
      this.tokens = [...(subs.tokens ?? [])];
      this.handlers = definition.create(params);
    } catch (error) {
      throw new StrategyError(id, 'create', `strategy ${id} failed to start: ${messageOf(error)}`, { cause: error });
    }
  }

  /** Parses raw params with the definition's schema, then creates the instance. */
  static fromRaw(definition: StrategyDefinition, rawParams: unknown, id: string): StrategyInstance {
    return new StrategyInstance(definition, parseStrategyParams(definition, rawParams) as Record<string, unknown>, id);
  }

  get paused(): boolean {
    return this.pausedReasonText !== undefined;
  }

  get pausedReason(): string | undefined {
    return this.pausedReasonText;
  }

  pause(reason: string): void {
    this.pausedReasonText = reason || 'paused';
  }

  resume(): void {
    this.pausedReasonText = undefined;
  }

  /** The multiplier the TUI's +/- moves: `sizing.multiplier`, tiers' `sizing.scale`, or a top-level `multiplier`. */
  get multiplier(): number | undefined {
    const slot = this.multiplierSlot();
    return slot ? (slot.holder[slot.key] as number) : undefined;
  }

  /**
   * Sets the multiplier in place (built-in handlers read params at call time) and returns the value now
   * in force. Throws when this strategy's sizing has no multiplier (fixed or percent).
   */
  setMultiplier(multiplier: number): number {
    if (!Number.isFinite(multiplier) || multiplier <= 0) throw new RangeError(`multiplier must be a number > 0, got ${multiplier}`);
    const slot = this.multiplierSlot();
    if (!slot) {
      const mode = (this.params['sizing'] as { mode?: string } | undefined)?.mode;
      throw new RangeError(
        `strategy ${this.id} sizes by ${mode ?? 'its own rule'}; a multiplier applies only to multiplier or tiers sizing`,
      );
    }
    // Kept to 6 decimals like every other quantity, so the value shown is the value used.
    const value = Math.max(1 / MICROS, Math.round(multiplier * MICROS) / MICROS);
    slot.holder[slot.key] = value;
    return value;
  }

  onTargetTrade(event: TargetTradeSeen, ctx: StrategyContext): Invocation {
    if (this.paused) {
      return {
        actions: [{ kind: 'skip', reason: 'strategy_paused', message: `strategy ${this.id} is paused: ${this.pausedReason}`, details: {} }],
      };
    }
    const result = this.invoke('onTargetTrade', () => this.handlers.onTargetTrade?.(event, ctx));
    if (result.error) {
      const skip: StrategyAction = { kind: 'skip', reason: 'strategy_error', message: result.error.message, details: {} };
      return { actions: [skip], error: result.error };
    }
    return result;
  }

  onBook(tokenId: string, ctx: StrategyContext): Invocation {
    return this.paused ? { actions: [] } : this.invoke('onBook', () => this.handlers.onBook?.(tokenId, ctx));
  }

  onTimer(tag: string, ctx: StrategyContext): Invocation {
    return this.paused ? { actions: [] } : this.invoke('onTimer', () => this.handlers.onTimer?.(tag, ctx));
  }

  onStart(ctx: StrategyContext): Invocation {
    return this.paused ? { actions: [] } : this.invoke('onStart', () => this.handlers.onStart?.(ctx));
  }

  /** Still delivered while paused, so the strategy's own state stays true; only its cancels pass then. */
  onFill(fill: Fill, ctx: StrategyContext): Invocation {
    return this.whilePaused(this.invoke('onFill', () => this.handlers.onFill?.(fill, ctx)));
  }

  onResolution(event: MarketResolved, ctx: StrategyContext): Invocation {
    return this.whilePaused(this.invoke('onResolution', () => this.handlers.onResolution?.(event, ctx)));
  }

  private whilePaused(result: Invocation): Invocation {
    if (!this.paused || result.error) return result;
    return { actions: result.actions.filter((a) => a.kind === 'cancel') };
  }

  private invoke(handler: HandlerName, call: () => ReturnType<NonNullable<StrategyHandlers[HandlerName]>>): Invocation {
    let actions: StrategyAction[];
    try {
      actions = actionsOf(call());
    } catch (error) {
      return this.fail(handler, `threw: ${messageOf(error)}`, error);
    }
    for (const action of actions) {
      const problem = actionProblem(action);
      if (problem) return this.fail(handler, `returned an unusable action: ${problem}`);
    }
    return { actions };
  }

  private fail(handler: HandlerName, what: string, cause?: unknown): Invocation {
    const reason = `${handler} ${what}`;
    this.pause(reason);
    return { actions: [], error: new StrategyError(this.id, handler, `strategy ${this.id} paused: ${reason}`, { cause }) };
  }

  private multiplierSlot(): { holder: Record<string, unknown>; key: string } | undefined {
    const sizing = this.params['sizing'] as Record<string, unknown> | undefined;
    if (sizing?.['mode'] === 'multiplier' && typeof sizing['multiplier'] === 'number') return { holder: sizing, key: 'multiplier' };
    if (sizing?.['mode'] === 'tiers') {
      if (typeof sizing['scale'] !== 'number') sizing['scale'] = 1;
      return { holder: sizing, key: 'scale' };
    }
    if (typeof this.params['multiplier'] === 'number') return { holder: this.params, key: 'multiplier' };
    return undefined;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const isMicros = (v: unknown): boolean => typeof v === 'number' && Number.isSafeInteger(v);

/** Why an action cannot be used (float sizes, prices outside (0, 1), missing fields), or undefined. */
export function actionProblem(action: unknown): string | undefined {
  const a = action as Partial<StrategyAction> | null;
  if (!a || typeof a !== 'object') return `expected an action object, got ${String(action)}`;
  if (a.kind === 'skip') return typeof a.reason === 'string' && a.reason ? undefined : 'skip without a reason code';
  if (a.kind === 'cancel') return typeof a.clientOrderId === 'string' ? undefined : 'cancel without clientOrderId';
  if (a.kind !== 'order') return `unknown action kind ${JSON.stringify((a as { kind?: unknown }).kind)}`;
  const i = a.intent;
  if (!i || typeof i.tokenId !== 'string' || i.tokenId === '') return 'order without tokenId';
  if (i.side !== 'BUY' && i.side !== 'SELL') return `order side must be BUY or SELL, got ${JSON.stringify(i.side)}`;
  if (!['FOK', 'FAK', 'GTC', 'GTD'].includes(i.type)) return `order type must be FOK, FAK, GTC or GTD, got ${JSON.stringify(i.type)}`;
  if (!isMicros(i.limitPriceMicros) || i.limitPriceMicros <= 0 || i.limitPriceMicros >= MICROS) {
    return `limitPriceMicros must be an integer in (0, 1000000), got ${i.limitPriceMicros}`;
  }
  const hasSize = i.sizeMicros !== undefined;
  const hasAmount = i.amountMicros !== undefined;
  if (!hasSize && !hasAmount) return 'order needs sizeMicros (shares) or amountMicros (USDC)';
  for (const [k, v] of [
    ['sizeMicros', i.sizeMicros],
    ['amountMicros', i.amountMicros],
  ] as const) {
    if (v !== undefined && (!isMicros(v) || v <= 0)) return `${k} must be a positive integer of micro-units, got ${v}`;
  }
  return undefined;
}
