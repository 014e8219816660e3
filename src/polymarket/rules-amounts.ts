/**
 * The signed makerAmount / takerAmount of an order, two ways:
 * - `makerTakerAmounts`: exactly what @polymarket/clob-client-v2 1.1.0 signs (its float arithmetic is
 *   reproduced on purpose, so the sandbox and the live venue can predict the wire amounts bit for bit);
 * - `exchangeAmounts`: integer amounts that satisfy every server precision rule, including the
 *   market-order "taker ≤ 4 decimals" rule that the SDK breaks on 0.001 / 0.0001 ticks.
 */
import { mulDiv, toMicros, type Micros } from '../core/money.ts';
import type { OrderType, Side } from '../core/types.ts';
import { MARKET_MAKER_DP, MARKET_TAKER_DP, stepForDp, tickPrecision, type TickPrecision } from './rules-precision.ts';

export interface AmountsInput {
  side: Side;
  type: OrderType;
  priceMicros: Micros;
  /** Shares: limit orders and market SELLs. */
  sizeMicros?: Micros;
  /** USDC: market BUYs. */
  amountMicros?: Micros;
  tickMicros: Micros;
}

export interface SignedAmounts {
  makerAmountMicros: Micros;
  takerAmountMicros: Micros;
  /** The price the amounts were computed at (after the SDK's own price rounding). */
  priceMicros: Micros;
}

export function isMarketType(type: OrderType): boolean {
  return type === 'FOK' || type === 'FAK';
}

function precisionOrThrow(tickMicros: Micros): TickPrecision {
  const p = tickPrecision(tickMicros);
  if (!p) throw new RangeError(`unsupported tick size ${tickMicros / 1e6}: the CLOB uses 0.1, 0.01, 0.005, 0.0025, 0.001 or 0.0001`);
  return p;
}

/**
 * makerAmount / takerAmount exactly as clob-client-v2 computes them (createOrder for GTC/GTD,
 * createMarketOrder for FOK/FAK). Market BUYs take `amountMicros` (USDC), everything else `sizeMicros`.
 */
export function makerTakerAmounts(input: AmountsInput): SignedAmounts {
  const cfg = precisionOrThrow(input.tickMicros);
  const market = isMarketType(input.type);
  const price = input.priceMicros / 1e6 || (market ? 1 : 0);
  const quantityMicros = market && input.side === 'BUY' ? input.amountMicros : input.sizeMicros;
  if (quantityMicros === undefined) {
    throw new RangeError(
      market && input.side === 'BUY' ? 'a market BUY needs amountMicros (USDC)' : 'this order needs sizeMicros (shares)',
    );
  }
  const quantity = quantityMicros / 1e6;
  const rawPrice = market ? sdkRoundDown(price, cfg.priceDp) : sdkRoundNormal(price, cfg.priceDp);
  const rawMaker = sdkRoundDown(quantity, cfg.sizeDp);
  let maker: number;
  let taker: number;
  if (input.side === 'BUY') {
    if (market) {
      maker = rawMaker;
      taker = sdkFix(maker / rawPrice, cfg.amountDp);
    } else {
      taker = rawMaker;
      maker = sdkFix(taker * rawPrice, cfg.amountDp);
    }
  } else {
    maker = rawMaker;
    taker = sdkFix(maker * rawPrice, cfg.amountDp);
  }
  return {
    makerAmountMicros: toMicros(String(maker)),
    takerAmountMicros: toMicros(String(taker)),
    priceMicros: toMicros(String(rawPrice)),
  };
}

// The SDK's helpers (src/utilities.ts), verbatim in behaviour: they act only when the float's
// decimal text is longer than allowed.
function sdkDecimalPlaces(num: number): number {
  if (Number.isInteger(num)) return 0;
  const parts = num.toString().split('.');
  return parts.length <= 1 ? 0 : parts[1]!.length;
}
function sdkRoundNormal(num: number, dp: number): number {
  if (sdkDecimalPlaces(num) <= dp) return num;
  return Math.round((num + Number.EPSILON) * 10 ** dp) / 10 ** dp;
}
function sdkRoundDown(num: number, dp: number): number {
  if (sdkDecimalPlaces(num) <= dp) return num;
  return Math.floor(num * 10 ** dp) / 10 ** dp;
}
function sdkRoundUp(num: number, dp: number): number {
  if (sdkDecimalPlaces(num) <= dp) return num;
  return Math.ceil(num * 10 ** dp) / 10 ** dp;
}
function sdkFix(num: number, dp: number): number {
  if (sdkDecimalPlaces(num) <= dp) return num;
  const up = sdkRoundUp(num, dp + 4);
  return sdkDecimalPlaces(up) > dp ? sdkRoundDown(up, dp) : up;
}

/** A maker and a taker amount, written in place by `exchangeAmountsInto`. */
export interface AmountPair {
  makerAmountMicros: Micros;
  takerAmountMicros: Micros;
}

/**
 * Integer amounts the exchange accepts for an order at `priceMicros` (which must be on tick). Amounts
 * only ever round in the strategy's favour-or-neutral direction: sizes and USDC are floored, so an
 * order never spends or sells more than asked.
 */
export function exchangeAmounts(input: AmountsInput): SignedAmounts {
  const out = { makerAmountMicros: 0, takerAmountMicros: 0, priceMicros: input.priceMicros };
  exchangeAmountsInto(out, input.side, input.type, input.priceMicros, input.sizeMicros, input.amountMicros, input.tickMicros);
  return out;
}

/** `exchangeAmounts` from plain numbers into `out` (the sim checks every order: no input or result object per order). */
export function exchangeAmountsInto(
  out: AmountPair,
  side: Side,
  type: OrderType,
  price: Micros,
  sizeMicros: Micros | undefined,
  amountMicros: Micros | undefined,
  tickMicros: Micros,
): void {
  const cfg = precisionOrThrow(tickMicros);
  if (price <= 0) throw new RangeError(`price must be positive, got ${price}`);
  if (isMarketType(type)) {
    const takerStep = stepForDp(Math.min(MARKET_TAKER_DP, cfg.amountDp));
    const makerStep = stepForDp(MARKET_MAKER_DP);
    const maker = floorStep((side === 'BUY' ? amountMicros : sizeMicros) ?? 0, makerStep);
    out.makerAmountMicros = maker;
    out.takerAmountMicros =
      side === 'BUY'
        ? floorStep(mulDiv(maker, 1_000_000, price, 'floor'), takerStep)
        : floorStep(mulDiv(maker, price, 1_000_000, 'floor'), takerStep);
    return;
  }
  const shares = floorStep(sizeMicros ?? 0, stepForDp(cfg.sizeDp));
  const usdc = floorStep(mulDiv(shares, price, 1_000_000, 'floor'), stepForDp(cfg.amountDp));
  out.makerAmountMicros = side === 'BUY' ? usdc : shares;
  out.takerAmountMicros = side === 'BUY' ? shares : usdc;
}

function floorStep(value: Micros, step: Micros): Micros {
  return value - (((value % step) + step) % step);
}
