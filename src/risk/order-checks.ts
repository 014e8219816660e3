/**
 * Checks that depend only on the order, the market and the book: allow/block lists and neg-risk
 * (`listChecks`, made at once), and the numbers and sentences of order size, slippage against the
 * target's price and book liquidity/spread (those checks are made in risk-manager.ts `runChecks`).
 * Messages are lazy text (rendered when read), numbers are kept as they are.
 */
import { formatUsd, mulDiv, notional, type Micros } from '../core/money.ts';
import type { OrderBook } from '../core/order-book.ts';
import type { MarketInfo, Order, Side } from '../core/types.ts';
import { checkOf } from './check-record.ts';
import type { RiskCheck, RiskLimits } from './types.ts';

export { check, checkOf } from './check-record.ts';

/** How far from mid resting liquidity still counts, in basis points of mid (500 = 5%). */
export const LIQUIDITY_BAND_BPS = 500;

/** USDC an order moves: what a BUY may spend at most, or what a SELL receives at its limit price. */
export function orderUsdcMicros(order: Order): Micros {
  if (order.side === 'BUY' && order.amountMicros !== undefined) return order.amountMicros;
  return notional(order.sizeMicros, order.priceMicros, order.side === 'BUY' ? 'ceil' : 'floor');
}

/** Lower-cased allow/block lists as sets, made once per list. */
const listSets = new WeakMap<string[], Set<string>>();

function listed(list: string[], a: string | undefined, b?: string): boolean {
  let wanted = listSets.get(list);
  if (!wanted) listSets.set(list, (wanted = new Set(list.map((s) => s.toLowerCase()))));
  return (a !== undefined && wanted.has(a.toLowerCase())) || (b !== undefined && wanted.has(b.toLowerCase()));
}

const allowMarketText = (ok: boolean, name: string) =>
  ok ? `market ${name} is on the allow list` : `market ${name} is not on allowMarkets`;
const blockMarketText = (blocked: boolean, name: string) =>
  blocked ? `market ${name} is on blockMarkets` : `market ${name} is not blocked`;
const allowTokenText = (ok: boolean, token: string) =>
  ok ? `token ${token} is on the allow list` : `token ${token} is not on allowTokens`;
const blockTokenText = (blocked: boolean, token: string) =>
  blocked ? `token ${token} is on blockTokens` : `token ${token} is not blocked`;
const negRiskText = (neg: boolean, name: string) =>
  neg ? `market ${name} is negative-risk and allowNegRisk is false` : 'not a negative-risk market';

export function listChecks(limits: RiskLimits, order: Order, market: MarketInfo, out: RiskCheck[]): void {
  const name = market.slug ?? market.conditionId;
  if (limits.allowMarkets) {
    const ok = listed(limits.allowMarkets, market.conditionId, market.slug);
    out.push(checkOf('market_not_allowed', ok, undefined, undefined, allowMarketText, ok, name));
  }
  if (limits.blockMarkets) {
    const blocked = listed(limits.blockMarkets, market.conditionId, market.slug);
    out.push(checkOf('market_blocked', !blocked, undefined, undefined, blockMarketText, blocked, name));
  }
  if (limits.allowTokens) {
    const ok = listed(limits.allowTokens, order.tokenId);
    out.push(checkOf('token_not_allowed', ok, undefined, undefined, allowTokenText, ok, order.tokenId));
  }
  if (limits.blockTokens) {
    const blocked = listed(limits.blockTokens, order.tokenId);
    out.push(checkOf('token_blocked', !blocked, undefined, undefined, blockTokenText, blocked, order.tokenId));
  }
  if (limits.allowNegRisk === false) {
    out.push(checkOf('neg_risk_blocked', !market.negRisk, undefined, undefined, negRiskText, market.negRisk, name));
  }
}

export const minOrderText = (usdc: Micros, min: Micros) => `order ${formatUsd(usdc)} ${usdc >= min ? '≥' : '<'} minimum ${formatUsd(min)}`;
export const maxOrderText = (usdc: Micros, max: Micros) => `order ${formatUsd(usdc)} ${usdc <= max ? '≤' : '>'} maximum ${formatUsd(max)}`;

/** Adverse distance of our limit price from the target's price, in bps (rounded up, 0 when better). */
export function adverseSlippageBps(order: Order): number | undefined {
  const ref = order.referencePriceMicros;
  if (ref === undefined || ref <= 0) return undefined;
  const adverse = order.side === 'BUY' ? order.priceMicros - ref : ref - order.priceMicros;
  return adverse <= 0 ? 0 : mulDiv(adverse, 10_000, ref, 'ceil');
}

/** A check's sentence when the order has no target price to measure slippage against. */
export const NO_SLIPPAGE_REF = 'no target price to compare with; slippage not checked';
export const slippageText = (price: Micros, ref: Micros, bps: number, max: number) =>
  `limit ${price / 1e6} vs target ${ref / 1e6}: ${bps} bps adverse ${bps <= max ? '≤' : '>'} max ${max} bps`;

/** USDC resting within the liquidity band around mid on the side an order on `side` would take. */
export function liquidityNearMidMicros(book: OrderBook, side: Order['side']): Micros {
  const mid = book.midMicros();
  if (mid === undefined) return 0;
  const band = mulDiv(mid, LIQUIDITY_BAND_BPS, 10_000, 'floor');
  const levels = book.oppositeLevels(side);
  let total = 0;
  for (let i = 0; i < levels.length; i++) {
    const level = levels[i]!;
    if (Math.abs(level.priceMicros - mid) > band) break; // levels are best first: the rest are further out
    total += notional(level.sizeMicros, level.priceMicros, 'floor');
  }
  return total;
}

export const liquidityText = (have: Micros, min: Micros, side: Side) =>
  `${formatUsd(have)} of ${side === 'BUY' ? 'asks' : 'bids'} within 5% of mid ${have >= min ? '≥' : '<'} minimum ${formatUsd(min)}`;
export const noBookText = (token: string) => `no order book for token ${token}; liquidity unknown`;
export const noSpreadText = (token: string) => `no two-sided book for token ${token}; spread unknown`;
export const spreadText = (spread: Micros, max: Micros) => `spread ${spread / 1e6} ${spread <= max ? '≤' : '>'} max ${max / 1e6}`;
