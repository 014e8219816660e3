/**
 * The WebSocket stream (`GET /api/stream`): decisions, order events, fills, alerts, risk state,
 * equity points, target trades and market metadata as they happen, plus the engine's snapshot
 * (EngineSnapshot, what a local TUI reads) once a second and after every risk change. A client first gets `hello` and the recent history (so an attached TUI shows the same
 * feed as a local one), then `backlog_end`, then live messages. A client that cannot keep up is
 * disconnected rather than letting its buffer grow without bound.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { roleAllows } from '../auth/roles.ts';
import { forbidden } from './route-kit.ts';
import type { WebSocket } from 'ws';
import type { EngineEvent, OrderEvent } from '../../core/events.ts';
import type { Alert, Decision, EngineListener, EquityPoint } from '../../core/ports.ts';
import type { RiskState } from '../../core/types.ts';
import type { StreamMessage } from '../api/contract.ts';
import type { SessionSurface } from '../../core/session-surface.ts';

const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

export interface EventHubOptions {
  /** Messages kept for clients that connect later. Default 5,000. */
  backlog?: number;
  /** How often the view goes out. Default 1,000 ms. */
  viewEveryMs?: number;
}

export class EventHub implements EngineListener {
  private readonly backlog: string[] = [];
  private dropped = 0;
  private readonly clients = new Set<WebSocket>();
  private timer?: NodeJS.Timeout;
  private lastFeeds = '';
  private readonly capacity: number;

  constructor(
    private readonly surface: SessionSurface,
    private readonly options: EventHubOptions = {},
  ) {
    this.capacity = options.backlog ?? 5000;
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
    this.publish({ type: 'alert', alert });
  }

  onRiskState(state: RiskState, reason: string): void {
    this.publish({ type: 'risk', state, reason });
    this.sendView(); // a halt should show at once, not at the next tick
  }

  register(app: FastifyInstance): void {
    const viewerOnly = async (req: FastifyRequest, reply: FastifyReply) => {
      if (!roleAllows(req.principal!.role, 'viewer')) await forbidden(reply, 'viewer', req.principal!.role);
    };
    app.get('/api/stream', { websocket: true, preHandler: viewerOnly }, (socket, request) => {
      const principal = request.principal!;
      const hello: StreamMessage = {
        type: 'hello',
        session: this.surface.info,
        principal: { name: principal.name, role: principal.role },
        view: this.surface.view.snapshot(),
      };
      socket.send(JSON.stringify(hello));
      for (const line of this.backlog) socket.send(line);
      socket.send(JSON.stringify({ type: 'backlog_end', dropped: this.dropped } satisfies StreamMessage));
      this.clients.add(socket);
      socket.on('close', () => this.clients.delete(socket));
      socket.on('error', () => this.clients.delete(socket));
      socket.on('message', () => undefined); // the stream is one-way; commands go over REST
      this.startTimer();
    });
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    for (const c of this.clients) c.close(1001, 'server shutting down');
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
    // Trimmed in chunks: one splice per 500 messages, not a shift of the whole array per message.
    if (this.backlog.length > this.capacity + 500) {
      const excess = this.backlog.length - this.capacity;
      this.backlog.splice(0, excess);
      this.dropped += excess;
    }
    this.broadcast(line);
  }

  private broadcast(line: string): void {
    for (const c of this.clients) {
      if (c.bufferedAmount > MAX_BUFFERED_BYTES) {
        c.close(1013, 'too slow: reconnect');
        this.clients.delete(c);
        continue;
      }
      c.send(line);
    }
  }
}
