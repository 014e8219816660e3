/** Builds the read-only StrategyContext a strategy instance sees (src/strategy/api.ts). */
import type { StrategyContext, PositionView } from '../strategy/api.ts';
import type { Engine } from './engine.ts';
import type { StrategyInstance } from '../strategy/strategy-instance.ts';

export function buildContext(engine: Engine, strategy: StrategyInstance): StrategyContext {
  const ledger = () => engine.portfolio.strategy(strategy.id);
  const view = (tokenId: string): PositionView => ({
    tokenId,
    sizeMicros: ledger().size(tokenId),
    avgPriceMicros: ledger().avgPrice(tokenId),
  });
  return {
    id: strategy.id,
    clock: engine.clock,
    random: () => engine.ids.random(),
    market: (id) => engine.markets.byTokenId(id) ?? engine.markets.byConditionId(id),
    oppositeToken: (tokenId) => engine.markets.oppositeToken(tokenId),
    book: (tokenId) => engine.books.view(tokenId),
    position: view,
    positions: () =>
      ledger()
        .open()
        .map((p) => view(p.tokenId)),
    targetPosition: (wallet, tokenId) => engine.targets.position(wallet, tokenId),
    targetPortfolioValue: (wallet) => engine.targets.portfolioValue(wallet),
    equityMicros: () => engine.portfolio.equityMicros(),
    cashMicros: () => engine.portfolio.total.cashMicros,
    openOrders: () => engine.openOrders().filter((o) => o.strategyId === strategy.id),
    // The timer's tag travels as the event's timerId; the engine hands it back to onTimer.
    setTimer: (atMs, tag) =>
      engine.clock.setTimer(atMs, (firedAt) =>
        engine.handle({ type: 'timer', timerId: tag, owner: strategy.id, tsEvent: firedAt, tsRecv: firedAt }),
      ),
    log: (message) =>
      engine.emitAlert({ tsMs: engine.clock.now(), level: 'info', code: 'strategy_log', message: `${strategy.id}: ${message}` }),
  };
}
