/**
 * What the checks against our holdings read, and their sentences: holdings for SELLs, per-market and
 * total exposure, the number of markets, and the cash reserve for BUYs (the checks themselves are made
 * in risk-manager.ts `runChecks`). A SELL never grows exposure (its proceeds do not count), so SELLs
 * pass the growth limits even when a lowered limit is already exceeded. Unfilled BUYs count as held:
 * `pendingOf` reads the account's running totals of them.
 */
import { formatMicros, formatUsd, mulDiv, type Micros } from '../core/money.ts';
import type { Order } from '../core/types.ts';
import { orderUsdcMicros } from './order-checks.ts';
import type { AccountView, PendingBuys } from './types.ts';

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
export function marketsWith(held: ReadonlySet<string>, pending: PendingBuys): ReadonlySet<string> {
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

export const holdingsText = (size: Micros, held: Micros) =>
  `sell ${formatMicros(size)} shares ${size <= held ? '≤' : '>'} ${formatMicros(held)} held`;

export const marketPositionText = (after: Micros, max: Micros) =>
  `market position after order ${formatUsd(after)} ${after <= max ? '≤' : '>'} max ${formatUsd(max)}`;
export const totalExposureText = (after: Micros, max: Micros) =>
  `total exposure after order ${formatUsd(after)} ${after <= max ? '≤' : '>'} max ${formatUsd(max)}`;
export const newMarketText = (after: number, max: number) => `a new market makes ${after} ${after <= max ? '≤' : '>'} max ${max}`;
export const heldMarketText = (count: number, max: number) => `market already held (${count} of max ${max})`;

export const balanceText = (cash: Micros, needed: Micros, factor: number) =>
  `cash ${formatUsd(cash)} ${cash >= needed ? '≥' : '<'} cost × ${factor} = ${formatUsd(needed)}`;

/** What cash must cover for a BUY: its cost × `factor`, rounded up. */
export function reserveNeeded(factor: number, order: Order): Micros {
  return mulDiv(orderUsdcMicros(order), Math.round(factor * 1_000_000), 1_000_000, 'ceil');
}
