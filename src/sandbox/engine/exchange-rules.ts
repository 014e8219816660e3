/**
 * Server-side order validation of the sandbox exchange: tick, minimum size, amount precision, price
 * range, GTD expiration. Error texts are the real CLOB's (polymarket-api.md §5.6/§5.7). Kept in one
 * file so it can be swapped for the shared rules module (src/polymarket/order-rules.ts) once that exists.
 */
import type { Side } from '../../core/types.ts';
import type { SandboxOrderType } from './types.ts';

/** Real CLOB error texts (those marked GUESS are not documented verbatim anywhere we could read). */
export const CLOB_ERRORS = {
  balance: 'not enough balance / allowance',
  tick: (id: string, price: string, tick: string) => `order ${id} is invalid. Price (${price}) breaks minimum tick size rule: ${tick}`,
  minSize: (id: string, size: string, min: string) => `order ${id} is invalid. Size (${size}) lower than the minimum: ${min}`,
  duplicated: (id: string) => `order ${id} is invalid. Duplicated.`,
  precision: (market: boolean, side: Side, makerDp: number, takerDp: number) =>
    `invalid amounts, the ${market ? 'market ' : ''}${side === 'BUY' ? 'buy' : 'sell'} orders maker amount supports a max accuracy of ${makerDp} decimals, taker amount a max of ${takerDp} decimals`,
  expiration: 'invalid expiration',
  fokNoMatch: 'no orders found to match with FOK order. FOK orders are fully filled or killed.',
  fokPartial: "order couldn't be fully filled. FOK orders are fully filled or killed.",
  fakNoMatch: 'no orders found to match with FAK order. FAK orders are partially filled or killed if no match is found.',
  postOnlyCross: 'invalid post-only order: order crosses book',
  postOnlyMarket: 'invalid post-only order: only GTC and GTD orders can be post-only', // GUESS
  notReady: 'the market is not yet ready to process new orders',
  ownerMismatch: 'the order owner has to be the owner of the API KEY',
  signerMismatch: 'the order signer address has to be the address of the API KEY',
  signature: 'invalid signature',
  payload: 'Invalid order payload',
  marketMin: (amount: string) => `invalid market buy order amount (${amount}), min: 1`, // GUESS: $1 minimum is documented, the text is not
  priceRange: (price: string, min: string, max: string) => `invalid price (${price}), min: ${min} - max: ${max}`, // the SDK's own text
  unauthorized: 'Unauthorized/Invalid api key',
  invalidL1: 'Invalid L1 Request headers',
  cancelOnly: 'Trading is currently cancel-only. New orders are not accepted, but cancels are allowed.',
  tradingDisabled: 'Trading is currently disabled. Check polymarket.com for updates',
  postOnlyMode: 'post-only mode: only post-only orders and cancels are allowed',
} as const;

/** Decimals allowed per tick (ROUNDING_CONFIG of the SDK): price, size, amount. */
export const ROUNDING: Record<string, { price: number; size: number; amount: number }> = {
  '0.1': { price: 1, size: 2, amount: 3 },
  '0.01': { price: 2, size: 2, amount: 4 },
  '0.005': { price: 3, size: 2, amount: 5 },
  '0.0025': { price: 4, size: 2, amount: 6 },
  '0.001': { price: 3, size: 2, amount: 5 },
  '0.0001': { price: 4, size: 2, amount: 6 },
};

/** Number of decimals a micro amount needs (0..6). */
export function decimalsOf(micros: number): number {
  let dp = 6;
  let v = Math.abs(micros);
  while (dp > 0 && v % 10 === 0) {
    v /= 10;
    dp -= 1;
  }
  return dp;
}

/** Micros → shortest decimal text ("0.5", "19.2307", "5"). */
export function microsText(micros: number): string {
  const sign = micros < 0 ? '-' : '';
  const abs = Math.abs(micros);
  const whole = Math.floor(abs / 1_000_000);
  const frac = String(abs % 1_000_000).padStart(6, '0').replace(/0+$/, '');
  return `${sign}${whole}${frac ? '.' + frac : ''}`;
}

export function tickText(tickMicros: number): string {
  return microsText(tickMicros);
}

export interface OrderCheckInput {
  orderId: string;
  side: Side;
  type: SandboxOrderType;
  makerAmountMicros: number;
  takerAmountMicros: number;
  tickMicros: number;
  minOrderSizeMicros: number;
  expirationSec: number;
  nowMs: number;
}

export type OrderCheck =
  | {
      ok: true;
      /** Limit price in micros (for market BUYs the rounded-down ratio, used only for display). */
      priceMicros: number;
      /** Shares for every order except market BUYs. */
      sizeMicros: number;
      /** USDC budget of a market BUY (FOK/FAK), else 0. */
      budgetMicros: number;
    }
  | { ok: false; error: string };

/** Checks one order against the exchange rules; the first violated rule wins. */
export function checkOrder(o: OrderCheckInput): OrderCheck {
  const { makerAmountMicros: maker, takerAmountMicros: taker } = o;
  if (!(maker > 0) || !(taker > 0)) return { ok: false, error: CLOB_ERRORS.payload };
  const market = o.type === 'FOK' || o.type === 'FAK';
  const tick = tickText(o.tickMicros);
  const cfg = ROUNDING[tick] ?? ROUNDING['0.01']!;

  const makerDp = market ? 2 : o.side === 'BUY' ? cfg.amount : cfg.size;
  const takerDp = market ? 4 : o.side === 'BUY' ? cfg.size : cfg.amount;
  if (decimalsOf(maker) > makerDp || decimalsOf(taker) > takerDp) {
    return { ok: false, error: CLOB_ERRORS.precision(market, o.side, makerDp, takerDp) };
  }

  const usdc = o.side === 'BUY' ? maker : taker;
  const shares = o.side === 'BUY' ? taker : maker;
  // Exact ratio test for the tick: price = usdc/shares must be k·tick, i.e. usdc·1e6 = k·tick·shares.
  const priceExact = (BigInt(usdc) * 1_000_000n) % BigInt(shares) === 0n;
  const priceMicros = Number((BigInt(usdc) * 1_000_000n) / BigInt(shares));
  if (!market) {
    if (!priceExact || priceMicros % o.tickMicros !== 0) {
      const shown = priceExact ? microsText(priceMicros) : (Number(usdc) / Number(shares)).toString();
      return { ok: false, error: CLOB_ERRORS.tick(o.orderId, shown, tick) };
    }
    if (priceMicros < o.tickMicros || priceMicros > 1_000_000 - o.tickMicros) {
      return { ok: false, error: CLOB_ERRORS.tick(o.orderId, microsText(priceMicros), tick) };
    }
    if (shares < o.minOrderSizeMicros) {
      return { ok: false, error: CLOB_ERRORS.minSize(o.orderId, microsText(shares), microsText(o.minOrderSizeMicros)) };
    }
    if (o.type === 'GTD') {
      // Docs: "security threshold of one minute" — an expiration must be at least a minute away.
      if (!(o.expirationSec > 0) || o.expirationSec * 1000 < o.nowMs + 60_000) return { ok: false, error: CLOB_ERRORS.expiration };
    }
    return { ok: true, priceMicros, sizeMicros: shares, budgetMicros: 0 };
  }
  if (priceMicros <= 0 || priceMicros >= 1_000_000) {
    return { ok: false, error: CLOB_ERRORS.tick(o.orderId, microsText(priceMicros), tick) };
  }
  if (o.side === 'BUY') {
    if (maker < 1_000_000) return { ok: false, error: CLOB_ERRORS.marketMin(microsText(maker)) };
    return { ok: true, priceMicros, sizeMicros: 0, budgetMicros: maker };
  }
  return { ok: true, priceMicros, sizeMicros: shares, budgetMicros: 0 };
}
