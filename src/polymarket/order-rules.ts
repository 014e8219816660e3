/**
 * Polymarket's order rules in one place, shared by the sim and the live venue (the sandbox checks orders with its
 * own rules, src/sandbox/exchange/order-rules.ts, so a bug here cannot hide behind a shared one):
 * `shapeOrder` turns a strategy's intent into an order the CLOB accepts (rounding only in the
 * direction that stays inside what the strategy asked for), `validateOrderForExchange` answers with
 * the CLOB's own error text, and the amount helpers say what gets signed.
 */
import { ceilTo, floorTo, mulDiv, notional, sharesFor, type Micros } from '../core/money.ts';
import type { ReasonCode } from '../core/reason-codes.ts';
import type { MarketInfo, OrderIntent } from '../core/types.ts';
import type { ShapedOrder, ShapeResult } from './shaping-types.ts';
import { isMarketType } from './rules-amounts.ts';
import {
  MARKET_MAKER_DP,
  MARKET_TAKER_DP,
  MIN_MARKET_BUY_MICROS,
  SIZE_STEP_MICROS,
  noteDecimal,
  plainDecimal,
  stepForDp,
  tickPrecision,
} from './rules-precision.ts';

export { exchangeAmounts, isMarketType, makerTakerAmounts } from './rules-amounts.ts';
export type { AmountsInput, SignedAmounts } from './rules-amounts.ts';
export { checkOrderForExchange, validateOrderForExchange } from './rules-validate.ts';
export type { ExchangeOrderLike, ExchangeRuleViolation, ValidateOptions } from './rules-validate.ts';
export { AccumulatingSizer } from './rules-accumulator.ts';
export type { AccumulatorResult, AccumulatorOptions } from './rules-accumulator.ts';
export { MIN_MARKET_BUY_MICROS, SIZE_STEP_MICROS, tickPrecision } from './rules-precision.ts';
export { DEFAULT_MIN_ORDER_SIZE_MICROS, DEFAULT_TICK_MICROS } from './market-defaults.ts';

export interface ShapeOptions {
  /** Current time; when given, a GTD expiry must be at least a minute ahead (the CLOB's threshold). */
  nowMs?: number;
  /**
   * No text: the adjustments list stays empty and a refusal carries only its reason code (message
   * '' and no details). The engine shapes quietly and shapes the same intent again for the text
   * when a decision is read — shaping is a pure function of intent, market and time.
   */
  quiet?: boolean;
}

/** The CLOB refuses GTD expirations closer than one minute ("security threshold"). */
export const GTD_MIN_LEAD_MS = 60_000;

type Details = Record<string, number | string | boolean | null>;

const NO_NOTES: string[] = [];
const NO_DETAILS: Details = Object.freeze({}) as Details;

/** A refusal; the message and details are built only when the caller wants text. */
function fail(quiet: boolean | undefined, reason: ReasonCode, message: () => string, details: () => Details): ShapeResult {
  return quiet ? { ok: false, reason, message: '', details: NO_DETAILS } : { ok: false, reason, message: message(), details: details() };
}

function isAmount(v: number | undefined): boolean {
  return v === undefined || (Number.isSafeInteger(v) && v >= 0);
}

function hasToken(market: MarketInfo, tokenId: string): boolean {
  const tokens = market.tokens;
  if (tokens.length === 0) return true;
  for (let i = 0; i < tokens.length; i++) if (tokens[i]!.tokenId === tokenId) return true;
  return false;
}

/**
 * Shapes an intent into an exchange-valid order for `market`. Never increases a size or amount, BUY
 * prices round down and SELL prices up to the tick; anything that would fall below a minimum is
 * refused with the numbers, never bumped up.
 */
export function shapeOrder(intent: OrderIntent, market: MarketInfo, options: ShapeOptions = {}): ShapeResult {
  const quiet = options.quiet;
  const tick = market.tickMicros;
  const cfg = tickPrecision(tick);
  const side = intent.side;
  if (!cfg) {
    return fail(
      quiet,
      'invalid_tick',
      () =>
        `market ${market.conditionId} has tick ${plainDecimal(tick)}, which the CLOB does not use (0.1, 0.01, 0.005, 0.0025, 0.001, 0.0001); refresh its metadata`,
      () => ({ tickMicros: tick }),
    );
  }
  if (market.closed)
    return fail(
      quiet,
      'market_closed',
      () => `market ${market.slug ?? market.conditionId} is closed; no new orders`,
      () => ({ conditionId: market.conditionId }),
    );
  if (!hasToken(market, intent.tokenId)) {
    return fail(
      quiet,
      'unknown_token',
      () => `token ${intent.tokenId} is not an outcome of market ${market.conditionId}`,
      () => ({ tokenId: intent.tokenId }),
    );
  }
  const isMarket = isMarketType(intent.type);
  if (intent.postOnly && isMarket) {
    return fail(
      quiet,
      'post_only_not_allowed',
      () => `post-only needs a resting order (GTC/GTD), not ${intent.type}`,
      () => ({ type: intent.type }),
    );
  }
  if (!isAmount(intent.sizeMicros) || !isAmount(intent.amountMicros)) {
    return fail(
      quiet,
      'invalid_size',
      () => 'sizeMicros and amountMicros must be non-negative integers (micros)',
      () => ({ sizeMicros: intent.sizeMicros ?? null, amountMicros: intent.amountMicros ?? null }),
    );
  }
  if (intent.sizeMicros === undefined && intent.amountMicros === undefined) {
    return fail(
      quiet,
      'missing_size',
      () => 'the order has neither sizeMicros (shares) nor amountMicros (USDC)',
      () => ({}),
    );
  }

  const adjustments: string[] = quiet ? NO_NOTES : [];
  let expiresAtMs: number | undefined;
  if (intent.type === 'GTD') {
    if (intent.expiresAtMs === undefined)
      return fail(
        quiet,
        'missing_expiry',
        () => 'a GTD order needs expiresAtMs',
        () => ({}),
      );
    // The wire carries whole seconds; flooring only makes the order expire sooner, never later.
    const expiry = Math.floor(intent.expiresAtMs / 1000) * 1000;
    expiresAtMs = expiry;
    if (!quiet && expiry !== intent.expiresAtMs) adjustments.push(`expiry ${intent.expiresAtMs}→${expiry} (whole seconds)`);
    const nowMs = options.nowMs;
    if (nowMs !== undefined && expiry < nowMs + GTD_MIN_LEAD_MS) {
      return fail(
        quiet,
        'invalid_expiration',
        () => `GTD expiry must be at least ${GTD_MIN_LEAD_MS / 1000}s ahead; it is ${Math.round((expiry - nowMs) / 1000)}s`,
        () => ({ expiresAtMs: expiry, nowMs, minLeadMs: GTD_MIN_LEAD_MS }),
      );
    }
  }

  const limit = intent.limitPriceMicros;
  const minPrice = tick;
  const maxPrice = 1_000_000 - tick;
  if (!Number.isSafeInteger(limit) || limit <= 0 || limit >= 1_000_000) {
    return fail(
      quiet,
      'invalid_price',
      () => `limit price ${limit} micros is outside (0, 1)`,
      () => ({ limitPriceMicros: limit, minMicros: minPrice, maxMicros: maxPrice }),
    );
  }
  let price = side === 'BUY' ? floorTo(limit, tick) : ceilTo(limit, tick);
  if (side === 'BUY' && price > maxPrice) price = maxPrice;
  if (side === 'SELL' && price < minPrice) price = minPrice;
  if (price < minPrice || price > maxPrice) {
    const p = price;
    return fail(
      quiet,
      'invalid_price',
      () =>
        `${side} limit ${plainDecimal(limit)} leaves no valid price on tick ${plainDecimal(tick)} (min ${plainDecimal(minPrice)}, max ${plainDecimal(maxPrice)})`,
      () => ({ limitPriceMicros: limit, priceMicros: p, tickMicros: tick, minMicros: minPrice, maxMicros: maxPrice }),
    );
  }
  if (!quiet && price !== limit) {
    adjustments.push(
      `price ${noteDecimal(limit)}→${noteDecimal(price, cfg.priceDp)} (tick ${plainDecimal(tick)}, ${side === 'BUY' ? 'down for a BUY' : 'up for a SELL'})`,
    );
  }

  if (isMarket && side === 'BUY') return shapeMarketBuy(intent, price, tick, adjustments, quiet);
  return shapeShares(intent, market, price, expiresAtMs, adjustments, quiet);
}

function shapeMarketBuy(intent: OrderIntent, price: Micros, tick: Micros, adjustments: string[], quiet: boolean | undefined): ShapeResult {
  let requested = intent.amountMicros ?? Number.MAX_SAFE_INTEGER;
  if (intent.sizeMicros !== undefined) {
    const fromSize = notional(intent.sizeMicros, price, 'floor');
    if (fromSize < requested) {
      requested = fromSize;
      if (!quiet)
        adjustments.push(
          `size ${noteDecimal(intent.sizeMicros)} shares→$${noteDecimal(fromSize)} at ${plainDecimal(price)} (market BUYs spend USDC)`,
        );
    }
  }
  const amount = floorTo(requested, SIZE_STEP_MICROS);
  if (!quiet && amount !== requested) adjustments.push(`amount ${noteDecimal(requested)}→${noteDecimal(amount)} (2dp)`);
  if (amount < MIN_MARKET_BUY_MICROS) {
    const asked = requested;
    return fail(
      quiet,
      'below_min_notional',
      () => `a market BUY must spend at least $${plainDecimal(MIN_MARKET_BUY_MICROS)}; this one spends $${noteDecimal(amount)}`,
      () => ({ amountMicros: amount, requestedMicros: asked, minMicros: MIN_MARKET_BUY_MICROS, priceMicros: price }),
    );
  }
  const order: ShapedOrder = {
    tokenId: intent.tokenId,
    side: 'BUY',
    type: intent.type,
    priceMicros: price,
    postOnly: intent.postOnly === true,
    sizeMicros: marketBuyShares(amount, price, tick),
    amountMicros: amount,
  };
  return { ok: true, order, adjustments };
}

/** What a market BUY of `amount` USDC at `price` receives, as `exchangeAmounts` signs it (taker amount). */
function marketBuyShares(amount: Micros, price: Micros, tick: Micros): Micros {
  const cfg = tickPrecision(tick)!;
  const takerStep = stepForDp(Math.min(MARKET_TAKER_DP, cfg.amountDp));
  const maker = amount - (amount % stepForDp(MARKET_MAKER_DP));
  const shares = mulDiv(maker, 1_000_000, price, 'floor');
  return shares - (shares % takerStep);
}

function shapeShares(
  intent: OrderIntent,
  market: MarketInfo,
  price: Micros,
  expiresAtMs: number | undefined,
  adjustments: string[],
  quiet: boolean | undefined,
): ShapeResult {
  let requested = intent.sizeMicros ?? Number.MAX_SAFE_INTEGER;
  if (intent.amountMicros !== undefined) {
    const fromAmount = sharesFor(intent.amountMicros, price, 'floor');
    if (fromAmount < requested) {
      requested = fromAmount;
      if (!quiet)
        adjustments.push(`amount $${noteDecimal(intent.amountMicros)}→${noteDecimal(fromAmount)} shares at ${plainDecimal(price)}`);
    }
  }
  const size = floorTo(requested, SIZE_STEP_MICROS);
  if (!quiet && size !== requested) adjustments.push(`size ${noteDecimal(requested)}→${noteDecimal(size)} (2dp)`);
  const isMarket = isMarketType(intent.type);
  const minSize = isMarket ? SIZE_STEP_MICROS : Math.max(SIZE_STEP_MICROS, market.minOrderSizeMicros);
  if (size < minSize) {
    const asked = requested;
    return fail(
      quiet,
      'below_min_size',
      () =>
        isMarket
          ? `a market SELL needs at least 0.01 shares; this one has ${noteDecimal(size)}`
          : `limit orders need at least ${plainDecimal(minSize)} shares on this market; this one has ${noteDecimal(size)}`,
      () => ({ sizeMicros: size, requestedMicros: asked, minSizeMicros: minSize, priceMicros: price }),
    );
  }
  if (isMarket && mulDiv(size, price, 1_000_000, 'floor') < 100) {
    // Proceeds below $0.0001 round to a zero taker amount, which the CLOB cannot sign.
    return fail(
      quiet,
      'below_min_notional',
      () => `a market SELL of ${noteDecimal(size)} shares at ${plainDecimal(price)} is worth less than $0.0001`,
      () => ({ sizeMicros: size, priceMicros: price, minMicros: 100 }),
    );
  }
  const order: ShapedOrder = {
    tokenId: intent.tokenId,
    side: intent.side,
    type: intent.type,
    priceMicros: price,
    postOnly: intent.postOnly === true,
    sizeMicros: size,
  };
  if (expiresAtMs !== undefined) order.expiresAtMs = expiresAtMs;
  return { ok: true, order, adjustments };
}
