/**
 * Headless output of a paper/live session (no TTY): one line per decision, fill, rejection and
 * alert, and a status line every `statusEveryMs` — human-readable, or JSON lines with `json`.
 */
import type { OrderEvent } from '../core/events.ts';
import { formatMicros, formatUsd } from '../core/money.ts';
import type { Alert, Decision, EngineListener } from '../core/ports.ts';
import type { RiskState } from '../core/types.ts';
import type { EngineView, FeedHealth } from '../core/control.ts';
import type { FeedLog } from '../feeds/feed.ts';

export interface SessionLogOptions {
  json: boolean;
  write: (line: string) => void;
}

export class SessionLog implements EngineListener {
  private timer?: NodeJS.Timeout;

  constructor(private readonly options: SessionLogOptions) {}

  /** Feed and venue messages in the same stream. */
  readonly feedLog: FeedLog = (level, message) =>
    this.line({ type: 'log', level, message }, `${level === 'info' ? 'info ' : level.toUpperCase().padEnd(5)} ${message}`);

  onDecision(d: Decision): void {
    const who = d.wallet ? ` ← ${d.wallet.slice(0, 10)}…` : '';
    const tok = d.tokenId ? ` ${d.tokenId.slice(0, 10)}…` : '';
    this.line(
      {
        type: 'decision',
        tsMs: d.tsMs,
        strategyId: d.strategyId,
        action: d.action,
        reason: d.reason,
        wallet: d.wallet,
        causeKey: d.causeKey,
        tokenId: d.tokenId,
        side: d.side,
        clientOrderId: d.clientOrderId,
        message: d.message,
      },
      `${d.action === 'copy' || d.action === 'order' ? 'COPY ' : d.action.toUpperCase().padEnd(5)} ${d.side ?? ''}${tok}${who} ${d.reason}${d.action === 'copy' ? ` ${d.clientOrderId}` : `: ${d.message}`}`,
    );
  }

  onOrderEvent(e: OrderEvent): void {
    const o = e.order;
    if (e.type === 'order_filled' || e.type === 'order_partially_filled') {
      const f = e.fill;
      this.line(
        {
          type: 'fill',
          tsMs: f.tsMs,
          fillId: f.fillId,
          clientOrderId: f.clientOrderId,
          tokenId: f.tokenId,
          side: f.side,
          priceMicros: f.priceMicros,
          sizeMicros: f.sizeMicros,
          feeMicros: f.feeMicros,
          liquidity: f.liquidity,
        },
        `FILL  ${f.side} ${formatMicros(f.sizeMicros)}@${formatMicros(f.priceMicros, 3)} fee ${formatUsd(f.feeMicros)} ${f.clientOrderId}`,
      );
    } else if (e.type === 'order_rejected') {
      this.line(
        { type: 'rejected', clientOrderId: o.clientOrderId, reason: e.reason, message: e.message },
        `REJ   ${o.side} ${o.clientOrderId} ${e.reason}: ${e.message}`,
      );
    } else if (e.type === 'order_cancelled' || e.type === 'order_expired') {
      this.line(
        { type: e.type.slice(6), clientOrderId: o.clientOrderId, unfilledMicros: e.unfilledMicros },
        `${e.type === 'order_expired' ? 'EXP  ' : 'CXL  '} ${o.clientOrderId} unfilled ${formatMicros(e.unfilledMicros)}`,
      );
    }
  }

  onAlert(a: Alert): void {
    this.line(
      { type: 'alert', ...a },
      `${a.level === 'critical' ? 'CRIT ' : a.level === 'warn' ? 'WARN ' : 'info '} ${a.code}: ${a.message}`,
    );
  }

  onRiskState(state: RiskState, reason: string): void {
    this.line({ type: 'risk', state, reason }, `RISK  ${state}: ${reason}`);
  }

  /** Prints a status line now and every `everyMs`. */
  startStatus(view: EngineView, everyMs = 10_000): void {
    const status = () => {
      const snap = view.snapshot();
      const { equity: eq, feedHealth: feeds, stats: s } = snap;
      this.line(
        {
          type: 'status',
          tsMs: snap.nowMs,
          equityMicros: eq.equityMicros,
          cashMicros: eq.cashMicros,
          targetTrades: s.targetTrades,
          duplicates: s.duplicates,
          openOrders: snap.openOrders.length,
          risk: snap.riskState,
          feeds,
        },
        `---   equity ${formatUsd(eq.equityMicros)} cash ${formatUsd(eq.cashMicros)} | target trades ${s.targetTrades}, duplicates dropped ${s.duplicates} | open orders ${snap.openOrders.length} | risk ${snap.riskState} | ${feeds.map((f) => `${f.source} ${feedState(f, snap.nowMs)}`).join(', ')}`,
      );
    };
    status();
    this.timer = setInterval(status, everyMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private line(json: Record<string, unknown>, human: string): void {
    if (this.options.json) this.options.write(JSON.stringify(json));
    else this.options.write(`${new Date().toISOString().slice(11, 19)} ${human}`);
  }
}

function feedState(f: FeedHealth, nowMs: number): string {
  if (f.connected) return 'up';
  if (f.idle) return 'idle';
  return f.downSinceMs === undefined ? 'DOWN' : `DOWN ${Math.round((nowMs - f.downSinceMs) / 1000)}s`;
}
