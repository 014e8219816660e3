/**
 * Alert rules over a running session. Each alert is an episode: one notice when it starts, at most
 * one recovery notice when it ends, and nothing in between however often the cause repeats — an
 * operator woken at 3 a.m. gets one message, not a flood.
 *
 * Conditions (feed down, balance low, daily loss near its limit, a burst of rejected orders) are
 * evaluated on `tick()` (once a second); events (a risk halt, a missed target trade, a strategy
 * error, a failed redeem) start an episode at once, and event episodes end after `quietMinutes`
 * without a repeat.
 */
import type { EngineView } from '../../core/control.ts';
import type { OrderEvent } from '../../core/events.ts';
import { formatUsd, toMicros } from '../../core/money.ts';
import type { Alert, EngineListener } from '../../core/ports.ts';
import type { ReasonCode } from '../../core/reason-codes.ts';
import type { RiskState } from '../../core/types.ts';
import type { AlertsConfig } from '../../config/ops-config.ts';

/** The rules, each a reason code (docs/reasons.md, "Alert rules of a served session"). */
export const ALERT_RULES = [
  'feed_down',
  'missed_trade',
  'risk_halt',
  'rejected_orders',
  'balance_low',
  'daily_loss',
  'redeem_failed',
  'strategy_error',
  'engine_alert',
  'session_stopped',
] as const satisfies readonly ReasonCode[];

export type AlertRule = (typeof ALERT_RULES)[number];

export interface AlertNotice {
  kind: 'alert' | 'recovered';
  rule: AlertRule;
  level: 'info' | 'warn' | 'critical';
  /** Episode key: the rule plus what it is about (a feed source, an alert code). */
  key: string;
  message: string;
  tsMs: number;
  details?: Record<string, number | string | boolean | null>;
}

interface Episode {
  rule: AlertRule;
  startedMs: number;
  lastMs: number;
  count: number;
  /** Event episodes end after a quiet period; condition episodes when the condition clears. */
  event: boolean;
}

/** Engine alert codes that belong to a rule of their own (halts come through the risk state). */
const RULE_OF_CODE: Partial<Record<ReasonCode, AlertRule | null>> = {
  missed_trade: 'missed_trade',
  redeem_failed: 'redeem_failed',
  strategy_error: 'strategy_error',
  kill_switch: null,
};

export interface AlertMonitorOptions {
  config: AlertsConfig;
  /** Read once per tick; the daily loss and its limit are the risk manager's own (`max_daily_loss` usage). */
  view: EngineView;
  now: () => number;
  notify: (notice: AlertNotice) => void;
}

export class AlertMonitor implements EngineListener {
  private readonly open = new Map<string, Episode>();
  private readonly downSince = new Map<string, number>();
  private rejections: number[] = [];
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(private readonly o: AlertMonitorOptions) {}

  start(everyMs = 1000): void {
    this.timer ??= setInterval(() => this.tick(), everyMs);
    this.timer.unref();
  }

  /** Sends `session_stopped` (once) and stops evaluating. */
  stop(reason: string): void {
    clearInterval(this.timer);
    this.timer = undefined;
    if (this.stopped) return;
    this.stopped = true;
    this.o.notify({
      kind: 'alert',
      rule: 'session_stopped',
      level: 'warn',
      key: 'session_stopped',
      message: `session stopped: ${reason}`,
      tsMs: this.o.now(),
    });
  }

  /** Episodes in progress, by key. */
  active(): string[] {
    return [...this.open.keys()];
  }

  onRiskState(state: RiskState, reason: string): void {
    if (state === 'halted') this.begin('risk_halt', 'risk_halt', 'critical', `trading HALTED: ${reason}`, false);
    else if (state === 'active') this.end('risk_halt', `trading active again: ${reason}`);
  }

  onAlert(alert: Alert): void {
    if (alert.code.startsWith('halted')) return; // told through the risk state, with the same message
    if (alert.code === 'feed_down' || alert.code === 'feed_restored') return this.onFeedAlert(alert);
    const rule = Object.hasOwn(RULE_OF_CODE, alert.code) ? RULE_OF_CODE[alert.code] : alert.level === 'critical' ? 'engine_alert' : null;
    if (!rule) return;
    const key = rule === 'engine_alert' ? `engine_alert:${alert.code}` : rule;
    this.begin(rule, key, alert.level, alert.message, true, alert.details);
  }

  /**
   * The session's own feed watch (`feed_down` / `feed_restored`, docs/reasons.md): its message names
   * the host and the last error, so the notice carries it once the outage passes `feedDownSeconds`.
   */
  private onFeedAlert(alert: Alert): void {
    const feed = alert.details?.feed;
    if (typeof feed !== 'string') return;
    const key = `feed_down:${feed}`;
    if (alert.code === 'feed_restored') this.end(key, alert.message);
    else if (Number(alert.details?.downMs) >= this.o.config.feedDownSeconds * 1000)
      this.begin('feed_down', key, 'warn', alert.message, false, { source: feed });
  }

  onOrderEvent(event: OrderEvent): void {
    if (event.type === 'order_rejected') this.rejections.push(this.o.now());
  }

  /** Evaluates the condition rules and closes quiet event episodes. */
  tick(): void {
    if (this.stopped) return;
    const now = this.o.now();
    const c = this.o.config;
    const snap = this.o.view.snapshot();
    for (const f of snap.feedHealth) {
      const key = `feed_down:${f.source}`;
      // A feed with nothing to watch yet (no market subscribed) is idle, not down.
      if (f.connected || f.idle) {
        this.downSince.delete(f.source);
        this.end(key, `feed ${f.source} is back`);
        continue;
      }
      // The session's feed watch knows when the outage began (it may predate this monitor).
      const since = f.downSinceMs ?? this.downSince.get(f.source) ?? now;
      this.downSince.set(f.source, since);
      if (now - since >= c.feedDownSeconds * 1000)
        this.begin(
          'feed_down',
          key,
          'warn',
          `feed ${f.source} down for ${Math.round((now - since) / 1000)} s${f.lastError ? ` (${f.lastError})` : ''}`,
          false,
          {
            source: f.source,
          },
        );
    }
    const windowMs = c.rejectedBurst.windowSeconds * 1000;
    this.rejections = this.rejections.filter((t) => now - t < windowMs);
    if (this.rejections.length >= c.rejectedBurst.count)
      this.begin(
        'rejected_orders',
        'rejected_orders',
        'warn',
        `${this.rejections.length} orders rejected in the last ${c.rejectedBurst.windowSeconds} s`,
        false,
      );
    else if (this.rejections.length === 0) this.end('rejected_orders', `no rejected orders in the last ${c.rejectedBurst.windowSeconds} s`);

    const equity = snap.equity;
    if (c.balanceBelowUsdc !== undefined) {
      const floor = toMicros(c.balanceBelowUsdc);
      if (equity.cashMicros < floor)
        this.begin('balance_low', 'balance_low', 'warn', `cash ${formatUsd(equity.cashMicros)} is below ${formatUsd(floor)}`, false);
      else this.end('balance_low', `cash ${formatUsd(equity.cashMicros)} is back above ${formatUsd(floor)}`);
    }
    const dailyLoss = snap.riskUsage.find((u) => u.code === 'max_daily_loss');
    const limit = dailyLoss?.limit;
    if (limit !== undefined && limit > 0) {
      const loss = dailyLoss!.value ?? 0;
      const warnAt = Math.round((limit * c.dailyLossWarnPct) / 100);
      if (loss >= warnAt)
        this.begin(
          'daily_loss',
          'daily_loss',
          'warn',
          `today's loss ${formatUsd(loss)} is ${Math.round((loss / limit) * 100)}% of the daily limit ${formatUsd(limit)}`,
          false,
        );
      else this.end('daily_loss', `today's loss ${formatUsd(Math.max(0, loss))} is below ${c.dailyLossWarnPct}% of the daily limit`);
    }
    const quietMs = c.quietMinutes * 60_000;
    for (const [key, e] of this.open)
      if (e.event && now - e.lastMs >= quietMs)
        this.end(key, `no repeat for ${c.quietMinutes} min (${e.count} in this episode since ${new Date(e.startedMs).toISOString()})`);
  }

  private begin(
    rule: AlertRule,
    key: string,
    level: AlertNotice['level'],
    message: string,
    event: boolean,
    details?: AlertNotice['details'],
  ): void {
    const now = this.o.now();
    const existing = this.open.get(key);
    if (existing) {
      existing.lastMs = now;
      existing.count++;
      return;
    }
    this.open.set(key, { rule, startedMs: now, lastMs: now, count: 1, event });
    this.o.notify({ kind: 'alert', rule, level, key, message, tsMs: now, ...(details ? { details } : {}) });
  }

  private end(key: string, message: string): void {
    const e = this.open.get(key);
    if (!e) return;
    this.open.delete(key);
    this.o.notify({ kind: 'recovered', rule: e.rule, level: 'info', key, message, tsMs: this.o.now() });
  }
}
