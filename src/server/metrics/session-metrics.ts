/**
 * Prometheus metrics of a served session (`/metrics`, prom-client, its own registry). Counters and
 * histograms follow the engine's listener events; gauges (equity, exposure, feeds, risk state) are
 * read from one engine snapshot taken at scrape time, so a scrape is always current, consistent across
 * gauges, and costs nothing between scrapes. Money is in USDC (decimals), times in seconds, per Prometheus conventions.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { EngineSnapshot, EngineView } from '../../core/control.ts';
import type { EngineEvent, OrderEvent } from '../../core/events.ts';
import { fromMicros, notional } from '../../core/money.ts';
import type { Alert, Decision, EngineListener } from '../../core/ports.ts';
import type { RiskState } from '../../core/types.ts';

const RISK_STATES: RiskState[] = ['active', 'paused', 'reduce-only', 'halted'];
const LATENCY_BUCKETS = [0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 20, 30, 60, 120, 300];
/** Target trades remembered for the latency of the decision that answers them. */
const PENDING_TRADES = 10_000;

export class SessionMetrics implements EngineListener {
  readonly registry = new Registry();
  private readonly trades = new Map<string, { tsEvent: number; tsRecv: number; source: string }>();
  private readonly copyLatency: Histogram<'source'>;
  private readonly decideLatency: Histogram<'source'>;
  private readonly targetTrades: Counter<'source'>;
  private readonly decisions: Counter<'action'>;
  private readonly skips: Counter<'reason'>;
  private readonly denials: Counter<'reason'>;
  private readonly orders: Counter<'outcome'>;
  private readonly rejections: Counter<'reason'>;
  private readonly fills: Counter<'side' | 'liquidity'>;
  private readonly filledUsdc: Counter;
  private readonly feesUsdc: Counter;
  private readonly alerts: Counter<'code' | 'level'>;
  private readonly feedReconnects: Counter<'source'>;
  private readonly feedGaps: Counter<'source'>;
  private readonly seenFeedCounts = new Map<string, { reconnects: number; gaps: number }>();
  /** The snapshot of the scrape in progress: every gauge reads the same instant. */
  private scrape?: EngineSnapshot;

  constructor(
    private readonly view: EngineView,
    startedMs: number,
    now: () => number = Date.now,
  ) {
    const registers = [this.registry];
    const snap = () => this.snapshot();
    collectDefaultMetrics({ register: this.registry });
    this.copyLatency = new Histogram({
      name: 'polytail_copy_latency_seconds',
      help: 'Target trade time to our copy decision, by the source that saw the trade first',
      labelNames: ['source'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.decideLatency = new Histogram({
      name: 'polytail_decision_latency_seconds',
      help: 'Target trade first seen to decided (any action), by that source',
      labelNames: ['source'],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
      registers,
    });
    const counter = <L extends string>(name: string, help: string, labelNames: L[]) =>
      new Counter<L>({ name, help, labelNames, registers });
    this.targetTrades = counter('polytail_target_trades_total', 'Target trades seen (after dedup), by first-seen source', ['source']);
    this.decisions = counter('polytail_decisions_total', 'Decisions, by action', ['action']);
    this.skips = counter('polytail_skips_total', 'Skipped target trades, by reason code', ['reason']);
    this.denials = counter('polytail_denials_total', 'Orders denied by risk or order rules, by reason code', ['reason']);
    this.orders = counter('polytail_orders_total', 'Order events, by outcome (accepted, filled, rejected, cancelled, ...)', ['outcome']);
    this.rejections = counter('polytail_order_rejections_total', 'Orders the venue rejected, by reason', ['reason']);
    this.fills = counter('polytail_fills_total', 'Our fills', ['side', 'liquidity']);
    this.filledUsdc = new Counter({ name: 'polytail_filled_usdc_total', help: 'Notional of our fills in USDC', registers });
    this.feesUsdc = new Counter({ name: 'polytail_fees_usdc_total', help: 'Fees paid in USDC', registers });
    this.alerts = counter('polytail_engine_alerts_total', 'Engine alerts, by code and level', ['code', 'level']);
    const sync = () => this.syncFeedCounters();
    this.feedReconnects = new Counter({
      name: 'polytail_feed_reconnects_total',
      help: 'Feed reconnects, by source',
      labelNames: ['source'],
      registers,
      collect: sync,
    });
    this.feedGaps = new Counter({
      name: 'polytail_feed_gaps_total',
      help: 'Feed gaps (failed polls, stalls), by source',
      labelNames: ['source'],
      registers,
      collect: sync,
    });

    const gauge = (name: string, help: string, read: () => number) =>
      new Gauge({
        name,
        help,
        registers,
        collect() {
          this.set(read());
        },
      });
    gauge('polytail_session_start_time_seconds', 'When this process started the session (unix seconds)', () => startedMs / 1000);
    gauge('polytail_equity_usdc', 'Equity: cash plus marked positions', () => fromMicros(snap().equity.equityMicros));
    gauge('polytail_cash_usdc', 'Cash', () => fromMicros(snap().equity.cashMicros));
    gauge('polytail_realized_pnl_usdc', 'Realized PnL', () => fromMicros(snap().equity.realizedMicros));
    gauge('polytail_unrealized_pnl_usdc', 'Unrealized PnL', () => fromMicros(snap().equity.unrealizedMicros));
    gauge('polytail_exposure_usdc', 'Open positions at their mark (cost when unmarked)', () =>
      fromMicros(
        snap()
          .positions.filter((p) => !p.settled)
          .reduce((sum, p) => sum + notional(p.sizeMicros, p.markMicros ?? p.avgPriceMicros), 0),
      ),
    );
    gauge('polytail_open_orders', 'Orders working on the venue', () => snap().openOrders.length);
    new Gauge({
      name: 'polytail_risk_state',
      help: 'Risk state: 1 for the current one',
      labelNames: ['state'],
      registers,
      collect() {
        const current = snap().riskState;
        for (const s of RISK_STATES) this.set({ state: s }, s === current ? 1 : 0);
      },
    });
    new Gauge({
      name: 'polytail_strategies',
      help: 'Strategies by state',
      labelNames: ['state'],
      registers,
      collect() {
        const all = snap().strategies;
        this.set({ state: 'running' }, all.filter((s) => !s.paused).length);
        this.set({ state: 'paused' }, all.filter((s) => s.paused && !s.stopped).length);
        this.set({ state: 'stopped' }, all.filter((s) => s.stopped).length);
      },
    });
    new Gauge({
      name: 'polytail_feed_connected',
      help: 'Whether the feed is connected (1) or not (0)',
      labelNames: ['source'],
      registers,
      collect() {
        for (const f of snap().feedHealth) this.set({ source: f.source }, f.connected ? 1 : 0);
      },
    });
    new Gauge({
      name: 'polytail_feed_lag_seconds',
      help: 'Lag of the latest target trade: when we saw it minus when it happened',
      labelNames: ['source'],
      registers,
      collect() {
        for (const f of snap().feedHealth) if (f.lagMs !== undefined) this.set({ source: f.source }, f.lagMs / 1000);
      },
    });
    new Gauge({
      name: 'polytail_feed_silence_seconds',
      help: 'Seconds since the feed’s last message',
      labelNames: ['source'],
      registers,
      collect() {
        const t = now();
        for (const f of snap().feedHealth) if (f.lastMessageMs !== undefined) this.set({ source: f.source }, (t - f.lastMessageMs) / 1000);
      },
    });
  }

  onEvent(event: EngineEvent): void {
    if (event.type !== 'target_trade' || !event.key) return;
    this.targetTrades.inc({ source: event.source });
    this.trades.set(event.key, { tsEvent: event.tsEvent, tsRecv: event.tsRecv, source: event.source });
    if (this.trades.size > PENDING_TRADES) this.trades.delete(this.trades.keys().next().value!);
  }

  onDecision(d: Decision): void {
    this.decisions.inc({ action: d.action });
    if (d.action === 'skip') this.skips.inc({ reason: d.reason });
    if (d.action === 'deny') this.denials.inc({ reason: d.reason });
    const trade = d.causeKey ? this.trades.get(d.causeKey) : undefined;
    if (!trade) return;
    this.decideLatency.observe({ source: trade.source }, Math.max(0, d.tsMs - trade.tsRecv) / 1000);
    if (d.action === 'copy' || d.action === 'order')
      this.copyLatency.observe({ source: trade.source }, Math.max(0, d.tsMs - trade.tsEvent) / 1000);
  }

  onOrderEvent(e: OrderEvent): void {
    this.orders.inc({ outcome: e.type.replace(/^order_/, '') });
    if (e.type === 'order_rejected') this.rejections.inc({ reason: e.reason });
    if (e.type === 'order_filled' || e.type === 'order_partially_filled') {
      this.fills.inc({ side: e.fill.side, liquidity: e.fill.liquidity ?? 'unknown' });
      this.filledUsdc.inc(fromMicros(notional(e.fill.sizeMicros, e.fill.priceMicros)));
      if (e.fill.feeMicros > 0) this.feesUsdc.inc(fromMicros(e.fill.feeMicros));
    }
  }

  onAlert(alert: Alert): void {
    this.alerts.inc({ code: alert.code, level: alert.level });
  }

  /** Feeds count reconnects and gaps themselves; the counters follow them by difference. */
  private syncFeedCounters(): void {
    for (const f of this.snapshot().feedHealth) {
      const seen = this.seenFeedCounts.get(f.source) ?? { reconnects: 0, gaps: 0 };
      if (f.reconnects > seen.reconnects) this.feedReconnects.inc({ source: f.source }, f.reconnects - seen.reconnects);
      if (f.gaps > seen.gaps) this.feedGaps.inc({ source: f.source }, f.gaps - seen.gaps);
      this.seenFeedCounts.set(f.source, { reconnects: Math.max(seen.reconnects, f.reconnects), gaps: Math.max(seen.gaps, f.gaps) });
    }
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  async render(): Promise<string> {
    this.scrape = this.view.snapshot();
    try {
      return await this.registry.metrics();
    } finally {
      this.scrape = undefined;
    }
  }

  private snapshot(): EngineSnapshot {
    return this.scrape ?? this.view.snapshot();
  }
}
