/**
 * RTDS `activity/trades` → TargetTradeSeen for the wallets we follow. RTDS has no user filter, so we
 * take the whole firehose and keep a Set of lower-case wallets. The official client is wrapped
 * (rtds-client.ts); reconnecting is ours: jittered exponential backoff, always on a new client after
 * the old one is closed, and a data-staleness watchdog because streams stall with the socket open.
 * Every reconnect is announced (`onReconnect`) so the Data API poller can backfill the gap.
 */
import type { EngineEvent, TargetTradeSeen } from '../core/events.ts';
import { WireError } from '../polymarket/wire/fields.ts';
import { parseRtdsTrade } from '../polymarket/wire/rtds.ts';
import { Backoff, type Feed, type FeedCommon, type FeedHealth, HealthTracker, describeError, stderrLog } from './feed.ts';
import { RtdsConnection } from './rtds-client.ts';
import { RtdsOccurrences } from './rtds-occurrences.ts';
import { contentKey } from '../core/dedup.ts';
import { PRODUCTION_HOSTS } from '../polymarket/hosts.ts';

export interface RtdsFeedOptions extends FeedCommon {
  /** Wallets to follow (any case). Change later with setWallets/addWallet/removeWallet. */
  wallets: Iterable<string>;
  host?: string;
  /** Activity types to subscribe to (default ['trades', 'orders_matched']). */
  types?: string[];
  /** No trade frame for this long with the socket open → hard reconnect (default 30 s). */
  staleAfterMs?: number;
  /** Text `ping` cadence (default 5 s, as the docs ask). */
  pingIntervalMs?: number;
  /** A connection that has not opened after this long is abandoned and retried (default 10 s). */
  connectTimeoutMs?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
}

/** Counters beyond FeedHealth, for the log panel and tests. */
export interface RtdsStats {
  frames: number;
  trades: number;
  /** Frames of wallets we do not follow. */
  filtered: number;
  /** Frames that are not JSON or whose payload does not parse. */
  malformed: number;
  /** Frames without a payload (acks, errors, pongs): the official client drops these too. */
  control: number;
  /** Empty text frames: the service's keep-alives (not malformed, and not data for the stall watchdog). */
  keepAlives: number;
  /** A fill already emitted from the other activity type (`trades` and `orders_matched` both carry it). */
  sameFillOtherType: number;
  /** Byte-identical frames delivered again (dropped: same fill, same occurrence). */
  redelivered: number;
  stalls: number;
}

/**
 * Longest wait between reconnect attempts. A connect attempt is cheap and the feed is the fastest
 * way to see a target trade, so it retries at least every 5 s: back within 5 s of the host answering
 * again (with 30 s, a 15 s outage kept RTDS down for 23 s).
 */
export const RTDS_MAX_BACKOFF_MS = 5_000;

/** Called after every reconnect with the time (ms) from which trades may have been missed. */
export type ReconnectListener = (missedSinceMs: number) => void;

export class RtdsFeed implements Feed {
  readonly name = 'rtds';
  readonly stats: RtdsStats = {
    frames: 0,
    trades: 0,
    filtered: 0,
    malformed: 0,
    control: 0,
    keepAlives: 0,
    sameFillOtherType: 0,
    redelivered: 0,
    stalls: 0,
  };
  private readonly wallets = new Set<string>();
  private readonly health_ = new HealthTracker('rtds');
  /**
   * One counter per activity type: `trades` and `orders_matched` carry the same fill, so each numbers its
   * own identical payloads and the two copies of one fill get the same key (dedup drops the second).
   */
  private readonly occurrences = new Map<string, RtdsOccurrences>();
  private readonly emittedFills = new Set<string>();
  private readonly listeners = new Set<ReconnectListener>();
  private readonly backoff: Backoff;
  private readonly now: () => number;
  private readonly log;
  private emit?: (e: EngineEvent) => void;
  private connection?: RtdsConnection;
  private generation = 0;
  private seq = 0;
  private running = false;
  private everConnected = false;
  /** When data was last known complete: the last trade frame, or the open time of the connection. */
  private lastDataMs = 0;
  private missedSinceMs?: number;
  private retryTimer?: NodeJS.Timeout;
  private connectTimer?: NodeJS.Timeout;
  private watchdog?: NodeJS.Timeout;
  private loggedControl = false;
  private firstOpen?: () => void;

  constructor(private readonly options: RtdsFeedOptions) {
    this.now = options.now ?? Date.now;
    this.log = options.log ?? stderrLog;
    this.backoff = new Backoff(options.backoffBaseMs ?? 500, options.backoffMaxMs ?? RTDS_MAX_BACKOFF_MS);
    this.setWallets(options.wallets);
  }

  setWallets(wallets: Iterable<string>): void {
    this.wallets.clear();
    for (const w of wallets) this.wallets.add(w.toLowerCase());
  }
  addWallet(wallet: string): void {
    this.wallets.add(wallet.toLowerCase());
  }
  removeWallet(wallet: string): void {
    this.wallets.delete(wallet.toLowerCase());
  }

  /** Registers a listener for reconnects (returns an unsubscribe function). */
  onReconnect(listener: ReconnectListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves after the first connection opened, or after `connectTimeoutMs` (it keeps retrying). */
  async start(emit: (e: EngineEvent) => void): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.emit = emit;
    const opened = new Promise<void>((resolve) => {
      this.firstOpen = resolve;
      setTimeout(resolve, this.options.connectTimeoutMs ?? 10_000).unref?.();
    });
    this.open();
    const stale = this.options.staleAfterMs ?? 30_000;
    this.watchdog = setInterval(() => this.checkStale(stale), Math.max(50, Math.min(1000, stale / 4)));
    this.watchdog.unref?.();
    await opened;
  }

  async stop(): Promise<void> {
    this.running = false;
    clearInterval(this.watchdog);
    clearTimeout(this.retryTimer);
    clearTimeout(this.connectTimer);
    this.generation++;
    this.connection?.close();
    this.connection = undefined;
    this.health_.connected = false;
  }

  health(): FeedHealth {
    return this.health_.snapshot();
  }

  /** Drops the current socket and connects a new client now (also used by the watchdog). */
  reconnect(reason: string): void {
    if (!this.running) return;
    this.log('warn', `RTDS: reconnecting (${reason})`);
    this.lost();
    this.open();
  }

  private open(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    // Never two sockets: the old client is closed (and its callbacks ignored) before a new one exists.
    this.connection?.close();
    const generation = ++this.generation;
    const mine = () => generation === this.generation && this.running;
    const host = this.options.host ?? PRODUCTION_HOSTS.rtds;
    try {
      this.connection = new RtdsConnection(host, this.options.pingIntervalMs ?? 5000, {
        onOpen: (c) => mine() && this.opened(c),
        onText: (text) => mine() && this.frame(text),
        onClose: (code, reason) => mine() && this.closed(`closed with code ${code}${reason ? ` (${reason})` : ''}`),
        onError: (err) => mine() && this.socketError(err),
      }).connect();
    } catch (err) {
      this.log('error', `RTDS: cannot create a client for ${host}: ${describeError(err)}`);
      this.scheduleRetry();
      return;
    }
    clearTimeout(this.connectTimer);
    this.connectTimer = setTimeout(() => {
      if (mine() && !this.connection?.isOpen()) this.closed(`no connection to ${host} after ${this.options.connectTimeoutMs ?? 10_000} ms`);
    }, this.options.connectTimeoutMs ?? 10_000);
    this.connectTimer.unref?.();
  }

  private opened(connection: RtdsConnection): void {
    clearTimeout(this.connectTimer);
    // Both types: `trades` has been seen to stop while `orders_matched` kept flowing (and both carry a fill).
    const types = this.options.types ?? ['trades', 'orders_matched'];
    // The client does not remember subscriptions: subscribe on every (re)connect.
    connection.subscribe(types.map((type) => ({ topic: 'activity', type })));
    for (const o of this.occurrences.values()) o.reset();
    this.emittedFills.clear();
    this.health_.connected = true;
    this.health_.lastError = undefined;
    this.lastDataMs = this.now();
    if (this.everConnected) {
      this.health_.reconnects++;
      const since = this.missedSinceMs ?? this.lastDataMs;
      this.missedSinceMs = undefined;
      for (const l of this.listeners) {
        try {
          l(since);
        } catch (err) {
          this.log('error', `RTDS reconnect listener failed: ${describeError(err)}`);
        }
      }
    }
    this.everConnected = true;
    this.firstOpen?.();
    this.firstOpen = undefined;
  }

  private socketError(err: unknown): void {
    this.health_.lastError = describeError(err);
    this.log('warn', `RTDS socket error: ${this.health_.lastError}`);
  }

  private closed(why: string): void {
    if (!/code 1006/.test(why) || this.health_.lastError === undefined) this.health_.lastError = why;
    this.log('warn', `RTDS: ${why}; retrying`);
    this.lost();
    this.scheduleRetry();
  }

  /** Marks the connection lost and remembers from when data may be missing. */
  private lost(): void {
    // Keep the earliest point of a run of failed attempts: everything after it must be backfilled.
    if (this.missedSinceMs === undefined) this.missedSinceMs = this.lastDataMs || this.now();
    this.health_.connected = false;
    this.generation++;
    this.connection?.close();
    this.connection = undefined;
  }

  private scheduleRetry(): void {
    if (!this.running || this.retryTimer) return;
    const wait = this.backoff.next();
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (this.running) this.open();
    }, wait);
    this.retryTimer.unref?.();
  }

  private checkStale(staleAfterMs: number): void {
    if (!this.running || !this.health_.connected) return;
    const quietMs = this.now() - this.lastDataMs;
    if (quietMs < staleAfterMs) return;
    this.stats.stalls++;
    this.health_.gaps++;
    this.reconnect(`no trade frame for ${quietMs} ms with the socket open`);
  }

  private frame(text: string): void {
    const nowMs = this.now();
    this.stats.frames++;
    if (text === 'pong' || text === 'PONG') return;
    if (text.trim() === '') {
      this.stats.keepAlives++;
      return;
    }
    let message: { timestamp?: unknown; topic?: unknown; payload?: unknown };
    try {
      message = JSON.parse(text);
    } catch {
      return this.malformed(`frame is not valid JSON: ${text.slice(0, 80)}`);
    }
    if (message === null || typeof message !== 'object' || !('payload' in message)) {
      this.stats.control++;
      if (!this.loggedControl) {
        this.loggedControl = true;
        this.log('info', `RTDS: ignoring frames without a payload (acks, errors), e.g. ${text.slice(0, 120)}`);
      }
      return;
    }
    if (typeof message.payload !== 'object' || message.payload === null) {
      return this.malformed(`payload is not an object: ${text.slice(0, 80)}`);
    }
    this.health_.message(nowMs);
    this.lastDataMs = nowMs;
    this.backoff.reset();
    const wallet = (message.payload as { proxyWallet?: unknown }).proxyWallet;
    if (typeof wallet === 'string' && !this.wallets.has(wallet.toLowerCase())) {
      this.stats.filtered++;
      return;
    }
    let parsed;
    try {
      parsed = parseRtdsTrade(message, nowMs);
    } catch (err) {
      if (err instanceof WireError) return this.malformed(err.message);
      throw err;
    }
    const type = typeof (message as { type?: unknown }).type === 'string' ? (message as { type: string }).type : 'trades';
    let counter = this.occurrences.get(type);
    if (!counter) this.occurrences.set(type, (counter = new RtdsOccurrences()));
    const { occurrence, redelivered } = counter.occurrence(parsed.trade, message.timestamp, JSON.stringify(message.payload));
    if (redelivered) {
      this.stats.redelivered++;
      return;
    }
    // The same fill on the other activity type (trades vs orders_matched): already emitted on this connection.
    const fillId = `${contentKey(parsed.trade)}#${occurrence}`;
    if (this.emittedFills.has(fillId)) {
      this.stats.sameFillOtherType++;
      return;
    }
    if (this.emittedFills.size > 100_000) this.emittedFills.clear();
    this.emittedFills.add(fillId);
    this.stats.trades++;
    this.health_.trade(parsed.tsEvent, parsed.tsRecv);
    const event: TargetTradeSeen = {
      type: 'target_trade',
      source: 'rtds',
      seq: ++this.seq,
      tsEvent: parsed.tsEvent,
      tsRecv: parsed.tsRecv,
      trade: parsed.trade,
      occurrence,
    };
    try {
      this.emit?.(event);
    } catch (err) {
      this.log('error', `RTDS: the engine failed on trade ${parsed.trade.txHash}: ${describeError(err)}`);
    }
  }

  private malformed(why: string): void {
    this.stats.malformed++;
    // First few in full, then every 100th, so a broken stream cannot flood the log.
    if (this.stats.malformed <= 5 || this.stats.malformed % 100 === 0) {
      this.log('warn', `RTDS: dropped a malformed trade frame (#${this.stats.malformed}): ${why}`);
    }
  }
}
