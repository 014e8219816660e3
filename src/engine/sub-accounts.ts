/**
 * Sub-accounts on one wallet: a small group shares an operator's wallet, each member with their own
 * strategies, virtual balance, positions and PnL. The engine already books every fill twice — into
 * the wallet's ledger and into the ledger of the strategy that ordered it — so a sub-account is the
 * set of strategies whose id starts with `<sub>/`, and its book is the sum of their ledgers plus the
 * deposits and withdrawals an admin recorded. The split is exact by construction: each fill belongs
 * to exactly one strategy, so cash, fees and shares of the sub-accounts (and of the pool's own
 * strategies, sub `''`) add up to the wallet's to the micro. One exception, kept visible: a 50/50
 * resolution pays half a micro-share per ledger, rounded in each, so the wallet's payout and the sum
 * of its members' can differ by a micro or two; that remainder is the pool's (`roundingMicros` of
 * sub `''`), never silently spread. Order flow caps a SELL at the ordering
 * strategy's own holdings, so one member can never sell another's shares.
 */
import type { Micros } from '../core/money.ts';
import type { PortfolioReader } from './portfolio.ts';

export const SUB_ACCOUNT_SEPARATOR = '/';

/** The sub-account a strategy belongs to (`ann/mirror@0x11…` → `ann`), or `''` for the pool's own. */
export function subAccountOf(strategyId: string): string {
  const at = strategyId.indexOf(SUB_ACCOUNT_SEPARATOR);
  return at > 0 ? strategyId.slice(0, at) : '';
}

export interface SubAccountBook {
  account: string;
  strategies: string[];
  /** Net cash from its fills (sells and payouts in, buys and fees out); its balance is deposits + this. */
  tradeCashMicros: Micros;
  feesMicros: Micros;
  /** Realized against this sub-account's own average cost (not the wallet's blended one). */
  realizedMicros: Micros;
  unrealizedMicros: Micros;
  /** Shares held, by token. */
  sizes: Record<string, Micros>;
  /** Pool only: the wallet's cash minus its members' (payout rounding at 50/50 resolutions); included in tradeCashMicros. */
  roundingMicros: Micros;
}

/** Each sub-account's share of the wallet, from the per-strategy ledgers. */
export function splitBySubAccount(portfolio: PortfolioReader, strategyIds: readonly string[]): Map<string, SubAccountBook> {
  const books = new Map<string, SubAccountBook>();
  for (const id of strategyIds) {
    const account = subAccountOf(id);
    let book = books.get(account);
    if (!book) {
      book = emptyBook(account);
      books.set(account, book);
    }
    const ledger = portfolio.strategy(id);
    book.strategies.push(id);
    book.tradeCashMicros += ledger.cashMicros - ledger.startCashMicros;
    book.feesMicros += ledger.feesMicros;
    book.realizedMicros += ledger.realizedMicros;
    book.unrealizedMicros += ledger.unrealized(portfolio.mark);
    for (const p of ledger.open()) book.sizes[p.tokenId] = (book.sizes[p.tokenId] ?? 0) + p.sizeMicros;
  }
  const pool = books.get('') ?? emptyBook('');
  books.set('', pool);
  let members = 0;
  for (const b of books.values()) members += b.tradeCashMicros;
  pool.roundingMicros = portfolio.total.cashMicros - portfolio.total.startCashMicros - members;
  pool.tradeCashMicros += pool.roundingMicros;
  pool.realizedMicros += pool.roundingMicros;
  return books;
}

function emptyBook(account: string): SubAccountBook {
  return {
    account,
    strategies: [],
    tradeCashMicros: 0,
    feesMicros: 0,
    realizedMicros: 0,
    unrealizedMicros: 0,
    sizes: {},
    roundingMicros: 0,
  };
}
