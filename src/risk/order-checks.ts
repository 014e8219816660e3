/**
 * Checks that depend only on the order, the market and the book: allow/block lists, neg-risk,
 * order size, slippage against the target's price, and book liquidity/spread.
 */
import { formatUsd, mulDiv, notional, type Micros } from '../core/money.ts';
import type { OrderBook } from '../core/order-book.ts';
import type { ReasonCode } from '../core/reason-codes.ts';
import type { MarketInfo, Order } from '../core/types.ts';
import type { RiskCheck, RiskLimits } from './types.ts';

/** How far from mid resting liquidity still counts, in basis points of mid (500 = 5%). */
export const LIQUIDITY_BAND_BPS = 500;

export function check(code: ReasonCode, passed: boolean, message: string, value?: number, limit?: number): RiskCheck {
  const result: RiskCheck = { code, passed, message };
  if (value !== undefined) result.value = value;
  if (limit !== undefined) result.limit = limit;
  return result;
}

/** USDC an order moves: what a BUY may spend at most, or what a SELL receives at its limit price. */
export function orderUsdcMicros(order: Order): Micros {
  if (order.side === 'BUY' && order.amountMicros !== undefined) return order.amountMicros;
  return notional(order.sizeMicros, order.priceMicros, order.side === 'BUY' ? 'ceil' : 'floor');
}

function listed(list: string[], ...ids: (string | undefined)[]): boolean {
  const wanted = new Set(list.map((s) => s.toLowerCase()));
  return ids.some((id) => id !== undefined && wanted.has(id.toLowerCase()));
}

export function listChecks(limits: RiskLimits, order: Order, market: MarketInfo): RiskCheck[] {
  const out: RiskCheck[] = [];
  const name = market.slug ?? market.conditionId;
  if (limits.allowMarkets) {
    const ok = listed(limits.allowMarkets, market.conditionId, market.slug);
    out.push(check('market_not_allowed', ok, ok ? `market ${name} is on the allow list` : `market ${name} is not on allowMarkets`));
  }
  if (limits.blockMarkets) {
    const blocked = listed(limits.blockMarkets, market.conditionId, market.slug);
    out.push(check('market_blocked', !blocked, blocked ? `market ${name} is on blockMarkets` : `market ${name} is not blocked`));
  }
  if (limits.allowTokens) {
    const ok = listed(limits.allowTokens, order.tokenId);
    out.push(
      check('token_not_allowed', ok, ok ? `token ${order.tokenId} is on the allow list` : `token ${order.tokenId} is not on allowTokens`),
    );
  }
  if (limits.blockTokens) {
    const blocked = listed(limits.blockTokens, order.tokenId);
    out.push(
      check('token_blocked', !blocked, blocked ? `token ${order.tokenId} is on blockTokens` : `token ${order.tokenId} is not blocked`),
    );
  }
  if (limits.allowNegRisk === false) {
    out.push(
      check(
        'neg_risk_blocked',
        !market.negRisk,
        market.negRisk ? `market ${name} is negative-risk and allowNegRisk is false` : 'not a negative-risk market',
      ),
    );
  }
  return out;
}

export function sizeChecks(limits: RiskLimits, order: Order): RiskCheck[] {
  const out: RiskCheck[] = [];
  const usdc = orderUsdcMicros(order);
  if (limits.minOrderUsdcMicros !== undefined) {
    const min = limits.minOrderUsdcMicros;
    out.push(
      check('min_order_usdc', usdc >= min, `order ${formatUsd(usdc)} ${usdc >= min ? '≥' : '<'} minimum ${formatUsd(min)}`, usdc, min),
    );
  }
  if (limits.maxOrderUsdcMicros !== undefined) {
    const max = limits.maxOrderUsdcMicros;
    out.push(
      check('max_order_usdc', usdc <= max, `order ${formatUsd(usdc)} ${usdc <= max ? '≤' : '>'} maximum ${formatUsd(max)}`, usdc, max),
    );
  }
  return out;
}

/** Adverse distance of our limit price from the target's price, in bps (rounded up, 0 when better). */
export function adverseSlippageBps(order: Order): number | undefined {
  const ref = order.referencePriceMicros;
  if (ref === undefined || ref <= 0) return undefined;
  const adverse = order.side === 'BUY' ? order.priceMicros - ref : ref - order.priceMicros;
  return adverse <= 0 ? 0 : mulDiv(adverse, 10_000, ref, 'ceil');
}

export function slippageCheck(limits: RiskLimits, order: Order): RiskCheck[] {
  if (limits.maxSlippageBps === undefined) return [];
  const bps = adverseSlippageBps(order);
  if (bps === undefined)
    return [check('max_slippage', true, 'no target price to compare with; slippage not checked', undefined, limits.maxSlippageBps)];
  const ok = bps <= limits.maxSlippageBps;
  const message = `limit ${order.priceMicros / 1e6} vs target ${order.referencePriceMicros! / 1e6}: ${bps} bps adverse ${ok ? '≤' : '>'} max ${limits.maxSlippageBps} bps`;
  return [check('max_slippage', ok, message, bps, limits.maxSlippageBps)];
}

/** USDC resting within the liquidity band around mid on the side an order on `side` would take. */
export function liquidityNearMidMicros(book: OrderBook, side: Order['side']): Micros {
  const mid = book.midMicros();
  if (mid === undefined) return 0;
  const band = mulDiv(mid, LIQUIDITY_BAND_BPS, 10_000, 'floor');
  let total = 0;
  for (const level of book.oppositeLevels(side)) {
    if (Math.abs(level.priceMicros - mid) > band) break; // levels are best first: the rest are further out
    total += notional(level.sizeMicros, level.priceMicros, 'floor');
  }
  return total;
}

export function bookChecks(limits: RiskLimits, order: Order, book: OrderBook | undefined): RiskCheck[] {
  const out: RiskCheck[] = [];
  if (limits.minLiquidityUsdcMicros !== undefined) {
    const min = limits.minLiquidityUsdcMicros;
    const have = book ? liquidityNearMidMicros(book, order.side) : 0;
    const where = order.side === 'BUY' ? 'asks' : 'bids';
    const message = book
      ? `${formatUsd(have)} of ${where} within 5% of mid ${have >= min ? '≥' : '<'} minimum ${formatUsd(min)}`
      : `no order book for token ${order.tokenId}; liquidity unknown`;
    out.push(check('min_liquidity', book !== undefined && have >= min, message, have, min));
  }
  if (limits.maxSpreadMicros !== undefined) {
    const max = limits.maxSpreadMicros;
    const spread = book?.spreadMicros();
    if (spread === undefined) {
      out.push(check('max_spread', false, `no two-sided book for token ${order.tokenId}; spread unknown`, undefined, max));
    } else {
      out.push(check('max_spread', spread <= max, `spread ${spread / 1e6} ${spread <= max ? '≤' : '>'} max ${max / 1e6}`, spread, max));
    }
  }
  return out;
}
