/**
 * The sandbox exchange's own order rules, written from the CLOB reference tables (polymarket-api.md
 * §5.6/§5.7, polymarket-clob-v2.md §6.2) and deliberately independent of the client's rules in
 * src/polymarket: a fake exchange that shared the client's code could not catch a bug in it. A property
 * test (test/property/exchange-rules-parity.test.ts) pits the two against each other on random orders.
 *
 * Everything works on the signed wire amounts (integer micros) with exact integer arithmetic:
 * - BUY: maker = USDC paid, taker = shares received; SELL: maker = shares, taker = USDC.
 * - Limit orders (GTC/GTD) carry their price exactly: USDC / shares must be a whole number of ticks in
 *   [tick, 1 − tick].
 * - Market orders (FOK/FAK) need no whole number of ticks: the client floors the side it computes
 *   (a BUY's shares, a SELL's USDC when it has too many decimals), so the ratio sits a hair off the price
 *   it was signed at (10 / 19.2307 = 0.5200019). Their price is the ratio rounded back to the tick (down
 *   for a BUY, up for a SELL), and it must lie in [tick, 1 − tick].
 * - Prices in messages: a market order's tick price; a limit order's ratio as the shortest decimal that
 *   reads back as the same double ("0.305", "0.10000049751243781"), so an off-tick price shows.
 * - Decimals: limit BUY maker ≤ amount dp, taker ≤ 2; limit SELL maker ≤ 2, taker ≤ amount dp; market
 *   orders maker ≤ 2 and taker ≤ 4 whatever the tick.
 * - Minimums: limit orders at least the market's minimum size in shares; market BUYs at least $1 (the
 *   documented community finding; the text of that refusal is not documented verbatim).
 * - GTD: the expiration must be at least one minute ahead (the CLOB's security threshold).
 */

export type WireSide = 'BUY' | 'SELL';
export type WireOrderType = 'GTC' | 'GTD' | 'FOK' | 'FAK';

export interface WireOrderInput {
  orderId: string;
  side: WireSide;
  type: WireOrderType;
  makerAmountMicros: number;
  takerAmountMicros: number;
  /** Unix seconds, 0 = none. */
  expirationSec: number;
  tickMicros: number;
  minOrderSizeMicros: number;
  nowMs: number;
}

export type RuleCode = 'payload' | 'price_range' | 'tick' | 'precision' | 'min_size' | 'min_market_buy' | 'expiration';

export interface RuleViolation {
  code: RuleCode;
  message: string;
}

export interface AcceptedOrder {
  /** Tick-aligned limit price (for market orders, the implied price rounded to the tick). */
  priceMicros: number;
  /** Shares of the order (for a market BUY: the shares the signed amounts name). */
  sharesMicros: number;
  /** USDC of the order. */
  usdcMicros: number;
  market: boolean;
}

/** Decimals the computed side of a limit order may carry, per tick (ROUNDING_CONFIG "amount"). */
const AMOUNT_DECIMALS: ReadonlyMap<number, number> = new Map([
  [100_000, 3], // 0.1
  [10_000, 4], // 0.01
  [5_000, 5], // 0.005
  [2_500, 6], // 0.0025
  [1_000, 5], // 0.001
  [100, 6], // 0.0001
]);
const SHARE_DECIMALS = 2;
const MARKET_MAKER_DECIMALS = 2;
const MARKET_TAKER_DECIMALS = 4;
const MIN_MARKET_BUY_MICROS = 1_000_000;
const GTD_THRESHOLD_MS = 60_000;
const ONE = 1_000_000n;

/** Ticks the exchange knows. */
export const EXCHANGE_TICKS: readonly number[] = [...AMOUNT_DECIMALS.keys()];

/** Micros as the exchange prints a number: 1_080_000 → "1.08", 5_000_000 → "5", 2_500 → "0.0025". */
export function decimalText(micros: number): string {
  const negative = micros < 0;
  const abs = BigInt(Math.abs(micros));
  const whole = abs / ONE;
  const frac = (abs % ONE).toString().padStart(6, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${frac === '' ? '' : '.' + frac}`;
}

function hasAtMostDecimals(micros: number, decimals: number): boolean {
  return micros % 10 ** (6 - decimals) === 0;
}

/**
 * Every rule the order breaks, in the order the exchange looks at them (payload, price, decimals, size,
 * expiration); empty when it is accepted. The exchange answers with the first.
 */
export function orderRuleViolations(o: WireOrderInput): RuleViolation[] {
  const maker = o.makerAmountMicros;
  const taker = o.takerAmountMicros;
  if (![maker, taker].every((v) => Number.isSafeInteger(v) && v > 0)) return [{ code: 'payload', message: 'Invalid order payload' }];
  const amountDecimals = AMOUNT_DECIMALS.get(o.tickMicros);
  // A market whose tick the CLOB does not use (an admin call can set one) takes no orders.
  if (amountDecimals === undefined)
    return [{ code: 'tick', message: `invalid tick size (${decimalText(o.tickMicros)}), minimum for the market is 0.01` }];
  const out: RuleViolation[] = [];
  const market = o.type === 'FOK' || o.type === 'FAK';
  const shares = o.side === 'BUY' ? taker : maker;
  const usdc = o.side === 'BUY' ? maker : taker;
  const tick = BigInt(o.tickMicros);
  const minText = decimalText(o.tickMicros);
  const maxText = decimalText(1_000_000 - o.tickMicros);

  // Price: usdc ÷ shares, compared exactly (price × shares in micros²).
  const scaled = BigInt(usdc) * ONE;
  const perTick = tick * BigInt(shares);
  if (market) {
    // The client floors the side it computes (BUY: shares, SELL: USDC to 4 decimals), so the ratio sits a
    // hair off the price it was signed at (10 / 19.2307 = 0.5200019): round it back to the tick, down for
    // a BUY and up for a SELL.
    const ticks = o.side === 'BUY' ? scaled / perTick : (scaled + perTick - 1n) / perTick;
    const price = Number(ticks * tick);
    if (price < o.tickMicros || price > 1_000_000 - o.tickMicros)
      out.push({ code: 'price_range', message: `invalid price (${decimalText(price)}), min: ${minText} - max: ${maxText}` });
  } else {
    // A limit order names its price exactly: one tick at least, one tick below $1 at most, whole ticks.
    const shown = String(usdc / shares);
    if (scaled < perTick || scaled > (ONE - tick) * BigInt(shares))
      out.push({ code: 'price_range', message: `invalid price (${shown}), min: ${minText} - max: ${maxText}` });
    if (scaled % perTick !== 0n)
      out.push({ code: 'tick', message: `order ${o.orderId} is invalid. Price (${shown}) breaks minimum tick size rule: ${minText}` });
  }

  // Decimals of each signed amount.
  const makerDecimals = market ? MARKET_MAKER_DECIMALS : o.side === 'BUY' ? amountDecimals : SHARE_DECIMALS;
  const takerDecimals = market ? MARKET_TAKER_DECIMALS : o.side === 'BUY' ? SHARE_DECIMALS : amountDecimals;
  if (!hasAtMostDecimals(maker, makerDecimals) || !hasAtMostDecimals(taker, takerDecimals)) {
    const kind = `${market ? 'market ' : ''}${o.side === 'BUY' ? 'buy' : 'sell'}`;
    out.push({
      code: 'precision',
      message: `invalid amounts, the ${kind} orders maker amount supports a max accuracy of ${makerDecimals} decimals, taker amount a max of ${takerDecimals} decimals`,
    });
  }

  // Minimums.
  if (!market && shares < o.minOrderSizeMicros) {
    out.push({
      code: 'min_size',
      message: `order ${o.orderId} is invalid. Size (${decimalText(shares)}) lower than the minimum: ${decimalText(o.minOrderSizeMicros)}`,
    });
  }
  if (market && o.side === 'BUY' && usdc < MIN_MARKET_BUY_MICROS) {
    out.push({
      code: 'min_market_buy',
      message: `invalid amount for a marketable BUY order ($${decimalText(usdc)}), min size: $${decimalText(MIN_MARKET_BUY_MICROS)}`,
    });
  }

  // GTD expiration: at least a minute ahead.
  if (o.type === 'GTD' && (o.expirationSec <= 0 || o.expirationSec * 1000 < o.nowMs + GTD_THRESHOLD_MS)) {
    out.push({ code: 'expiration', message: 'invalid expiration' });
  }
  return out;
}

/** The first rule the order breaks, or what matching needs to know about it. */
export function checkWireOrder(o: WireOrderInput): { ok: true; order: AcceptedOrder } | { ok: false; violation: RuleViolation } {
  const [first] = orderRuleViolations(o);
  if (first) return { ok: false, violation: first };
  const shares = o.side === 'BUY' ? o.takerAmountMicros : o.makerAmountMicros;
  const usdc = o.side === 'BUY' ? o.makerAmountMicros : o.takerAmountMicros;
  const market = o.type === 'FOK' || o.type === 'FAK';
  const exact = (BigInt(usdc) * ONE) / BigInt(shares);
  return { ok: true, order: { priceMicros: Number(exact), sharesMicros: shares, usdcMicros: usdc, market } };
}
