/**
 * Feed outages as session state. Feeds reconnect by themselves (with backoff) and never stop the
 * session; this watch turns "disconnected" into something a user sees: a `feed_down` alert once a
 * feed has been down for `firstAlertAfterMs`, repeated as the outage grows (5 s, 30 s, 1 min,
 * 2 min, then every 5 min), and `feed_restored` when it is back. It also stamps `downSinceMs` on the
 * health rows the TUI and status lines show. A feed with nothing to watch (`idle`) is not down.
 */
import type { FeedHealth } from '../core/control.ts';
import type { Alert } from '../core/ports.ts';
import { SESSION_ALERT, type SessionAlertCode } from './alert-codes.ts';

export interface FeedWatchOptions {
  health: () => FeedHealth[];
  alert: (alert: Alert) => void;
  now: () => number;
  /** Where each feed connects (named in the alert: what the session is waiting for). */
  urls?: Record<string, string>;
  /** First `feed_down` after this long (default 5 s). */
  firstAlertAfterMs?: number;
  /** How often health is read (default 1 s). */
  checkEveryMs?: number;
}

const REPEATS_MS = [30_000, 60_000, 120_000];
const THEN_EVERY_MS = 300_000;

interface Outage {
  sinceMs: number;
  alerts: number;
  nextAlertMs: number;
}

export class FeedWatch {
  private readonly outages = new Map<string, Outage>();
  private timer?: NodeJS.Timeout;

  constructor(private readonly o: FeedWatchOptions) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.check(), this.o.checkEveryMs ?? 1000);
    // The session's keep-alive holds the process; this timer must not.
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Health rows with `downSinceMs` filled in (plug into the engine control's feed-health source). */
  health(): FeedHealth[] {
    return this.o.health().map((h) => {
      const outage = this.outages.get(h.source);
      return outage ? { ...h, downSinceMs: outage.sinceMs } : h;
    });
  }

  /** One look at every feed (called by the timer; tests call it directly). */
  check(): void {
    const now = this.o.now();
    for (const h of this.o.health()) {
      const outage = this.outages.get(h.source);
      if (h.connected || h.idle) {
        if (outage) {
          this.outages.delete(h.source);
          if (outage.alerts > 0)
            this.raise('info', SESSION_ALERT.feedRestored, h, `${h.source} is back after ${seconds(now - outage.sinceMs)}`, now, outage);
        }
        continue;
      }
      if (!outage) {
        this.outages.set(h.source, { sinceMs: now, alerts: 0, nextAlertMs: now + (this.o.firstAlertAfterMs ?? 5_000) });
        continue;
      }
      if (now < outage.nextAlertMs) continue;
      const url = this.o.urls?.[h.source];
      const why = [url, h.lastError].filter(Boolean).join(': ');
      this.raise(
        'warn',
        SESSION_ALERT.feedDown,
        h,
        `${h.source} down for ${seconds(now - outage.sinceMs)}${why ? ` (${why})` : ''}; reconnecting with backoff, the session keeps running` +
          (h.source === 'data-api' ? '' : ' and reads missed trades back from the Data API'),
        now,
        outage,
      );
      outage.alerts++;
      outage.nextAlertMs =
        outage.sinceMs + (REPEATS_MS[outage.alerts - 1] ?? REPEATS_MS.at(-1)! + (outage.alerts - REPEATS_MS.length) * THEN_EVERY_MS);
    }
  }

  private raise(level: Alert['level'], code: SessionAlertCode, h: FeedHealth, message: string, now: number, outage: Outage): void {
    this.o.alert({ tsMs: now, level, code, message, details: { feed: h.source, downMs: now - outage.sinceMs } });
  }
}

function seconds(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 120 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}
