/**
 * `polytail/strategy`: everything a strategy file needs, from one import. Strategy files (in
 * `strategies/` or any folder given by path) import only from here, so the engine's insides can move
 * without breaking them; `apiVersion` says which version of this surface a file was written for.
 *
 *   import { defineStrategy, z } from 'polytail/strategy';
 */

// zod, the same copy the loader checks params with (a user folder need not install it).
export { z } from 'zod';

// The API itself.
export { defineStrategy, MULTIPLIER_KNOB, STRATEGY_API_VERSION } from './api.ts';
export type {
  CancelOrder,
  Knob,
  PlaceOrder,
  PositionView,
  Skip,
  StrategyAction,
  StrategyContext,
  StrategyDefinition,
  StrategyHandlers,
  StrategyResult,
} from './api.ts';

// What handlers are given.
export type { MarketResolved, TargetTradeSeen } from '../core/events.ts';
export type { BookView } from '../core/order-book.ts';
export type { BookLevel, Fill, MarketInfo, Order, OrderIntent, OrderType, Side, TargetTrade, TokenInfo } from '../core/types.ts';
export type { Clock } from '../core/clock.ts';

// Reason codes for skips and cancels (docs/reasons.md), or `custom:<code>` for a strategy's own.
export { isStrategyReasonCode, REASON_CODES } from '../core/reason-codes.ts';
export type { CustomReasonCode, ReasonCode, StrategyReasonCode } from '../core/reason-codes.ts';

// Messages and notes made only when shown (a plain string works everywhere too).
export { lazy, LazyText, textOf } from '../core/lazy-text.ts';
export type { Text } from '../core/lazy-text.ts';

// Integer micro-units (6 decimals) and their arithmetic.
export { ceilTo, floorTo, formatMicros, formatUsd, fromMicros, MICROS, mulDiv, notional, sharesFor, toMicros } from '../core/money.ts';
export type { Micros } from '../core/money.ts';

// The exchange's order rules a strategy sizes against.
export { MIN_MARKET_BUY_MICROS, SIZE_STEP_MICROS } from '../polymarket/order-rules.ts';

// The copy pipeline the built-in copy strategies are made of.
export { copyKnobs, sizingMultiplierKnob } from './copy-knobs.ts';
export { copyParamsSchema, copyParamsShape, walletSchema } from './copy-params.ts';
export type { CopyBaseParams, CopyParams } from './copy-params.ts';
export { buyIntent, checkMinTargetUsdc, copySell, limitPriceFor, precheckTrade, sizingModeSizer, tailTrade } from './copy-trade.ts';
export type { BuySizer } from './copy-trade.ts';
export { scaledShares, sizeBuy, sizeSell, sizingSchema, skip } from './sizing.ts';
export type { DesiredSize, Sizing } from './sizing.ts';

// Naming a market the way users meet it (URL, slug, condition id, token id).
export { findMarket, marketEndMs, marketRefShape, parseMarketRef, resolveMarketRef, subscribedTokens } from './market-ref.ts';
export type { MarketRef, MarketRefParams } from './market-ref.ts';
