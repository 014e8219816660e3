/**
 * The strategy API. A strategy is a file that default-exports `defineStrategy({...})`: a name, a
 * zod schema for its parameters, and a `create` that returns event handlers. Copy strategies (answer a
 * target's trades) and market strategies (answer books and timers) use the same API, run in the same
 * engine, and are replayed, paper-traded and traded live unchanged.
 *
 * Handlers return actions instead of calling the venue: the engine shapes each order to the
 * exchange's rules, runs risk checks, and records a decision for every action, so "why didn't it
 * copy that?" always has an answer. A handler that throws pauses its strategy only.
 */
import type { z } from 'zod';
import type { Clock } from '../core/clock.ts';
import type { Text } from '../core/lazy-text.ts';
import type { MarketResolved, TargetTradeSeen } from '../core/events.ts';
import type { Micros } from '../core/money.ts';
import type { StrategyReasonCode } from '../core/reason-codes.ts';
import type { BookView } from '../core/order-book.ts';
import type { Fill, MarketInfo, Order, OrderIntent } from '../core/types.ts';

/** Ask the engine to place an order. */
export interface PlaceOrder {
  kind: 'order';
  intent: OrderIntent;
}

/** Decline to act on a target trade, with a reason code and the numbers behind it. */
export interface Skip {
  kind: 'skip';
  /** A code from docs/reasons.md, or `custom:<your-code>`. */
  reason: StrategyReasonCode;
  /** Why, in words: a string, or `lazy(render, …)` text made only when a decision is shown or stored. */
  message: Text;
  details?: Record<string, number | string | boolean | null>;
}

/** Cancel one of this strategy's working orders. */
export interface CancelOrder {
  kind: 'cancel';
  clientOrderId: string;
  /** A code from docs/reasons.md, or `custom:<your-code>`. */
  reason: StrategyReasonCode;
}

export type StrategyAction = PlaceOrder | Skip | CancelOrder;

/** What handlers return: nothing, one action, or several. */
export type StrategyResult = void | StrategyAction | StrategyAction[];

/** A position as the strategy sees it (this strategy's own share of our holdings). */
export interface PositionView {
  tokenId: string;
  sizeMicros: Micros;
  avgPriceMicros: Micros;
}

/** Read-only view of the world plus timers, handed to every callback. */
export interface StrategyContext {
  /** The instance id, e.g. `mirror@0x05c1…` or `taker-wave#1`. */
  readonly id: string;
  readonly clock: Clock;
  /** Deterministic randomness (seeded per run). */
  random(): number;
  market(tokenOrConditionId: string): MarketInfo | undefined;
  /** The other outcome's token in a binary market. */
  oppositeToken(tokenId: string): string | undefined;
  /** A read-only view of the token's book (frozen levels; the engine's book cannot be changed through it). */
  book(tokenId: string): BookView | undefined;
  /** This strategy's position in a token (0 size when flat). */
  position(tokenId: string): PositionView;
  /** All of this strategy's non-zero positions. */
  positions(): PositionView[];
  /** The target wallet's position in a token as we have tracked it (seeded from /positions). */
  targetPosition(wallet: string, tokenId: string): Micros;
  /** The target wallet's portfolio value if known (for proportional sizing). */
  targetPortfolioValue(wallet: string): Micros | undefined;
  /** Our whole account's equity (cash + marked positions) and free cash. */
  equityMicros(): Micros;
  cashMicros(): Micros;
  /** This strategy's working orders. */
  openOrders(): Order[];
  /** Fires `onTimer(tag)` at `atMs`. Returns a cancel function. */
  setTimer(atMs: number, tag: string): () => void;
  log(message: string): void;
}

export interface StrategyHandlers {
  /** A watched wallet traded (already deduplicated). Copy strategies answer every call with an order or a skip. */
  onTargetTrade?(event: TargetTradeSeen, ctx: StrategyContext): StrategyResult;
  /** A book this strategy watches changed. */
  onBook?(tokenId: string, ctx: StrategyContext): StrategyResult;
  onTimer?(tag: string, ctx: StrategyContext): StrategyResult;
  /** One of this strategy's orders filled (fully or partly). */
  onFill?(fill: Fill, ctx: StrategyContext): StrategyResult;
  onResolution?(event: MarketResolved, ctx: StrategyContext): StrategyResult;
  /** Called once after creation, at the first event time. */
  onStart?(ctx: StrategyContext): StrategyResult;
}

export interface StrategySetup {
  /** Wallets whose trades this instance receives (copy strategies). */
  wallets: string[];
  /** Tokens whose books this instance watches (market strategies). */
  tokens: string[];
}

/**
 * A number that may change while the strategy runs: the TUI's `+`/`-` turns `multiplier`, a control
 * API may turn any knob by name. The strategy says how the value maps onto its params, so nothing
 * outside it writes into params by path. Values are kept to 6 decimals (like every quantity), so the
 * value shown is the value used.
 */
export interface Knob<P> {
  description: string;
  /** The value in force for these params, or undefined when they have none (a multiplier under fixed sizing). */
  get(params: P): number | undefined;
  /**
   * Writes an already checked value into `params` (handlers read params at call time, so the next call
   * uses it). Throw a RangeError saying why when these params cannot take it.
   */
  set(params: P, value: number): void;
  /** Smallest value accepted (inclusive); default 0.000001, i.e. any positive value. */
  min?: number;
  /** Largest value accepted (inclusive); default none. */
  max?: number;
}

/** The knob the TUI's `+`/`-` keys turn. */
export const MULTIPLIER_KNOB = 'multiplier';

/**
 * The version of this API. A strategy file names the version it was written for (`apiVersion: 1`);
 * the loader refuses a file written for another one with a message that says so, instead of running it
 * against handlers and a context it does not expect.
 */
export const STRATEGY_API_VERSION = 1;

export interface StrategyDefinition<S extends z.ZodTypeAny = z.ZodTypeAny> {
  /** The strategy API version the file was written for: `apiVersion: 1`. */
  apiVersion: typeof STRATEGY_API_VERSION;
  name: string;
  description: string;
  kind: 'copy' | 'market';
  params: S;
  /** Which wallets and tokens to route to the instance, from its parsed params. */
  subscriptions?(params: z.infer<S>): Partial<StrategySetup>;
  /** Settings that may change while running, by name (`multiplier` is the one the TUI turns). */
  knobs?: Record<string, Knob<z.infer<S>>>;
  create(params: z.infer<S>): StrategyHandlers;
}

/** Declares a strategy. Identity at run time; it exists for the types and the loader's checks. */
export function defineStrategy<S extends z.ZodTypeAny>(definition: StrategyDefinition<S>): StrategyDefinition<S> {
  return definition;
}

/** Normalizes a handler's result to an array. */
export function actionsOf(result: StrategyResult): StrategyAction[] {
  if (!result) return [];
  return Array.isArray(result) ? result : [result];
}
