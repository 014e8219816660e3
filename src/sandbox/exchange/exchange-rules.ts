/**
 * Server-side order validation of the sandbox exchange: tick, minimum size, amount precision, price
 * range, GTD expiration. Error texts are the real CLOB's (polymarket-api.md §5.6/§5.7); the rule
 * checks themselves come from the shared module src/polymarket/order-rules.ts.
 */
import type { Side } from '../../core/types.ts';
import { checkOrderForExchange } from '../../polymarket/order-rules.ts';
import type { SandboxOrderType } from './types.ts';
import { plainDecimal } from '../../polymarket/rules-precision.ts';

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
  priceRange: (price: string, min: string, max: string) => `invalid price (${price}), min: ${min} - max: ${max}`, // the SDK's own text
  unauthorized: 'Unauthorized/Invalid api key',
  invalidL1: 'Invalid L1 Request headers',
  cancelOnly: 'Trading is currently cancel-only. New orders are not accepted, but cancels are allowed.',
  tradingDisabled: 'Trading is currently disabled. Check polymarket.com for updates',
  postOnlyMode: 'post-only mode: only post-only orders and cancels are allowed',
} as const;

/** Micros → shortest decimal text ("0.5", "19.2307", "5"), as the exchange prints numbers. */
export const microsText = plainDecimal;

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

/**
 * Checks one order against the exchange rules (the shared module, src/polymarket/order-rules.ts, so the
 * sandbox, the sim and the live pre-checks agree on every text), then derives what matching needs.
 */
export function checkOrder(o: OrderCheckInput): OrderCheck {
  const { makerAmountMicros: maker, takerAmountMicros: taker } = o;
  if (!(maker > 0) || !(taker > 0) || !Number.isSafeInteger(maker) || !Number.isSafeInteger(taker))
    return { ok: false, error: CLOB_ERRORS.payload };
  const violation = checkOrderForExchange(
    { side: o.side, type: o.type, makerAmountMicros: maker, takerAmountMicros: taker, expirationSec: o.expirationSec },
    { conditionId: '', tokens: [], negRisk: false, tickMicros: o.tickMicros, minOrderSizeMicros: o.minOrderSizeMicros },
    { orderId: o.orderId, nowMs: o.nowMs },
  );
  if (violation) return { ok: false, error: violation.message };
  const usdc = o.side === 'BUY' ? maker : taker;
  const shares = o.side === 'BUY' ? taker : maker;
  const priceMicros = Number((BigInt(usdc) * 1_000_000n) / BigInt(shares));
  const market = o.type === 'FOK' || o.type === 'FAK';
  if (market && o.side === 'BUY') return { ok: true, priceMicros, sizeMicros: 0, budgetMicros: maker };
  return { ok: true, priceMicros, sizeMicros: shares, budgetMicros: 0 };
}
