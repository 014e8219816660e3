/**
 * One RTDS connection through `@polymarket/real-time-data-client` 1.4.0, with its known bugs fixed
 * from the outside (docs/feeds.md; the client is github.com/Polymarket/real-time-data-client). Before `connect()` we replace four instance handlers the
 * client assigns to every socket it creates:
 *  - `onPong` (installed as `ws.pong`, which hides ws's real `pong()`): we send the real pong frame,
 *    so server ping frames are answered and ws never hits `maxPendingAutoPongs` (60 unanswered pings
 *    → the client terminates its own socket with 1006). Our own timer sends the text `ping`.
 *  - `onClose` / `onError`: the library reconnects immediately and cannot be told not to
 *    (`autoReconnect || true`); ours only report, and RtdsFeed reconnects with backoff on a NEW client.
 *  - `onMessage`: the library JSON.parses any frame containing "payload" without a try/catch (a
 *    broken frame would throw out of the socket handler and crash the process) and console.logs the
 *    rest. We hand every text frame to the feed, which parses it safely.
 * If a client version lacks these handlers we refuse to start rather than run with the bugs.
 */
import { RealTimeDataClient } from '@polymarket/real-time-data-client';
import WebSocket from 'ws';

export interface RtdsConnectionHandlers {
  onOpen(connection: RtdsConnection): void;
  onText(text: string): void;
  onClose(code: number, reason: string): void;
  onError(err: unknown): void;
}

/** The client's private fields we rely on (present in 1.4.0). */
interface ClientInternals {
  ws?: WebSocket;
  onPong: unknown;
  onClose: unknown;
  onError: unknown;
  onMessage: unknown;
}

export class RtdsConnection {
  readonly client: RealTimeDataClient;
  private closed = false;
  private pinger?: NodeJS.Timeout;
  /** Server protocol pings answered with a real pong frame (for tests and diagnostics). */
  pongsSent = 0;

  constructor(host: string, pingIntervalMs: number, handlers: RtdsConnectionHandlers) {
    this.client = new RealTimeDataClient({
      host,
      pingInterval: pingIntervalMs,
      onConnect: () => {
        if (this.closed) return;
        this.startPinging(pingIntervalMs);
        handlers.onOpen(this);
      },
    });
    const internals = this.internals();
    for (const name of ['onPong', 'onClose', 'onError', 'onMessage'] as const) {
      if (typeof internals[name] !== 'function') {
        throw new Error(
          `@polymarket/real-time-data-client has no ${name} handler: polytail's RTDS fixes target version 1.4.0; install that version`,
        );
      }
    }
    const self = this;
    internals.onPong = function (this: WebSocket, data: Buffer, mask: boolean, cb?: (err?: Error) => void) {
      self.pongsSent++;
      WebSocket.prototype.pong.call(this, data, mask, cb);
    };
    internals.onClose = (event: { code: number; reason: string }) => {
      this.stopPinging();
      if (!this.closed) handlers.onClose(event.code, String(event.reason ?? ''));
    };
    internals.onError = (err: unknown) => {
      if (!this.closed) handlers.onError(err);
    };
    internals.onMessage = (event: { data: unknown }) => {
      if (this.closed) return;
      const data = event.data;
      handlers.onText(typeof data === 'string' ? data : Buffer.isBuffer(data) ? data.toString('utf8') : String(data));
    };
  }

  connect(): this {
    this.client.connect();
    return this;
  }

  isOpen(): boolean {
    return this.internals().ws?.readyState === WebSocket.OPEN;
  }

  /** Subscribes if the socket is open (the client would only warn and drop the request otherwise). */
  subscribe(subscriptions: { topic: string; type: string }[]): boolean {
    if (!this.isOpen()) return false;
    this.client.subscribe({ subscriptions });
    return true;
  }

  /** The underlying socket (tests use it to inspect state). */
  socket(): WebSocket | undefined {
    return this.internals().ws;
  }

  /** Closes for good: `disconnect()` stops the client's own reconnects, terminate() cuts a stuck socket now. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.stopPinging();
    const ws = this.internals().ws;
    try {
      this.client.disconnect();
    } catch {
      // disconnect() throws only when connect() never ran; nothing to close then.
    }
    ws?.terminate();
  }

  private startPinging(everyMs: number): void {
    this.stopPinging();
    // The docs ask for a text ping every 5 s; the client itself only pings after server ping frames.
    this.pinger = setInterval(() => {
      const ws = this.internals().ws;
      if (ws && ws.readyState === WebSocket.OPEN) ws.send('ping', () => {});
    }, everyMs);
    this.pinger.unref?.();
  }

  private stopPinging(): void {
    if (this.pinger) clearInterval(this.pinger);
    this.pinger = undefined;
  }

  private internals(): ClientInternals {
    return this.client as unknown as ClientInternals;
  }
}
