/**
 * Checks against what we already hold: holdings for SELLs, per-market and total exposure, the
 * number of markets, and the cash reserve for BUYs. A SELL never grows exposure (its proceeds do
 * not count), so SELLs pass the growth limits even when a lowered limit is already exceeded.
 * Unfilled BUYs count as held: `pendingOf` reads the account's running totals of them.
 */
import { formatMicros, formatUsd, mulDiv, type Micros } from '../core/money.ts';
import type { Order } from '../core/types.ts';
import { check, checkOf, orderUsdcMicros } from './order-checks.ts';
import type { AccountView, PendingBuys, RiskCheck, RiskLimits } from './types.ts';

export const DEFAULT_BALANCE_RESERVE_FACTOR = 1.05;

/** What we hold plus what our unfilled BUYs will add. */
export interface Commitments {
  totalMicros: Micros;
  marketMicros(conditionId: string): Micros;
  markets: ReadonlySet<string>;
}

const NO_PENDING: PendingBuys = { totalMicros: 0, inMarket: () => 0, markets: () => [] };

/** The account's unfilled BUYs: its running totals, or (for a view that lists them) totals made from the list. */
export function pendingOf(account: AccountView): PendingBuys {
  if (account.pending) return account.pending;
  const list = account.pendingBuys?.();
  if (!list || list.length === 0) return NO_PENDING;
  const byMarket = new Map<string, Micros>();
  let total = 0;
  for (const p of list) {
    total += p.costMicros;
    byMarket.set(p.conditionId, (byMarket.get(p.conditionId) ?? 0) + p.costMicros);
  }
  return { totalMicros: total, inMarket: (id) => byMarket.get(id) ?? 0, markets: () => byMarket.keys() };
}

/** Markets held or with a BUY working, without copying the held set unless a BUY adds a market to it. */
function marketsWith(held: ReadonlySet<string>, pending: PendingBuys): ReadonlySet<string> {
  let merged: Set<string> | undefined;
  for (const id of pending.markets()) {
    if (held.has(id) || merged?.has(id)) continue;
    merged ??= new Set(held);
    merged.add(id);
  }
  return merged ?? held;
}

/** Holdings and working BUYs together (the TUI's risk bars). */
export function commitmentsOf(account: AccountView): Commitments {
  const pending = pendingOf(account);
  return {
    totalMicros: account.totalExposure() + pending.totalMicros,
    marketMicros: (id) => account.marketExposure(id) + pending.inMarket(id),
    markets: marketsWith(account.marketsHeld(), pending),
  };
}

const holdingsText = (size: Micros, held: Micros) =>
  `sell ${formatMicros(size)} shares ${size <= held ? '≤' : '>'} ${formatMicros(held)} held`;

export function holdingsCheck(order: Order, account: AccountView, out: RiskCheck[]): void {
  if (order.side !== 'SELL') return;
  const held = account.positionSize(order.tokenId);
  out.push(checkOf('insufficient_holdings', order.sizeMicros <= held, order.sizeMicros, held, holdingsText, order.sizeMicros, held));
}

const marketPositionText = (after: Micros, max: Micros) =>
  `market position after order ${formatUsd(after)} ${after <= max ? '≤' : '>'} max ${formatUsd(max)}`;
const totalExposureText = (after: Micros, max: Micros) =>
  `total exposure after order ${formatUsd(after)} ${after <= max ? '≤' : '>'} max ${formatUsd(max)}`;
const newMarketText = (after: number, max: number) => `a new market makes ${after} ${after <= max ? '≤' : '>'} max ${max}`;
const heldMarketText = (count: number, max: number) => `market already held (${count} of max ${max})`;

export function exposureChecks(limits: RiskLimits, order: Order, account: AccountView, out: RiskCheck[]): void {
  const perMarket = limits.maxPositionPerMarketUsdcMicros;
  const total = limits.maxTotalExposureUsdcMicros;
  const maxMarkets = limits.maxMarkets;
  if (perMarket === undefined && total === undefined && maxMarkets === undefined) return;
  const buying = order.side === 'BUY';
  const cost = buying ? orderUsdcMicros(order) : 0;
  const pending = pendingOf(account);
  if (perMarket !== undefined) {
    const after = account.marketExposure(order.conditionId) + pending.inMarket(order.conditionId) + cost;
    const ok = !buying || after <= perMarket;
    out.push(
      buying
        ? checkOf('max_position_per_market', ok, after, perMarket, marketPositionText, after, perMarket)
        : check('max_position_per_market', ok, 'a SELL does not grow the position', after, perMarket),
    );
  }
  if (total !== undefined) {
    const after = account.totalExposure() + pending.totalMicros + cost;
    const ok = !buying || after <= total;
    out.push(
      buying
        ? checkOf('max_total_exposure', ok, after, total, totalExposureText, after, total)
        : check('max_total_exposure', ok, 'a SELL does not grow exposure', after, total),
    );
  }
  if (maxMarkets !== undefined) {
    const markets = marketsWith(account.marketsHeld(), pending);
    const isNew = buying && !markets.has(order.conditionId);
    const after = markets.size + (isNew ? 1 : 0);
    const ok = !isNew || after <= maxMarkets;
    out.push(
      isNew
        ? checkOf('max_markets', ok, after, maxMarkets, newMarketText, after, maxMarkets)
        : checkOf('max_markets', ok, after, maxMarkets, heldMarketText, markets.size, maxMarkets),
    );
  }
}

const balanceText = (cash: Micros, needed: Micros, factor: number) =>
  `cash ${formatUsd(cash)} ${cash >= needed ? '≥' : '<'} cost × ${factor} = ${formatUsd(needed)}`;

/** Cash must cover a BUY's cost × `factor` (undefined: no reserve check). */
export function balanceCheck(factor: number | undefined, order: Order, account: AccountView, out: RiskCheck[]): void {
  if (factor === undefined || order.side !== 'BUY') return;
  const needed = mulDiv(orderUsdcMicros(order), Math.round(factor * 1_000_000), 1_000_000, 'ceil');
  const cash = account.cashMicros;
  out.push(checkOf('balance_reserve', cash >= needed, cash, needed, balanceText, cash, needed, factor));
}
