/**
 * The WebSocket stream of one account (`GET /api/accounts/<id>/stream`, or `/api/stream`): decisions, order events, fills, alerts, risk state,
 * equity points, target trades and market metadata as they happen, plus the engine's snapshot
 * (EngineSnapshot, what a local TUI reads) once a second and after every risk change. A client first
 * gets `hello` with the snapshot (positions, orders, strategies, equity: the state, however long the
 * session has run), then the most recent messages only (a bounded `recent`, so a late client's connect
 * costs the same after a minute or a month), then `backlog_end` (with how many older ones it did not
 * get), then live messages. A client that cannot keep up is disconnected rather than letting its
 * buffer grow without bound. The hub also keeps the account's recent alerts for `GET …/alerts`.
 */
import type { Role } from '../auth/roles.ts';
import type { WebSocket } from 'ws';
import type { EngineEvent, OrderEvent } from '../../core/events.ts';
import type { Alert, Decision, EngineListener, EquityPoint } from '../../core/ports.ts';
import type { RiskState } from '../../core/types.ts';
import type { StreamMessage } from '../api/contract.ts';
import type { SessionSurface } from '../../core/session-surface.ts';

const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

export interface EventHubOptions {
  /** The most recent messages a client gets after the snapshot when it connects. Default 200. */
  recent?: number;
  /** Alerts kept for `GET …/alerts`. Default 200. */
  alerts?: number;
  /** How often the view goes out. Default 1,000 ms. */
  viewEveryMs?: number;
}

export class EventHub implements EngineListener {
  private readonly backlog: string[] = [];
  /** Messages published before the oldest one kept. */
  private dropped = 0;
  private readonly alerts: Alert[] = [];
  /** Socket → the id of the token it was opened with. */
  private readonly clients = new Map<WebSocket, string>();
  private timer?: NodeJS.Timeout;
  private lastFeeds = '';
  private readonly capacity: number;

  constructor(
    private readonly surface: SessionSurface,
    private readonly options: EventHubOptions = {},
  ) {
    this.capacity = options.recent ?? 200;
  }

  get clientCount(): number {
    return this.clients.size;
  }

  onEvent(event: EngineEvent): void {
    if (event.type === 'target_trade' || event.type === 'market' || event.type === 'market_resolved')
      this.publish({ type: 'event', event });
  }

  onDecision(decision: Decision): void {
    this.publish({ type: 'decision', decision });
  }

  onOrderEvent(event: OrderEvent): void {
    this.publish({ type: 'order', event });
    if (event.type === 'order_filled' || event.type === 'order_partially_filled') this.publish({ type: 'fill', fill: event.fill });
  }

  onEquity(point: EquityPoint): void {
    this.publish({ type: 'equity', point });
  }

  onAlert(alert: Alert): void {
    this.alerts.push(alert);
    if (this.alerts.length > (this.options.alerts ?? 200)) this.alerts.shift();
    this.publish({ type: 'alert', alert });
  }

  onRiskState(state: RiskState, reason: string): void {
    this.publish({ type: 'risk', state, reason });
    this.sendView(); // a halt should show at once, not at the next tick
  }

  /**
   * Takes a socket the stream route accepted for this account: hello, the recent history, then live
   * messages. `tokenId` lets `revalidate` close it the moment its token stops reaching this account.
   */
  attach(socket: WebSocket, who: { tokenId: string; name: string; role: Role; account: string }): void {
    const hello: StreamMessage = {
      type: 'hello',
      session: this.surface.info,
      principal: { name: who.name, role: who.role },
      account: who.account,
      view: this.surface.view.snapshot(),
    };
    socket.send(JSON.stringify(hello));
    const from = Math.max(0, this.backlog.length - this.capacity);
    for (let i = from; i < this.backlog.length; i++) socket.send(this.backlog[i]!);
    socket.send(JSON.stringify({ type: 'backlog_end', dropped: this.dropped + from } satisfies StreamMessage));
    this.clients.set(socket, who.tokenId);
    socket.on('close', () => this.clients.delete(socket));
    socket.on('error', () => this.clients.delete(socket));
    socket.on('message', () => undefined); // the stream is one-way; commands go over REST
    this.startTimer();
  }

  /** The account's recent alerts, newest first. */
  recentAlerts(limit: number): Alert[] {
    return this.alerts.slice(-limit).reverse();
  }

  /** Closes (4401) every stream whose token no longer reaches this account: revoked, its user removed, its grant taken away. */
  revalidate(stillAllowed: (tokenId: string) => boolean): number {
    let closed = 0;
    for (const [socket, tokenId] of this.clients) {
      if (stillAllowed(tokenId)) continue;
      this.clients.delete(socket);
      socket.close(4401, 'token no longer valid for this account');
      closed++;
    }
    return closed;
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    for (const c of this.clients.keys()) c.close(1001, 'server shutting down');
    this.clients.clear();
  }

  /** Sends the view to every client now (after a command, so every viewer sees it at once). */
  sendView(): void {
    if (this.clients.size === 0) return;
    const view = this.surface.view.snapshot();
    this.broadcast(JSON.stringify({ type: 'view', view } satisfies StreamMessage));
    const feeds = JSON.stringify(view.feedHealth.map((f) => [f.source, f.connected, f.reconnects, f.gaps]));
    if (feeds !== this.lastFeeds) {
      this.lastFeeds = feeds;
      this.broadcast(JSON.stringify({ type: 'feeds', feeds: view.feedHealth } satisfies StreamMessage));
    }
  }

  private startTimer(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.clients.size === 0) {
        clearInterval(this.timer);
        this.timer = undefined;
        return;
      }
      this.sendView();
    }, this.options.viewEveryMs ?? 1000);
    this.timer.unref();
  }

  private publish(message: StreamMessage): void {
    const line = JSON.stringify(message);
    this.backlog.push(line);
    // Trimmed in chunks (one splice per `capacity` messages, not a shift per message); a client gets the last `capacity`.
    if (this.backlog.length > this.capacity * 2) {
      const excess = this.backlog.length - this.capacity;
      this.backlog.splice(0, excess);
      this.dropped += excess;
    }
    this.broadcast(line);
  }

  private broadcast(line: string): void {
    for (const c of this.clients.keys()) {
      if (c.bufferedAmount > MAX_BUFFERED_BYTES) {
        c.close(1013, 'too slow: reconnect');
        this.clients.delete(c);
        continue;
      }
      c.send(line);
    }
  }
}
