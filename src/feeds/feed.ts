/**
 * The `Feed` port: a live source of engine events (RTDS activity, Data API polling, CLOB market WS).
 * Feeds are adapters: they may use timers and the wall clock, but take an optional `now()` so tests
 * can stamp `tsRecv` themselves.
 */
import type { FeedHealth } from '../core/control.ts';
import type { EngineEvent } from '../core/events.ts';

export type { FeedHealth } from '../core/control.ts';

export type FeedLogLevel = 'info' | 'warn' | 'error';
/** Where feeds report what happened to them (the TUI log panel, stderr, a test array). */
export type FeedLog = (level: FeedLogLevel, message: string) => void;

/** A live source of engine events. */
export interface Feed {
  /** Stable name used in health rows and logs (`rtds`, `data-api`, `market-ws`). */
  readonly name: string;
  /**
   * Connects and starts emitting. Resolves once the first connection attempt (or first poll) is done;
   * never rejects for network trouble — the feed keeps retrying and reports it in `health()`.
   */
  start(emit: (event: EngineEvent) => void): Promise<void>;
  /** Stops for good: closes sockets, clears timers. Idempotent. */
  stop(): Promise<void>;
  /** Connection state, last message time, lag of the latest trade, gaps and reconnects. */
  health(): FeedHealth;
}

/** Options every feed accepts. */
export interface FeedCommon {
  /** Wall clock in ms (default Date.now). Stamps `tsRecv` and drives the watchdogs. */
  now?: () => number;
  log?: FeedLog;
}

/** Default log: warnings and errors to stderr, info dropped. */
export const stderrLog: FeedLog = (level, message) => {
  if (level !== 'info') process.stderr.write(`polytail feed ${level}: ${message}\n`);
};

/** Mutable health counters a feed keeps and copies out on `health()`. */
export class HealthTracker {
  connected = false;
  lastMessageMs: number | undefined;
  lagMs: number | undefined;
  gaps = 0;
  reconnects = 0;
  lastError: string | undefined;
  idle = false;

  constructor(readonly source: string) {}

  message(nowMs: number): void {
    this.lastMessageMs = nowMs;
  }

  /** Lag of the latest trade: when we saw it minus when it happened. */
  trade(tsEvent: number, tsRecv: number): void {
    this.lagMs = tsRecv - tsEvent;
  }

  snapshot(): FeedHealth {
    return {
      source: this.source,
      connected: this.connected,
      lastMessageMs: this.lastMessageMs,
      lagMs: this.lagMs,
      gaps: this.gaps,
      reconnects: this.reconnects,
      ...(this.lastError !== undefined ? { lastError: this.lastError } : {}),
      ...(this.idle ? { idle: true } : {}),
    };
  }
}

/** Jittered exponential backoff ("full jitter" on the upper half, so retries never bunch at 0). */
export class Backoff {
  private attempt = 0;

  constructor(
    private readonly baseMs = 500,
    private readonly maxMs = 30_000,
    private readonly random: () => number = Math.random,
  ) {}

  next(): number {
    const ceiling = Math.min(this.maxMs, this.baseMs * 2 ** this.attempt);
    this.attempt = Math.min(this.attempt + 1, 30);
    return Math.round(ceiling / 2 + (ceiling / 2) * this.random());
  }

  reset(): void {
    this.attempt = 0;
  }
}

/** A message for logs from anything thrown (cause chains and WebSocket ErrorEvents unwrapped). */
export { describeError } from '../core/describe-error.ts';
