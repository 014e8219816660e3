/**
 * Server-side order validation of the sandbox exchange: tick, minimum size, amount precision, price
 * range, GTD expiration, and the CLOB's error texts (polymarket-api.md §5.6/§5.7). The rules are the
 * sandbox's own (./order-rules.ts), not the client's: a shared bug could not show otherwise.
 */
import type { Side } from '../../core/types.ts';
import { checkWireOrder, decimalText } from './order-rules.ts';
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
  priceRange: (price: string, min: string, max: string) => `invalid price (${price}), min: ${min} - max: ${max}`, // the SDK's own text
  unauthorized: 'Unauthorized/Invalid api key',
  invalidL1: 'Invalid L1 Request headers',
  cancelOnly: 'Trading is currently cancel-only. New orders are not accepted, but cancels are allowed.',
  tradingDisabled: 'Trading is currently disabled. Check polymarket.com for updates',
  postOnlyMode: 'post-only mode: only post-only orders and cancels are allowed',
} as const;

/** Micros → shortest decimal text ("0.5", "19.2307", "5"), as the exchange prints numbers. */
export const microsText = decimalText;

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

/** Checks one order against the exchange's rules (./order-rules.ts), then derives what matching needs. */
export function checkOrder(o: OrderCheckInput): OrderCheck {
  const check = checkWireOrder({
    orderId: o.orderId,
    side: o.side,
    type: o.type,
    makerAmountMicros: o.makerAmountMicros,
    takerAmountMicros: o.takerAmountMicros,
    expirationSec: o.expirationSec,
    tickMicros: o.tickMicros,
    minOrderSizeMicros: o.minOrderSizeMicros,
    nowMs: o.nowMs,
  });
  if (!check.ok) return { ok: false, error: check.violation.message };
  const { priceMicros, sharesMicros, usdcMicros, market } = check.order;
  if (market && o.side === 'BUY') return { ok: true, priceMicros, sizeMicros: 0, budgetMicros: usdcMicros };
  return { ok: true, priceMicros, sizeMicros: sharesMicros, budgetMicros: 0 };
}
