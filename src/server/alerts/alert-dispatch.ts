/**
 * Delivers alert notices to every sink (webhooks, Telegram) without ever blocking the session or
 * throwing into it: each sink has its own queue, a failed send is retried a few times with backoff,
 * and a sink that stays down drops the oldest notices beyond a bound instead of growing.
 */
import { redactedMessage } from '../../core/redact.ts';
import type { AlertNotice } from './alert-monitor.ts';

export interface AlertSink {
  readonly name: string;
  send(notice: AlertNotice, context: NoticeContext): Promise<void>;
}

/** Which session a notice is about (several may run on one host). */
export interface NoticeContext {
  mode: string;
  runId: string;
}

export type SinkLog = (level: 'info' | 'warn' | 'error', message: string) => void;

const MAX_QUEUED = 100;
const RETRY_DELAYS_MS = [1000, 5000, 15000];

class SinkQueue {
  private queue: AlertNotice[] = [];
  private running = false;
  dropped = 0;
  sent = 0;

  constructor(
    readonly sink: AlertSink,
    private readonly context: NoticeContext,
    private readonly log: SinkLog,
  ) {}

  push(notice: AlertNotice): void {
    this.queue.push(notice);
    if (this.queue.length > MAX_QUEUED) {
      this.queue.shift();
      this.dropped++;
    }
    if (!this.running) void this.drain();
  }

  idle(): boolean {
    return !this.running && this.queue.length === 0;
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      for (let notice = this.queue.shift(); notice; notice = this.queue.shift()) await this.deliver(notice);
    } finally {
      this.running = false;
    }
  }

  private async deliver(notice: AlertNotice): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.sink.send(notice, this.context);
        this.sent++;
        return;
      } catch (error) {
        const wait = RETRY_DELAYS_MS[attempt];
        if (wait === undefined) {
          this.log('error', `alert ${notice.key} not delivered to ${this.sink.name}: ${redactedMessage(error)}`);
          return;
        }
        this.log('warn', `alert ${notice.key} to ${this.sink.name} failed (${redactedMessage(error)}); retrying in ${wait / 1000} s`);
        await new Promise((r) => setTimeout(r, wait).unref());
      }
    }
  }
}

export class AlertDispatcher {
  private readonly queues: SinkQueue[];

  constructor(sinks: AlertSink[], context: NoticeContext, log: SinkLog) {
    this.queues = sinks.map((s) => new SinkQueue(s, context, log));
  }

  readonly notify = (notice: AlertNotice): void => {
    for (const q of this.queues) q.push(notice);
  };

  /** Waits (bounded) until every queue is empty: a stopping session gets its last notice out. */
  async flush(timeoutMs = 5000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (Date.now() < end && !this.queues.every((q) => q.idle())) await new Promise((r) => setTimeout(r, 50));
  }
}

/** One line of text for chat sinks: an icon for the kind and level, the session, the message. */
export function noticeText(n: AlertNotice, ctx: NoticeContext): string {
  const icon = n.kind === 'recovered' ? '✅' : n.level === 'critical' ? '🔴' : n.level === 'warn' ? '🟠' : 'ℹ️';
  const what = n.kind === 'recovered' ? `recovered (${n.rule})` : n.rule;
  return `${icon} polytail ${ctx.mode}: ${what} — ${n.message}`;
}
