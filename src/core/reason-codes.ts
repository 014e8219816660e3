/**
 * Every code a decision, a skip, a risk check or an alert can carry: one vocabulary, so the TUI, the
 * reports and the recordings group by the same words, and a typo is a type error instead of a new
 * row in "Skipped, by reason". docs/reasons.md explains each code; a test keeps the two equal.
 *
 * A user's strategy may also skip or cancel with a code of its own, written `custom:<code>`.
 */

/** Decisions the engine itself makes, before or around a strategy. */
const ENGINE = [
  'approved',
  'stale_trade',
  'stale_after_restart',
  'strategy_paused',
  'strategy_error',
  'no_action',
  'unknown_market',
] as const;

/** The exchange's order rules (tick, sizes, precision, minimum notional) when an order cannot be shaped to them. */
const ORDER_RULES = [
  'below_min_notional',
  'below_min_size',
  'invalid_price',
  'invalid_tick',
  'invalid_size',
  'invalid_expiration',
  'market_closed',
  'missing_expiry',
  'missing_size',
  'post_only_not_allowed',
  'unknown_token',
] as const;

/** Copy strategies (the built-ins and the copy pipeline they share). */
const COPY = [
  'wallet_not_followed',
  'bad_target_trade',
  'below_min_target_usdc',
  'above_max_target_usdc',
  'below_min_price',
  'above_max_price',
  'side_filtered',
  'market_not_allowed',
  'market_blocked',
  'token_not_allowed',
  'token_blocked',
  'sells_disabled',
  'no_position_to_sell',
  'target_position_unknown',
  'target_value_unknown',
  'opposite_token_unknown',
  'no_equity',
  'size_rounds_to_zero',
  'below_lowest_tier',
  'below_threshold',
] as const;

/** Market strategies (strategies/*.ts): skips when a trigger is blocked, and why they cancel. */
const MARKET = [
  'market_unknown',
  'outcome_unknown',
  'outcome_required',
  'end_unknown',
  'book_crossed',
  'too_close_to_end',
  'cooldown',
  'spread_too_wide',
  'no_asks',
  'no_bids',
  'max_rounds',
  'too_thin',
  'price_above_max',
  'no_outcome_in_range',
  'flat',
  'requote',
  'resize_ask',
  'cancel_before_end',
] as const;

/** Risk checks: each check's code, and the denial reason when it fails. */
const RISK = [
  'risk_state',
  'risk_halted',
  'risk_paused',
  'reduce_only',
  'min_order_usdc',
  'max_order_usdc',
  'max_slippage',
  'max_position_per_market',
  'max_total_exposure',
  'max_markets',
  'max_daily_trades',
  'max_daily_usdc',
  'max_daily_loss',
  'max_drawdown',
  'balance_reserve',
  'insufficient_holdings',
  'neg_risk_blocked',
  'min_liquidity',
  'max_spread',
] as const;

/** Alerts: what the engine, risk and a live session raise. */
const ALERTS = [
  'strategy_log',
  'kill_switch',
  'halted_daily_loss',
  'halted_drawdown',
  'missed_trade',
  'position_mismatch',
  'invariant_broken',
  'feed_down',
  'feed_restored',
  'session_failed',
] as const;

/**
 * Alert rules of a served session (`--serve`, docs/operate.md): the `rule` of each notice webhooks and
 * the Telegram bot get. `feed_down`, `missed_trade` and `strategy_error` are rules too, under their engine codes.
 */
const SERVED_ALERTS = [
  'risk_halt',
  'rejected_orders',
  'balance_low',
  'daily_loss',
  'redeem_failed',
  'engine_alert',
  'session_stopped',
] as const;

export const REASON_CODE_GROUPS = { ENGINE, ORDER_RULES, COPY, MARKET, RISK, ALERTS, SERVED_ALERTS } as const;

export type ReasonCode = (typeof REASON_CODE_GROUPS)[keyof typeof REASON_CODE_GROUPS][number];

/** Every code, once. */
export const REASON_CODES: readonly ReasonCode[] = [...new Set(Object.values(REASON_CODE_GROUPS).flat())];

/** A code a user's strategy invents for its own skips and cancels. */
export type CustomReasonCode = `custom:${string}`;

/** What a strategy may give as a skip or cancel reason. */
export type StrategyReasonCode = ReasonCode | CustomReasonCode;

/** A strategy instance's own budget check, or a sub-account's limit: the same code, scoped (`strategy.max_order_usdc`, `member.max_order_usdc`). */
export type CheckCode = ReasonCode | `strategy.${ReasonCode}` | `member.${ReasonCode}`;

const known = new Set<string>(REASON_CODES);

export function isReasonCode(value: unknown): value is ReasonCode {
  return typeof value === 'string' && known.has(value);
}

/** A known code, or `custom:` followed by letters, digits, `_` or `-`. */
export function isStrategyReasonCode(value: unknown): value is StrategyReasonCode {
  return isReasonCode(value) || (typeof value === 'string' && /^custom:[a-z0-9][a-z0-9_-]*$/i.test(value));
}
