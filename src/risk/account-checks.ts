/**
 * Checks against what we already hold: holdings for SELLs, per-market and total exposure, the
 * number of markets, and the cash reserve for BUYs. A SELL never grows exposure (its proceeds do
 * not count), so SELLs pass the growth limits even when a lowered limit is already exceeded.
 */
import { formatMicros, formatUsd, mulDiv, type Micros } from '../core/money.ts';
import type { Order } from '../core/types.ts';
import { check, orderUsdcMicros } from './order-checks.ts';
import type { AccountView, RiskCheck, RiskLimits } from './types.ts';

export const DEFAULT_BALANCE_RESERVE_FACTOR = 1.05;

/** What we hold plus what our unfilled BUYs will add. */
export interface Commitments {
  totalMicros: Micros;
  marketMicros(conditionId: string): Micros;
  markets: ReadonlySet<string>;
}

/** O(pending BUYs) per order: the held markets are copied only when a pending BUY adds a market to them. */
export function commitmentsOf(account: AccountView): Commitments {
  const held = account.marketsHeld();
  const pending = account.pendingBuys?.() ?? [];
  if (pending.length === 0) {
    return { totalMicros: account.totalExposure(), marketMicros: (id) => account.marketExposure(id), markets: held };
  }
  const pendingByMarket = new Map<string, Micros>();
  let pendingTotal = 0;
  let newMarkets = false;
  for (const p of pending) {
    pendingTotal += p.costMicros;
    pendingByMarket.set(p.conditionId, (pendingByMarket.get(p.conditionId) ?? 0) + p.costMicros);
    if (!held.has(p.conditionId)) newMarkets = true;
  }
  let markets = held;
  if (newMarkets) {
    const merged = new Set(held);
    for (const id of pendingByMarket.keys()) merged.add(id);
    markets = merged;
  }
  return {
    totalMicros: account.totalExposure() + pendingTotal,
    marketMicros: (id) => account.marketExposure(id) + (pendingByMarket.get(id) ?? 0),
    markets,
  };
}

export function holdingsCheck(order: Order, account: AccountView): RiskCheck[] {
  if (order.side !== 'SELL') return [];
  const held = account.positionSize(order.tokenId);
  const ok = order.sizeMicros <= held;
  const message = `sell ${formatMicros(order.sizeMicros)} shares ${ok ? '≤' : '>'} ${formatMicros(held)} held`;
  return [check('insufficient_holdings', ok, message, order.sizeMicros, held)];
}

export function exposureChecks(limits: RiskLimits, order: Order, account: AccountView): RiskCheck[] {
  const out: RiskCheck[] = [];
  const buying = order.side === 'BUY';
  const cost = buying ? orderUsdcMicros(order) : 0;
  const committed = commitmentsOf(account);
  if (limits.maxPositionPerMarketUsdcMicros !== undefined) {
    const max = limits.maxPositionPerMarketUsdcMicros;
    const after = committed.marketMicros(order.conditionId) + cost;
    const ok = !buying || after <= max;
    const message = buying
      ? `market position after order ${formatUsd(after)} ${ok ? '≤' : '>'} max ${formatUsd(max)}`
      : 'a SELL does not grow the position';
    out.push(check('max_position_per_market', ok, message, after, max));
  }
  if (limits.maxTotalExposureUsdcMicros !== undefined) {
    const max = limits.maxTotalExposureUsdcMicros;
    const after = committed.totalMicros + cost;
    const ok = !buying || after <= max;
    const message = buying
      ? `total exposure after order ${formatUsd(after)} ${ok ? '≤' : '>'} max ${formatUsd(max)}`
      : 'a SELL does not grow exposure';
    out.push(check('max_total_exposure', ok, message, after, max));
  }
  if (limits.maxMarkets !== undefined) {
    const max = limits.maxMarkets;
    const isNew = buying && !committed.markets.has(order.conditionId);
    const after = committed.markets.size + (isNew ? 1 : 0);
    const ok = !isNew || after <= max;
    const message = isNew
      ? `a new market makes ${after} ${ok ? '≤' : '>'} max ${max}`
      : `market already held (${committed.markets.size} of max ${max})`;
    out.push(check('max_markets', ok, message, after, max));
  }
  return out;
}

export function balanceCheck(limits: RiskLimits, order: Order, account: AccountView): RiskCheck[] {
  if (limits.balanceReserveFactor === undefined || order.side !== 'BUY') return [];
  const factorPpm = Math.round(limits.balanceReserveFactor * 1_000_000);
  const needed = mulDiv(orderUsdcMicros(order), factorPpm, 1_000_000, 'ceil');
  const cash = account.cashMicros;
  const ok = cash >= needed;
  const message = `cash ${formatUsd(cash)} ${ok ? '≥' : '<'} cost × ${limits.balanceReserveFactor} = ${formatUsd(needed)}`;
  return [check('balance_reserve', ok, message, cash, needed)];
}
