/**
 * CLOB market channel (`/ws/market`, https://docs.polymarket.com/market-data/websocket/market-channel) → BookSnapshotted, BookLevelsChanged,
 * TradePrinted and MarketUpdated (tick size) for the tokens we copy or hold. Subscribes in the first
 * frame (a PING before it gets the socket closed with 1008), then PING every 10 s. On every
 * (re)connect books are rebuilt: the server sends snapshots on subscribe, and any token without one
 * after `snapshotWaitMs` is fetched from REST `GET /book`. Gaps (updates going back in time, a best
 * bid/ask that disagrees with ours, a malformed frame) resync the token from REST. A watchdog
 * reconnects when no data (or no PONG) arrives for too long with the socket open.
 */
import WebSocket from 'ws';
import type { BookSnapshotted, EngineEvent, MarketUpdated } from '../core/events.ts';
import type { OrderBook } from '../core/order-book.ts';
import type { MarketInfo } from '../core/types.ts';
import { parseBookFrame, parseLastTradeFrame, parsePriceChangeFrame } from '../polymarket/wire/clob-market.ts';
import { WireError } from '../polymarket/wire/fields.ts';
import { Backoff, type Feed, type FeedCommon, type FeedHealth, HealthTracker, describeError, stderrLog } from './feed.ts';
import { type HttpJsonOptions, getJson } from './http-json.ts';
import { MarketBooks } from './market-books.ts';
import { type BookMeta, marketUpdateFor, readBookMeta } from './market-meta.ts';
import { PRODUCTION_HOSTS } from '../polymarket/hosts.ts';

export interface MarketWsFeedOptions extends FeedCommon {
  url?: string;
  /** CLOB REST base for `GET /book` resyncs. */
  clobUrl?: string;
  assetIds?: Iterable<string>;
  pingIntervalMs?: number;
  /** No data frame for this long while subscribed → reconnect (default 120 s; quiet books are quiet). */
  staleAfterMs?: number;
  /** No PONG for this long → the socket is dead → reconnect (default 3 pings). */
  pongTimeoutMs?: number;
  /** After (re)subscribing, tokens still without a snapshot after this long are fetched from REST. */
  snapshotWaitMs?: number;
  connectTimeoutMs?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** Full market metadata, so a tick-size change can be emitted as a complete MarketInfo. */
  marketInfo?: (tokenId: string) => MarketInfo | undefined;
  http?: HttpJsonOptions;
}

export class MarketWsFeed implements Feed {
  readonly name = 'market-ws';
  readonly stats = { frames: 0, snapshots: 0, changes: 0, prints: 0, tickChanges: 0, malformed: 0, resyncs: 0, stalls: 0 };
  private readonly assets = new Set<string>();
  private readonly books = new MarketBooks();
  private readonly meta = new Map<string, BookMeta>();
  private readonly resyncing = new Map<string, Promise<void>>();
  private readonly health_ = new HealthTracker('market-ws');
  private readonly backoff: Backoff;
  private readonly now: () => number;
  private readonly log;
  private emit?: (e: EngineEvent) => void;
  private ws?: WebSocket;
  private generation = 0;
  private running = false;
  private everConnected = false;
  private lastDataMs = 0;
  private lastPongMs = 0;
  private timers = new Set<NodeJS.Timeout>();
  private pinger?: NodeJS.Timeout;
  private watchdog?: NodeJS.Timeout;
  private retryTimer?: NodeJS.Timeout;

  constructor(private readonly options: MarketWsFeedOptions = {}) {
    this.now = options.now ?? Date.now;
    this.log = options.log ?? stderrLog;
    this.backoff = new Backoff(options.backoffBaseMs ?? 500, options.backoffMaxMs ?? 30_000);
    for (const id of options.assetIds ?? []) this.assets.add(id);
  }

  /** Resolves once the first connection is open and subscribed (or after the connect timeout). */
  async start(emit: (e: EngineEvent) => void): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.emit = emit;
    const check = Math.max(50, Math.min(1000, (this.options.staleAfterMs ?? 120_000) / 4));
    this.watchdog = setInterval(() => this.checkStale(), check);
    this.watchdog.unref?.();
    if (this.assets.size > 0) await this.open();
  }

  async stop(): Promise<void> {
    this.running = false;
    clearInterval(this.watchdog);
    clearTimeout(this.retryTimer);
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.drop();
    await Promise.allSettled(this.resyncing.values());
  }

  health(): FeedHealth {
    this.health_.idle = this.assets.size === 0;
    return this.health_.snapshot();
  }

  /** The feed's own copy of a book (what the engine was sent). */
  book(tokenId: string): OrderBook | undefined {
    return this.books.book(tokenId);
  }

  /** Adds tokens; on an open socket they are subscribed at once, otherwise a connection is opened. */
  subscribe(tokenIds: Iterable<string>): void {
    const added = [...tokenIds].filter((t) => !this.assets.has(t));
    if (added.length === 0) return;
    for (const t of added) this.assets.add(t);
    if (!this.running) return;
    if (this.ws?.readyState === WebSocket.OPEN) {
      this.ws.send(JSON.stringify({ assets_ids: added, operation: 'subscribe', custom_feature_enabled: true }));
      this.books.expectSnapshots(added);
      this.afterSnapshotWait(added);
    } else if (!this.ws && !this.retryTimer) {
      void this.open();
    }
  }

  unsubscribe(tokenIds: Iterable<string>): void {
    const removed = [...tokenIds].filter((t) => this.assets.delete(t));
    if (removed.length > 0 && this.ws?.readyState === WebSocket.OPEN) {
      this.ws.send(JSON.stringify({ assets_ids: removed, operation: 'unsubscribe' }));
    }
  }

  /** Replaces a token's book with REST `GET /book` (one request in flight per token). */
  resync(tokenId: string, reason: string): Promise<void> {
    const inflight = this.resyncing.get(tokenId);
    if (inflight) return inflight;
    this.log('info', `market WS: resyncing ${tokenId.slice(0, 12)}… from GET /book (${reason})`);
    const run = this.fetchBook(tokenId).finally(() => this.resyncing.delete(tokenId));
    this.resyncing.set(tokenId, run);
    return run;
  }

  private async fetchBook(tokenId: string): Promise<void> {
    this.stats.resyncs++;
    const base = (this.options.clobUrl ?? PRODUCTION_HOSTS.clob).replace(/\/$/, '');
    try {
      const body = await getJson(`${base}/book?token_id=${tokenId}`, { attempts: 3, ...this.options.http });
      if (!this.running || !this.assets.has(tokenId)) return;
      const snap = parseBookFrame(body, this.now());
      this.rememberMeta(body);
      this.books.snapshot(snap, true, true);
      this.send(snap);
    } catch (err) {
      this.log('warn', `market WS: GET /book for ${tokenId.slice(0, 12)}… failed: ${describeError(err)}`);
    }
  }

  private open(): Promise<void> {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.drop();
    const generation = ++this.generation;
    const mine = () => generation === this.generation && this.running;
    const url = this.options.url ?? PRODUCTION_HOSTS.marketWs;
    const ws = new WebSocket(url);
    this.ws = ws;
    return new Promise<void>((resolve) => {
      const connectTimer = setTimeout(() => {
        if (mine() && ws.readyState !== WebSocket.OPEN)
          this.lost(`no connection to ${url} after ${this.options.connectTimeoutMs ?? 10_000} ms`);
        resolve();
      }, this.options.connectTimeoutMs ?? 10_000);
      connectTimer.unref?.();
      ws.on('open', () => {
        clearTimeout(connectTimer);
        if (mine()) this.opened(ws);
        resolve();
      });
      ws.on('message', (data) => mine() && this.frame(data.toString()));
      ws.on('error', (err) => {
        if (!mine()) return;
        this.health_.lastError = describeError(err);
        this.log('warn', `market WS socket error: ${this.health_.lastError}`);
      });
      ws.on('close', (code, reason) => {
        clearTimeout(connectTimer);
        if (mine()) this.lost(`closed with code ${code}${reason.length ? ` (${reason.toString()})` : ''}`);
        resolve();
      });
    });
  }

  private opened(ws: WebSocket): void {
    const ids = [...this.assets];
    // Subscribe first: a PING on an unsubscribed socket gets it closed with 1008.
    ws.send(JSON.stringify({ assets_ids: ids, type: 'market', custom_feature_enabled: true }));
    this.health_.connected = true;
    this.health_.lastError = undefined;
    this.lastDataMs = this.lastPongMs = this.now();
    if (this.everConnected) this.health_.reconnects++;
    this.everConnected = true;
    this.pinger = setInterval(() => ws.readyState === WebSocket.OPEN && ws.send('PING'), this.options.pingIntervalMs ?? 10_000);
    this.pinger.unref?.();
    this.books.expectSnapshots(ids);
    this.afterSnapshotWait(ids);
  }

  /** The WS normally sends snapshots on subscribe; fetch the ones it did not send. */
  private afterSnapshotWait(ids: string[]): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (!this.running) return;
      for (const id of ids) if (this.assets.has(id) && !this.books.hasSnapshot(id)) void this.resync(id, 'no snapshot after subscribing');
    }, this.options.snapshotWaitMs ?? 3000);
    t.unref?.();
    this.timers.add(t);
  }

  private lost(why: string): void {
    if (!/code 1006/.test(why) || this.health_.lastError === undefined) this.health_.lastError = why;
    this.log('warn', `market WS: ${why}; reconnecting`);
    this.drop();
    if (!this.running || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (this.running) void this.open();
    }, this.backoff.next());
    this.retryTimer.unref?.();
  }

  /** Closes the current socket; its late callbacks are ignored (generation check). */
  private drop(): void {
    this.generation++;
    clearInterval(this.pinger);
    this.health_.connected = false;
    const ws = this.ws;
    this.ws = undefined;
    if (ws) {
      ws.removeAllListeners('message');
      ws.on('error', () => {}); // a late error on a dropped socket must not become an uncaught exception
      ws.terminate();
    }
  }

  private checkStale(): void {
    if (!this.running || !this.health_.connected || this.assets.size === 0) return;
    const nowMs = this.now();
    const pongTimeout = this.options.pongTimeoutMs ?? 3 * (this.options.pingIntervalMs ?? 10_000);
    if (nowMs - this.lastPongMs > pongTimeout) {
      this.stats.stalls++;
      return this.lost(`no PONG for ${nowMs - this.lastPongMs} ms`);
    }
    const quiet = nowMs - this.lastDataMs;
    if (quiet > (this.options.staleAfterMs ?? 120_000)) {
      this.stats.stalls++;
      this.health_.gaps++;
      this.lost(`no data for ${quiet} ms with the socket open`);
    }
  }

  private frame(text: string): void {
    const nowMs = this.now();
    if (text === 'PONG') {
      this.lastPongMs = nowMs;
      return;
    }
    this.stats.frames++;
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      // We cannot tell which book it was for: resync them all.
      this.malformed(`frame is not valid JSON: ${text.slice(0, 80)}`);
      for (const t of this.assets) void this.resync(t, 'a malformed frame was dropped');
      return;
    }
    this.lastDataMs = nowMs;
    this.health_.message(nowMs);
    this.lastPongMs = Math.max(this.lastPongMs, nowMs); // data proves the socket alive too
    for (const m of Array.isArray(message) ? message : [message]) this.dispatch(m, nowMs);
  }

  private dispatch(m: unknown, nowMs: number): void {
    const type = (m as { event_type?: unknown } | null)?.event_type;
    const asset = (m as { asset_id?: unknown } | null)?.asset_id;
    try {
      if (type === 'book') this.onBook(m, nowMs);
      else if (type === 'price_change') this.onPriceChange(m, nowMs);
      else if (type === 'last_trade_price') {
        const print = parseLastTradeFrame(m, nowMs);
        if (!this.assets.has(print.tokenId)) return;
        this.stats.prints++;
        this.health_.trade(print.tsEvent, print.tsRecv);
        const book = this.books.book(print.tokenId);
        if (book) book.lastTradePriceMicros = print.priceMicros;
        this.send(print);
      } else if (type === 'tick_size_change') this.onTickSize(m, nowMs);
    } catch (err) {
      if (!(err instanceof WireError)) throw err;
      this.malformed(err.message);
      if (typeof asset === 'string' && this.assets.has(asset)) void this.resync(asset, 'a malformed frame was dropped');
    }
  }

  private onBook(m: unknown, nowMs: number): void {
    const snap: BookSnapshotted = parseBookFrame(m, nowMs);
    if (!this.assets.has(snap.tokenId)) return;
    this.rememberMeta(m);
    if (this.books.snapshot(snap, false) !== 'applied') return;
    this.stats.snapshots++;
    this.send(snap);
  }

  private onPriceChange(m: unknown, nowMs: number): void {
    const { events, best } = parsePriceChangeFrame(m, nowMs);
    for (const e of events) {
      if (!this.assets.has(e.tokenId)) continue;
      const result = this.books.change(
        e,
        best.find((b) => b.tokenId === e.tokenId),
      );
      if (result === 'stale') continue;
      if (result === 'out-of-order' || result === 'mismatch') {
        this.health_.gaps++;
        void this.resync(e.tokenId, result === 'mismatch' ? 'best bid/ask differs from the server' : 'a book update went back in time');
        if (result === 'out-of-order') continue;
      }
      this.stats.changes++;
      this.send(e);
    }
  }

  private onTickSize(m: unknown, nowMs: number): void {
    const update: MarketUpdated | undefined = marketUpdateFor(m, nowMs, this.meta, this.options.marketInfo);
    if (!update) {
      this.log('warn', `market WS: tick size changed for a market we know nothing about; ignored: ${JSON.stringify(m).slice(0, 120)}`);
      return;
    }
    this.stats.tickChanges++;
    this.send(update);
  }

  private rememberMeta(frame: unknown): void {
    const meta = readBookMeta(frame);
    if (meta) this.meta.set(meta.tokenId, { ...this.meta.get(meta.tokenId), ...meta });
  }

  private send(e: EngineEvent): void {
    try {
      this.emit?.(e);
    } catch (err) {
      this.log('error', `market WS: the engine failed on a ${e.type} event: ${describeError(err)}`);
    }
  }

  private malformed(why: string): void {
    this.stats.malformed++;
    this.health_.gaps++;
    if (this.stats.malformed <= 5 || this.stats.malformed % 100 === 0)
      this.log('warn', `market WS: dropped a malformed frame (#${this.stats.malformed}): ${why}`);
  }
}
