/** The engine as the TUI and CLI see and steer it (EngineView + EngineCommands). */
import type { EngineCommands, EngineView, FeedHealth, Mode, PositionRow, StrategyStatus } from '../core/control.ts';
import { mulDiv } from '../core/money.ts';
import type { CheckResult, EquityPoint } from '../core/ports.ts';
import type { Order, RiskState } from '../core/types.ts';
import type { Engine } from './engine.ts';
import { MULTIPLIER_KNOB } from '../strategy/api.ts';

export class EngineControl implements EngineView, EngineCommands {
  /** Live modes plug their feed health in here. */
  feedHealthSource: () => FeedHealth[] = () => [];
  /** Live mode plugs position resync in here. */
  resyncHandler: () => void = () => {};

  constructor(
    private readonly engine: Engine,
    readonly mode: Mode,
  ) {}

  nowMs(): number {
    return this.engine.clock.now();
  }

  riskState(): RiskState {
    return this.engine.risk.state();
  }

  equity(): EquityPoint {
    return this.engine.portfolio.equityPoint(this.engine.clock.now());
  }

  /** Equity at the start of today in the risk time zone (the same day the daily-loss limit counts). */
  dayStartEquityMicros(): number {
    return this.engine.risk.day(this.engine.clock.now()).dayStartEquityMicros ?? this.engine.portfolio.equityMicros();
  }

  peakEquityMicros(): number {
    return this.engine.portfolio.peakEquityMicros();
  }

  positions(): PositionRow[] {
    const { portfolio, markets, strategies, targets } = this.engine;
    return portfolio.total
      .all()
      .filter((p) => p.sizeMicros > 0 || p.settled || p.realizedMicros !== 0)
      .map((p) => {
        const market = markets.byTokenId(p.tokenId);
        const mark = portfolio.mark(p.tokenId);
        const holders = strategies
          .map((s) => {
            const size = portfolio.strategy(s.id).size(p.tokenId);
            const wallet = s.wallets.length === 1 ? s.wallets[0] : undefined;
            return {
              strategyId: s.id,
              sizeMicros: size,
              targetWallet: wallet,
              targetSizeMicros: wallet ? targets.position(wallet, p.tokenId) : undefined,
            };
          })
          .filter((h) => h.sizeMicros > 0 || (h.targetSizeMicros ?? 0) > 0);
        const markValue = mark === undefined ? p.costMicros : mulDiv(p.sizeMicros, mark, 1_000_000);
        return {
          tokenId: p.tokenId,
          conditionId: p.conditionId,
          outcome: market?.tokens.find((t) => t.tokenId === p.tokenId)?.outcome ?? '?',
          title: market?.question ?? market?.slug,
          sizeMicros: p.sizeMicros,
          avgPriceMicros: portfolio.total.avgPrice(p.tokenId),
          markMicros: mark,
          unrealizedMicros: markValue - p.costMicros,
          realizedMicros: p.realizedMicros,
          settled: p.settled,
          holders,
        };
      });
  }

  openOrders(): Order[] {
    return this.engine.openOrders();
  }

  strategies(): StrategyStatus[] {
    const { portfolio } = this.engine;
    return this.engine.strategies.map((s) => {
      const ledger = portfolio.strategy(s.id);
      const counts = this.engine.decisionCounts(s.id);
      return {
        id: s.id,
        name: s.definition.name,
        kind: s.definition.kind,
        paused: s.paused,
        pausedReason: s.pausedReason,
        wallets: [...s.wallets],
        multiplier: s.knob(MULTIPLIER_KNOB),
        knobs: s.knobs(),
        copies: counts.copies,
        skips: counts.skips,
        realizedMicros: ledger.realizedMicros,
        unrealizedMicros: ledger.unrealized(portfolio.mark),
        feesMicros: ledger.feesMicros,
      };
    });
  }

  riskUsage(): CheckResult[] {
    const account = this.engine.portfolio.view(() => []);
    return this.engine.risk.usage(account, this.engine.clock.now());
  }

  feedHealth(): FeedHealth[] {
    return this.feedHealthSource();
  }

  pauseAll(reason: string): void {
    this.engine.risk.setState('paused', reason);
    this.engine.emitRiskState(reason);
  }

  resumeAll(): void {
    if (this.engine.risk.state() === 'halted') return; // a halt is lifted only by a restart, on purpose
    this.engine.risk.setState('active', 'resumed by user');
    this.engine.emitRiskState('resumed by user');
  }

  pauseStrategy(id: string, reason: string): void {
    this.engine.strategy(id)?.pause(reason);
  }

  resumeStrategy(id: string): void {
    this.engine.strategy(id)?.resume();
  }

  setMultiplier(id: string, multiplier: number): number {
    return this.setKnob(id, MULTIPLIER_KNOB, multiplier);
  }

  setKnob(id: string, knob: string, value: number): number {
    const strategy = this.engine.strategy(id);
    if (!strategy) throw new RangeError(`no strategy ${id} in this run`);
    return strategy.setKnob(knob, value);
  }

  killSwitch(reason: string): void {
    this.engine.risk.halt(reason);
    this.engine.venue.cancelAll(`kill switch: ${reason}`);
    this.engine.emitAlert({
      tsMs: this.engine.clock.now(),
      level: 'critical',
      code: 'kill_switch',
      message: `kill switch: ${reason}; all orders cancelled, trading halted`,
    });
    this.engine.emitRiskState(reason);
  }

  cancelOrder(clientOrderId: string): void {
    this.engine.venue.cancel(clientOrderId, 'cancelled by user');
  }

  resync(): void {
    this.resyncHandler();
  }
}
