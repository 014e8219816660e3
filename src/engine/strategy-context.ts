/** Builds the read-only StrategyContext a strategy instance sees (src/strategy/api.ts). */
import type { Clock } from '../core/clock.ts';
import { MICROS, mulDiv } from '../core/money.ts';
import type { EngineEvent } from '../core/events.ts';
import type { IdSource } from '../core/ids.ts';
import type { MarketRegistry } from '../core/market-registry.ts';
import type { BookRegistry } from '../core/order-book.ts';
import type { Alert } from '../core/ports.ts';
import type { TargetBook } from '../core/target-book.ts';
import type { Order } from '../core/types.ts';
import type { PositionView, StrategyContext } from '../strategy/api.ts';
import type { StrategyInstance } from '../strategy/strategy-instance.ts';
import type { PortfolioReader } from './portfolio.ts';

/** What a strategy's context reads, and the two things it may ask of the engine: a timer event and a log line. */
export interface ContextDeps {
  clock: Clock;
  ids: Pick<IdSource, 'random'>;
  markets: Pick<MarketRegistry, 'byTokenId' | 'byConditionId' | 'oppositeToken'>;
  books: Pick<BookRegistry, 'view'>;
  portfolio: PortfolioReader;
  targets: Pick<TargetBook, 'position' | 'portfolioValue'>;
  openOrders(): Order[];
  handle(event: EngineEvent): void;
  emitAlert(alert: Alert): void;
}

export function buildContext(deps: ContextDeps, strategy: StrategyInstance): StrategyContext {
  const ledger = () => deps.portfolio.strategy(strategy.id);
  // One lookup of the position for both numbers (what `size` and `avgPrice` each looked up): copy strategies read it on every target SELL.
  const view = (tokenId: string): PositionView => {
    const p = ledger().position(tokenId);
    const sizeMicros = p?.sizeMicros ?? 0;
    return { tokenId, sizeMicros, avgPriceMicros: p && sizeMicros > 0 ? mulDiv(p.costMicros, MICROS, sizeMicros) : 0 };
  };
  return {
    id: strategy.id,
    clock: deps.clock,
    random: () => deps.ids.random(),
    market: (id) => deps.markets.byTokenId(id) ?? deps.markets.byConditionId(id),
    oppositeToken: (tokenId) => deps.markets.oppositeToken(tokenId),
    book: (tokenId) => deps.books.view(tokenId),
    position: view,
    positions: () =>
      ledger()
        .open()
        .map((p) => view(p.tokenId)),
    targetPosition: (wallet, tokenId) => deps.targets.position(wallet, tokenId),
    targetPortfolioValue: (wallet) => deps.targets.portfolioValue(wallet),
    equityMicros: () => deps.portfolio.equityMicros(),
    cashMicros: () => deps.portfolio.total.cashMicros,
    openOrders: () => deps.openOrders().filter((o) => o.strategyId === strategy.id),
    // The timer's tag travels as the event's timerId; the engine hands it back to onTimer.
    setTimer: (atMs, tag) =>
      deps.clock.setTimer(atMs, (firedAt) =>
        deps.handle({ type: 'timer', timerId: tag, owner: strategy.id, tsEvent: firedAt, tsRecv: firedAt }),
      ),
    log: (message) =>
      deps.emitAlert({ tsMs: deps.clock.now(), level: 'info', code: 'strategy_log', message: `${strategy.id}: ${message}` }),
  };
}
