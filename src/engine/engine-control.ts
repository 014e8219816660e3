/**
 * The engine as the TUI, the CLI (and later a control API) see and steer it: snapshots to read
 * (EngineView) and commands to give (EngineCommands). It is handed the pieces it reads and the few
 * engine actions it may trigger, never the engine itself.
 */
import type { Clock } from '../core/clock.ts';
import type {
  EngineCommands,
  EngineSnapshot,
  EngineStats,
  EngineView,
  FeedHealth,
  Mode,
  PositionRow,
  StrategyStatus,
} from '../core/control.ts';
import type { MarketRegistry } from '../core/market-registry.ts';
import { mulDiv } from '../core/money.ts';
import type { Alert, Venue } from '../core/ports.ts';
import type { TargetBook } from '../core/target-book.ts';
import type { RiskManager } from '../risk/risk-manager.ts';
import { MULTIPLIER_KNOB } from '../strategy/api.ts';
import type { StrategyInstance } from '../strategy/strategy-instance.ts';
import type { DecisionCounts } from './order-flow.ts';
import { PendingTotals } from './working-orders.ts';
import type { Portfolio } from './portfolio.ts';

export interface ControlDeps {
  mode: Mode;
  clock: Clock;
  risk: RiskManager;
  portfolio: Pick<Portfolio, 'total' | 'strategy' | 'mark' | 'equityPoint' | 'equityMicros' | 'peakEquityMicros' | 'view'>;
  markets: Pick<MarketRegistry, 'byTokenId'>;
  targets: Pick<TargetBook, 'position'>;
  strategies: readonly StrategyInstance[];
  venue: Pick<Venue, 'cancel' | 'cancelAll' | 'openOrders'>;
  stats: Readonly<EngineStats>;
  decisionCounts(strategyId: string): DecisionCounts;
  emitAlert(alert: Alert): void;
  emitRiskState(reason: string): void;
  /** Live and paper: the feeds' health rows. */
  feedHealth?: () => FeedHealth[];
  /** Live: check positions against the venue and the Data API now (the TUI's `r`). */
  resync?: () => void;
}

export class EngineControl implements EngineView, EngineCommands {
  readonly mode: Mode;

  constructor(private readonly deps: ControlDeps) {
    this.mode = deps.mode;
  }

  snapshot(): EngineSnapshot {
    const { clock, risk, portfolio } = this.deps;
    const nowMs = clock.now();
    const equity = portfolio.equityPoint(nowMs);
    return Object.freeze({
      mode: this.mode,
      nowMs,
      riskState: risk.state(),
      riskReason: risk.stateReason(),
      equity,
      dayStartEquityMicros: risk.day(nowMs).dayStartEquityMicros ?? equity.equityMicros,
      peakEquityMicros: portfolio.peakEquityMicros(),
      startCashMicros: portfolio.total.startCashMicros,
      positions: this.positions(),
      openOrders: this.deps.venue.openOrders(),
      strategies: this.strategies(),
      riskUsage: risk.usage(portfolio.view(new PendingTotals()), nowMs),
      feedHealth: this.deps.feedHealth?.() ?? [],
      stats: { ...this.deps.stats },
    });
  }

  private positions(): PositionRow[] {
    const { portfolio, markets, strategies, targets } = this.deps;
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

  private strategies(): StrategyStatus[] {
    const { portfolio } = this.deps;
    return this.deps.strategies.map((s) => {
      const ledger = portfolio.strategy(s.id);
      const counts = this.deps.decisionCounts(s.id);
      return {
        id: s.id,
        name: s.definition.name,
        kind: s.definition.kind,
        paused: s.paused,
        pausedReason: s.pausedReason,
        ...(s.stopped ? { stopped: true } : {}),
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

  pauseAll(reason: string): void {
    this.deps.risk.setState('paused', reason);
    this.deps.emitRiskState(reason);
  }

  resumeAll(): void {
    if (this.deps.risk.state() === 'halted') return; // a halt is lifted only by a restart, on purpose
    this.deps.risk.setState('active', 'resumed by user');
    this.deps.emitRiskState('resumed by user');
  }

  pauseStrategy(id: string, reason: string): void {
    this.strategy(id)?.pause(reason);
  }

  resumeStrategy(id: string): void {
    this.strategy(id)?.resume();
  }

  setMultiplier(id: string, multiplier: number): number {
    return this.setKnob(id, MULTIPLIER_KNOB, multiplier);
  }

  setKnob(id: string, knob: string, value: number): number {
    const strategy = this.strategy(id);
    if (!strategy) throw new RangeError(`no strategy ${id} in this run`);
    return strategy.setKnob(knob, value);
  }

  killSwitch(reason: string): void {
    this.deps.risk.halt(reason);
    this.deps.venue.cancelAll(`kill switch: ${reason}`);
    this.deps.emitAlert({
      tsMs: this.deps.clock.now(),
      level: 'critical',
      code: 'kill_switch',
      message: `kill switch: ${reason}; all orders cancelled, trading halted`,
    });
    this.deps.emitRiskState(reason);
  }

  cancelOrder(clientOrderId: string): void {
    this.deps.venue.cancel(clientOrderId, 'cancelled by user');
  }

  resync(): void {
    this.deps.resync?.();
  }

  private strategy(id: string): StrategyInstance | undefined {
    return this.deps.strategies.find((s) => s.id === id);
  }
}
