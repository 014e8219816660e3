/**
 * What the CLOB says when it refuses an order, with its exact error text
 * (https://docs.polymarket.com/resources/error-codes; the amount rules are clob-client-v2's order
 * builder, see rules-amounts.ts). The sandbox answers with these; the live venue can pre-check with them.
 */
import { notional, type Micros } from '../core/money.ts';
import type { MarketInfo, OrderType, Side } from '../core/types.ts';
import type { ShapedOrder } from './shaping-types.ts';
import { exchangeAmountsInto, isMarketType, makerTakerAmounts, type AmountPair } from './rules-amounts.ts';
import { MARKET_MAKER_DP, MARKET_TAKER_DP, MIN_MARKET_BUY_MICROS, fitsDp, plainDecimal, tickPrecision } from './rules-precision.ts';

/** An order as it is on the wire: signed amounts in micros, expiration in unix seconds (0 = none). */
export interface ExchangeOrderLike {
  side: Side;
  type: OrderType;
  makerAmountMicros: Micros;
  takerAmountMicros: Micros;
  postOnly?: boolean;
  expirationSec?: number;
}

export interface ExchangeRuleViolation {
  /** Short code for logs and tests. */
  code:
    | 'invalid_payload'
    | 'post_only_not_allowed'
    | 'invalid_price'
    | 'invalid_tick'
    | 'invalid_amounts'
    | 'below_min_size'
    | 'below_min_notional'
    | 'invalid_expiration';
  /** The CLOB's own error text. */
  message: string;
}

export interface ValidateOptions {
  /** Order hash used in "order {id} is invalid…" messages. */
  orderId?: string;
  /** Current time, for the GTD expiration check. */
  nowMs?: number;
  /**
   * For an unsigned order: which amounts to check — what clob-client-v2 would sign ('sdk', default)
   * or the precision-safe amounts of `exchangeAmounts` ('exchange', what the sim assumes is sent).
   */
  amounts?: 'sdk' | 'exchange';
}

/** The CLOB's error text for this order, or null when it would be accepted. */
export function validateOrderForExchange(
  order: ExchangeOrderLike | ShapedOrder,
  market: MarketInfo,
  options: ValidateOptions = {},
): string | null {
  return checkOrderForExchange(order, market, options)?.message ?? null;
}

/** Like validateOrderForExchange, with a code next to the message. */
export function checkOrderForExchange(
  order: ExchangeOrderLike | ShapedOrder,
  market: MarketInfo,
  options: ValidateOptions = {},
): ExchangeRuleViolation | null {
  const tick = market.tickMicros;
  const cfg = tickPrecision(tick);
  if (!cfg) return { code: 'invalid_tick', message: `invalid tick size (${plainDecimal(tick)}), minimum for the market is 0.01` };
  const id = options.orderId ?? '0x';
  if ('makerAmountMicros' in order) {
    const { side, type, makerAmountMicros, takerAmountMicros, postOnly, expirationSec } = order;
    return checkWire(side, type, makerAmountMicros, takerAmountMicros, postOnly, expirationSec, market, id, options.nowMs);
  }
  // An unsigned order: the SDK checks the price range itself, and the server the tick; then the
  // amounts are the ones the SDK would sign.
  const bad = checkPrice(order.priceMicros, tick, id);
  if (bad) return bad;
  // A market BUY given in shares is sent as the USDC those shares cost at the limit.
  const amountMicros =
    order.amountMicros ??
    (order.side === 'BUY' && isMarketType(order.type) ? notional(order.sizeMicros, order.priceMicros, 'floor') : undefined);
  let signed: AmountPair = signedScratch;
  if (options.amounts === 'exchange') {
    exchangeAmountsInto(signed, order.side, order.type, order.priceMicros, order.sizeMicros, amountMicros, tick);
  } else {
    const { side, type, priceMicros, sizeMicros } = order;
    signed = makerTakerAmounts({ side, type, priceMicros, sizeMicros, amountMicros, tickMicros: tick });
  }
  const expirationSec = order.expiresAtMs !== undefined ? Math.floor(order.expiresAtMs / 1000) : 0;
  const { makerAmountMicros, takerAmountMicros } = signed;
  return checkWire(order.side, order.type, makerAmountMicros, takerAmountMicros, order.postOnly, expirationSec, market, id, options.nowMs);
}

/** The amounts of the order being checked (reused: the sim checks every order it is given). */
const signedScratch: AmountPair = { makerAmountMicros: 0, takerAmountMicros: 0 };

function checkPrice(priceMicros: Micros, tick: Micros, id: string): ExchangeRuleViolation | null {
  if (priceMicros < tick || priceMicros > 1_000_000 - tick) {
    return {
      code: 'invalid_price',
      message: `invalid price (${plainDecimal(priceMicros)}), min: ${plainDecimal(tick)} - max: ${plainDecimal(1_000_000 - tick)}`,
    };
  }
  if (priceMicros % tick !== 0) {
    return {
      code: 'invalid_tick',
      message: `order ${id} is invalid. Price (${plainDecimal(priceMicros)}) breaks minimum tick size rule: ${plainDecimal(tick)}`,
    };
  }
  return null;
}

/** The price rule's products (usdc × 1e6, tick × shares, (1e6 − tick) × shares) are all exact as numbers. */
function fitsNumbers(usdc: number, shares: number, tick: number): boolean {
  return Number.isSafeInteger(usdc * 1_000_000 + tick * shares) && Number.isSafeInteger(1_000_000 * shares);
}

/** ⌊a ÷ b⌋ for non-negative safe integers, exact (the float quotient can land one off near an integer). */
function floorDiv(a: number, b: number): number {
  let q = Math.floor(a / b);
  if (q * b > a) q -= 1;
  else if ((q + 1) * b <= a) q += 1;
  return q;
}

/** The price rule on plain numbers: what `bigPriceRule` says, without a BigInt per order (the sim checks every order). */
function priceRule(side: Side, isMarket: boolean, usdc: number, shares: number, tick: number, id: string): ExchangeRuleViolation | null {
  const scaled = usdc * 1_000_000;
  const perTick = tick * shares;
  if (isMarket) {
    const down = floorDiv(scaled, perTick);
    const ticks = side === 'BUY' || down * perTick === scaled ? down : down + 1;
    return checkPrice(ticks * tick, tick, id);
  }
  const shown = String(usdc / shares);
  if (scaled < perTick || scaled > (1_000_000 - tick) * shares) {
    return {
      code: 'invalid_price',
      message: `invalid price (${shown}), min: ${plainDecimal(tick)} - max: ${plainDecimal(1_000_000 - tick)}`,
    };
  }
  if (scaled % perTick !== 0) {
    return {
      code: 'invalid_tick',
      message: `order ${id} is invalid. Price (${shown}) breaks minimum tick size rule: ${plainDecimal(tick)}`,
    };
  }
  return null;
}

function bigPriceRule(side: Side, isMarket: boolean, usdc: number, shares: number, tick: number, id: string): ExchangeRuleViolation | null {
  const scaled = BigInt(usdc) * 1_000_000n;
  const perTick = BigInt(tick) * BigInt(shares);
  if (isMarket) {
    // Market orders carry their price only implicitly, and the floored side (a BUY's shares, a SELL's
    // USDC) puts the ratio a hair off it (10/19.2307 = 0.5200019): round it back to the tick, down for a
    // BUY, up for a SELL.
    const ticks = side === 'BUY' ? scaled / perTick : (scaled + perTick - 1n) / perTick;
    return checkPrice(Number(ticks * BigInt(tick)), tick, id);
  }
  // A limit order's ratio is its price: within [tick, 1 − tick], and a whole number of ticks.
  const shown = String(usdc / shares);
  if (scaled < perTick || scaled > BigInt(1_000_000 - tick) * BigInt(shares)) {
    return {
      code: 'invalid_price',
      message: `invalid price (${shown}), min: ${plainDecimal(tick)} - max: ${plainDecimal(1_000_000 - tick)}`,
    };
  }
  if (scaled % perTick !== 0n) {
    return {
      code: 'invalid_tick',
      message: `order ${id} is invalid. Price (${shown}) breaks minimum tick size rule: ${plainDecimal(tick)}`,
    };
  }
  return null;
}

/** The rules on an order's wire fields, given one by one (no order object is built to check one). */
function checkWire(
  side: Side,
  type: OrderType,
  maker: Micros,
  taker: Micros,
  postOnly: boolean | undefined,
  expirationSec: number | undefined,
  market: MarketInfo,
  id: string,
  nowMs: number | undefined,
): ExchangeRuleViolation | null {
  const tick = market.tickMicros;
  const cfg = tickPrecision(tick)!;
  if (!Number.isSafeInteger(maker) || !Number.isSafeInteger(taker) || maker <= 0 || taker <= 0) {
    return { code: 'invalid_payload', message: 'Invalid order payload' };
  }
  const isMarket = isMarketType(type);
  if (postOnly && isMarket) return { code: 'post_only_not_allowed', message: 'postOnly is not supported for FOK/FAK orders' };
  const shares = side === 'BUY' ? taker : maker;
  const usdc = side === 'BUY' ? maker : taker;

  // Exact integer comparisons: usdc ÷ shares against ticks, as price × shares in micros².
  const bad = fitsNumbers(usdc, shares, tick)
    ? priceRule(side, isMarket, usdc, shares, tick, id)
    : bigPriceRule(side, isMarket, usdc, shares, tick, id);
  if (bad) return bad;

  const makerDp = isMarket ? MARKET_MAKER_DP : side === 'BUY' ? cfg.amountDp : cfg.sizeDp;
  const takerDp = isMarket ? MARKET_TAKER_DP : side === 'BUY' ? cfg.sizeDp : cfg.amountDp;
  if (!fitsDp(maker, makerDp) || !fitsDp(taker, takerDp)) {
    const kind = `${isMarket ? 'market ' : ''}${side === 'BUY' ? 'buy' : 'sell'}`;
    return {
      code: 'invalid_amounts',
      message: `invalid amounts, the ${kind} orders maker amount supports a max accuracy of ${makerDp} decimals, taker amount a max of ${takerDp} decimals`,
    };
  }

  if (!isMarket && shares < market.minOrderSizeMicros) {
    return {
      code: 'below_min_size',
      message: `order ${id} is invalid. Size (${plainDecimal(shares)}) lower than the minimum: ${plainDecimal(market.minOrderSizeMicros)}`,
    };
  }
  if (isMarket && side === 'BUY' && usdc < MIN_MARKET_BUY_MICROS) {
    return {
      code: 'below_min_notional',
      message: `invalid amount for a marketable BUY order ($${plainDecimal(usdc)}), min size: $${plainDecimal(MIN_MARKET_BUY_MICROS)}`,
    };
  }
  if (type === 'GTD') {
    const exp = expirationSec ?? 0;
    if (exp <= 0 || (nowMs !== undefined && exp * 1000 < nowMs + 60_000))
      return { code: 'invalid_expiration', message: 'invalid expiration' };
  }
  return null;
}
