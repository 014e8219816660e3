/**
 * What the TUI remembers of a session: the feed (target trade → decision → fill), the equity
 * curve, our order events and a log, each in a bounded buffer so memory stays flat over days.
 * It listens to the engine; `snapshot(view)` joins that memory with the engine's live view
 * into one immutable object to render.
 */
import type { EngineEvent, OrderEvent } from '../core/events.ts';
import type { CheckResult, Decision, EngineListener, EquityPoint, Alert } from '../core/ports.ts';
import type { EngineView, FeedHealth, Mode, PositionRow, StrategyStatus } from '../core/control.ts';
import type { Order, RiskState } from '../core/types.ts';
import { EquitySeries } from './equity-series.ts';
import { FeedJournal, type FeedRow } from './feed-journal.ts';
import { RingBuffer } from './ring-buffer.ts';

export type { FeedRow, FillState } from './feed-journal.ts';

export interface LogLine {
  readonly tsMs: number;
  readonly level: 'info' | 'warn' | 'critical';
  readonly code: string;
  readonly message: string;
}

/** One of our order events, flattened for the Orders & fills panel. */
export interface OrderLogRow {
  readonly tsMs: number;
  readonly type: OrderEvent['type'];
  readonly clientOrderId: string;
  readonly strategyId: string;
  readonly tokenId: string;
  readonly side: 'BUY' | 'SELL';
  readonly orderType: string;
  readonly priceMicros: number;
  readonly sizeMicros: number;
  readonly feeMicros?: number;
  readonly liquidity?: 'maker' | 'taker';
  readonly reason?: string;
}

export interface SessionCapacities {
  feedRows: number;
  equityPoints: number;
  orderRows: number;
  logLines: number;
  /** Market titles remembered by token id. */
  titles: number;
}

export const DEFAULT_CAPACITIES: SessionCapacities = { feedRows: 500, equityPoints: 1000, orderRows: 200, logLines: 300, titles: 5000 };

/** A followed wallet's score from `polytail scout` (held-out numbers at the scout's rank delay). */
export interface TargetScore {
  readonly rank: number;
  readonly followerPnlUsdc: number;
  readonly captureRatio: number | null;
  readonly halfLife: string;
}

export interface SessionSnapshot {
  readonly version: number;
  readonly mode: Mode;
  readonly nowMs: number;
  readonly riskState: RiskState;
  readonly equity: EquityPoint;
  readonly dayStartEquityMicros: number;
  readonly todayPnlMicros: number;
  readonly peakEquityMicros: number;
  /** Fall from the peak right now, in micros and as a fraction of the peak. */
  readonly drawdownMicros: number;
  readonly drawdownFraction: number;
  /** Worst fall from a running peak seen by this session. */
  readonly maxDrawdownMicros: number;
  readonly maxDrawdownFraction: number;
  readonly positions: readonly PositionRow[];
  readonly openOrders: readonly Order[];
  readonly strategies: readonly StrategyStatus[];
  readonly riskUsage: readonly CheckResult[];
  readonly feedHealth: readonly FeedHealth[];
  /** Newest first. */
  readonly feed: readonly FeedRow[];
  /** Oldest first, downsampled. */
  readonly equityCurve: readonly EquityPoint[];
  /** Newest first. */
  readonly orderLog: readonly OrderLogRow[];
  /** Newest first. */
  readonly logs: readonly LogLine[];
  readonly counts: {
    readonly targetTrades: number;
    readonly decisions: number;
    readonly copies: number;
    readonly skips: number;
    readonly fills: number;
  };
  /** "title · outcome" for a token, when any event named it. */
  titleOf(tokenId: string): string | undefined;
  /** Scout scores by wallet (lower case), when the session started from a scout file. */
  readonly scores?: ReadonlyMap<string, TargetScore>;
}

export class SessionModel implements EngineListener {
  private versionCounter = 0;
  /** Latest engine time seen, to stamp lines that arrive without one (risk state changes). */
  private lastTsMs = 0;
  private readonly feed: FeedJournal;
  private readonly equity: EquitySeries;
  private readonly orders: RingBuffer<OrderLogRow>;
  private readonly logs: RingBuffer<LogLine>;
  private readonly titles = new Map<string, string>();
  private readonly seenFills: RingBuffer<string>;
  private readonly seenFillSet = new Set<string>();
  private readonly counts = { targetTrades: 0, decisions: 0, copies: 0, skips: 0, fills: 0 };
  private scores: ReadonlyMap<string, TargetScore> | undefined;

  constructor(private readonly capacities: SessionCapacities = DEFAULT_CAPACITIES) {
    this.feed = new FeedJournal(capacities.feedRows);
    this.equity = new EquitySeries(capacities.equityPoints);
    this.orders = new RingBuffer(capacities.orderRows);
    this.logs = new RingBuffer(capacities.logLines);
    this.seenFills = new RingBuffer(Math.max(100, capacities.orderRows * 4), (id) => this.seenFillSet.delete(id));
  }

  /** Bumped on every change; the app redraws only when it moved (or the clock ticked). */
  get version(): number {
    return this.versionCounter;
  }

  onEvent(event: EngineEvent): void {
    this.lastTsMs = Math.max(this.lastTsMs, event.tsRecv);
    switch (event.type) {
      case 'target_trade': {
        this.counts.targetTrades++;
        const t = event.trade;
        if (t.title) this.rememberTitle(t.tokenId, `${t.title} · ${t.outcome}`);
        this.feed.addTrade(event);
        break;
      }
      case 'market': {
        const m = event.market;
        for (const token of m.tokens) {
          if (m.question) this.rememberTitle(token.tokenId, `${m.question} · ${token.outcome}`);
        }
        break;
      }
      default:
        // Order events arrive through onOrderEvent too; book updates are the view's business.
        return;
    }
    this.versionCounter++;
  }

  onDecision(decision: Decision): void {
    this.lastTsMs = Math.max(this.lastTsMs, decision.tsMs);
    this.counts.decisions++;
    if (decision.action === 'copy' || decision.action === 'order') this.counts.copies++;
    else if (decision.action === 'skip' || decision.action === 'deny') this.counts.skips++;
    this.feed.addDecision(decision);
    this.versionCounter++;
  }

  onOrderEvent(event: OrderEvent): void {
    this.lastTsMs = Math.max(this.lastTsMs, event.tsRecv);
    if (event.type === 'order_filled' || event.type === 'order_partially_filled') {
      // The same fill must never count twice, whichever way it reached us.
      if (this.seenFillSet.has(event.fill.fillId)) return;
      this.seenFillSet.add(event.fill.fillId);
      this.seenFills.push(event.fill.fillId);
      this.counts.fills++;
    }
    this.feed.addOrderEvent(event);
    const o = event.order;
    const fill = 'fill' in event ? event.fill : undefined;
    this.orders.push({
      tsMs: event.tsRecv,
      type: event.type,
      clientOrderId: o.clientOrderId,
      strategyId: o.strategyId,
      tokenId: o.tokenId,
      side: o.side,
      orderType: o.type,
      priceMicros: fill ? fill.priceMicros : o.priceMicros,
      sizeMicros: fill ? fill.sizeMicros : o.sizeMicros,
      feeMicros: fill?.feeMicros,
      liquidity: fill?.liquidity,
      reason: event.type === 'order_rejected' || event.type === 'order_cancelled' ? event.reason : undefined,
    });
    if (event.type === 'order_rejected') {
      this.log({
        tsMs: event.tsRecv,
        level: 'warn',
        code: `order_${event.reason}`,
        message: `order ${o.clientOrderId} rejected: ${event.message}`,
      });
    }
    this.versionCounter++;
  }

  onEquity(point: EquityPoint): void {
    this.lastTsMs = Math.max(this.lastTsMs, point.tsMs);
    this.equity.add(point);
    this.versionCounter++;
  }

  onAlert(alert: Alert): void {
    this.log({ tsMs: alert.tsMs, level: alert.level, code: alert.code, message: alert.message });
  }

  onRiskState(state: RiskState, reason: string): void {
    const level = state === 'halted' ? 'critical' : state === 'active' ? 'info' : 'warn';
    this.log({ tsMs: this.lastTsMs, level, code: `risk_${state}`, message: `risk state → ${state}: ${reason}` });
  }

  /** Shows each followed wallet's scout score in the Targets panel. */
  setTargetScores(scores: ReadonlyMap<string, TargetScore>): void {
    this.scores = scores;
    this.versionCounter++;
  }

  /** A line from the TUI itself (a command it sent, a refusal), shown in the Logs panel. */
  note(tsMs: number, message: string, level: LogLine['level'] = 'info', code = 'tui'): void {
    this.log({ tsMs, level, code, message });
  }

  snapshot(view: EngineView): SessionSnapshot {
    const engine = view.snapshot();
    const equity = engine.equity;
    const peak = Math.max(engine.peakEquityMicros, equity.equityMicros);
    const dayStart = engine.dayStartEquityMicros;
    const dd = this.equity.drawdown();
    const drawdownMicros = Math.max(0, peak - equity.equityMicros);
    const titles = this.titles;
    return Object.freeze({
      version: this.versionCounter,
      mode: view.mode,
      nowMs: engine.nowMs,
      riskState: engine.riskState,
      equity,
      dayStartEquityMicros: dayStart,
      todayPnlMicros: equity.equityMicros - dayStart,
      peakEquityMicros: peak,
      drawdownMicros,
      drawdownFraction: peak > 0 ? drawdownMicros / peak : 0,
      maxDrawdownMicros: Math.max(dd.maxMicros, drawdownMicros),
      maxDrawdownFraction: Math.max(dd.maxFraction, peak > 0 ? drawdownMicros / peak : 0),
      positions: Object.freeze(engine.positions.slice()),
      openOrders: Object.freeze(engine.openOrders.slice()),
      strategies: Object.freeze(engine.strategies.slice()),
      riskUsage: Object.freeze(engine.riskUsage.slice()),
      feedHealth: Object.freeze(engine.feedHealth.slice()),
      feed: this.feed.snapshot(),
      equityCurve: Object.freeze(this.equity.toArray().slice()),
      orderLog: Object.freeze(this.orders.newestFirst()),
      logs: Object.freeze(this.logs.newestFirst()),
      counts: Object.freeze({ ...this.counts }),
      titleOf: (tokenId: string) => titles.get(tokenId),
      scores: this.scores,
    });
  }

  private log(line: LogLine): void {
    this.logs.push(line);
    this.versionCounter++;
  }

  private rememberTitle(tokenId: string, title: string): void {
    if (this.titles.get(tokenId) === title) return;
    this.titles.delete(tokenId);
    this.titles.set(tokenId, title);
    if (this.titles.size > this.capacities.titles) {
      const oldest = this.titles.keys().next().value;
      if (oldest !== undefined) this.titles.delete(oldest);
    }
  }
}
