/**
 * A running session's engine, seen from another process through the control API: EngineView answers
 * from the latest view the server streamed (once a second and after every command), EngineCommands
 * become REST calls, and the stream's events go to a listener — so the TUI runs unchanged on top of
 * it (`polytail attach`). Commands return at once; a refusal (403) or failure arrives as a note.
 * A lost connection is re-opened with backoff; history sent again on reconnect is skipped, so
 * nothing is counted twice.
 */
import WebSocket from 'ws';
import type { EngineCommands, EngineView, FeedHealth, Mode, PositionRow, StrategyStatus } from '../../core/control.ts';
import type { CheckResult, EngineListener, EquityPoint } from '../../core/ports.ts';
import type { Order, RiskState } from '../../core/types.ts';
import type { StreamMessage, ViewSnapshot } from '../api/contract.ts';
import type { SessionInfo } from '../../core/session-surface.ts';

export type NoteLevel = 'info' | 'warn' | 'critical';

export interface RemoteEngineOptions {
  /** Base URL of the control API, e.g. http://127.0.0.1:7878 */
  url: string;
  token: string;
  listener: EngineListener;
  /** Refusals, failures and connection changes, for the TUI's log. */
  onNote?: (level: NoteLevel, message: string) => void;
  /** Local clock (tests). */
  now?: () => number;
}

export class RemoteApiError extends Error {
  override name = 'RemoteApiError';
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export class RemoteEngine implements EngineView, EngineCommands {
  session!: SessionInfo;
  principal!: { name: string; role: string };
  private snap!: ViewSnapshot;
  private snapLocalMs = 0;
  private ws?: WebSocket;
  private closed = false;
  private inBacklog = true;
  private replayedOnce = false;
  private readonly base: string;
  private readonly now: () => number;

  private constructor(private readonly o: RemoteEngineOptions) {
    this.base = o.url.replace(/\/+$/, '');
    this.now = o.now ?? Date.now;
  }

  /** Connects and resolves once the server said hello (rejects on a refused token or no server). */
  static async connect(o: RemoteEngineOptions): Promise<RemoteEngine> {
    const engine = new RemoteEngine(o);
    await engine.open();
    return engine;
  }

  get mode(): Mode {
    return this.snap.mode;
  }

  nowMs(): number {
    return this.snap.nowMs + Math.max(0, this.now() - this.snapLocalMs);
  }
  riskState(): RiskState {
    return this.snap.riskState;
  }
  equity(): EquityPoint {
    return this.snap.equity;
  }
  dayStartEquityMicros(): number {
    return this.snap.dayStartEquityMicros;
  }
  peakEquityMicros(): number {
    return this.snap.peakEquityMicros;
  }
  positions(): PositionRow[] {
    return this.snap.positions;
  }
  openOrders(): Order[] {
    return this.snap.openOrders;
  }
  strategies(): StrategyStatus[] {
    return this.snap.strategies;
  }
  riskUsage(): CheckResult[] {
    return this.snap.riskUsage;
  }
  feedHealth(): FeedHealth[] {
    return this.snap.feedHealth;
  }

  pauseAll(reason: string): void {
    this.fire('pause all', 'POST', '/api/risk/pause', { reason });
  }
  resumeAll(): void {
    this.fire('resume all', 'POST', '/api/risk/resume', {});
  }
  pauseStrategy(id: string, reason: string): void {
    this.fire(`pause ${id}`, 'POST', `/api/strategies/${encodeURIComponent(id)}/pause`, { reason });
  }
  resumeStrategy(id: string): void {
    this.fire(`resume ${id}`, 'POST', `/api/strategies/${encodeURIComponent(id)}/resume`, {});
  }
  /** Returns the multiplier the engine will round to; the server's answer corrects it if refused. */
  setMultiplier(id: string, multiplier: number): number {
    const value = Math.max(0.01, Math.round(multiplier * 100) / 100);
    this.fire(`multiplier of ${id}`, 'POST', `/api/strategies/${encodeURIComponent(id)}/multiplier`, { multiplier: value });
    return value;
  }
  killSwitch(reason: string): void {
    this.fire('kill switch', 'POST', '/api/risk/kill', { reason });
  }
  cancelOrder(clientOrderId: string): void {
    this.fire(`cancel ${clientOrderId}`, 'POST', `/api/orders/${encodeURIComponent(clientOrderId)}/cancel`, {});
  }
  resync(): void {
    this.fire('resync', 'POST', '/api/resync', {});
  }

  /** One REST call; throws RemoteApiError with the server's message on a non-2xx answer. */
  async request<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(this.base + path, {
      method,
      headers: { authorization: `Bearer ${this.o.token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await res.text();
    const parsed = text ? (JSON.parse(text) as unknown) : undefined;
    if (!res.ok) {
      const message = (parsed as { error?: string } | undefined)?.error ?? `HTTP ${res.status}`;
      throw new RemoteApiError(res.status === 401 ? 'the server refused the token (401): check POLYTAIL_TOKEN' : message, res.status);
    }
    return parsed as T;
  }

  /** Stops listening; the session keeps running. */
  close(): void {
    this.closed = true;
    this.ws?.close(1000, 'detached');
  }

  private fire(what: string, method: string, path: string, body: unknown): void {
    this.request(method, path, body).then(
      () => this.refreshView(),
      (error: unknown) => this.o.onNote?.('warn', `${what} refused: ${error instanceof Error ? error.message : String(error)}`),
    );
  }

  private async refreshView(): Promise<void> {
    try {
      this.setSnap(await this.request<ViewSnapshot>('GET', '/api/snapshot'));
    } catch {
      // The stream's next view will do.
    }
  }

  private setSnap(view: ViewSnapshot): void {
    this.snap = view;
    this.snapLocalMs = this.now();
  }

  private open(): Promise<void> {
    const wsUrl = this.base.replace(/^http/, 'ws') + '/api/stream';
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(wsUrl, { headers: { authorization: `Bearer ${this.o.token}` } });
      this.ws = ws;
      let greeted = false;
      this.inBacklog = true;
      ws.on('unexpected-response', (_req, res) => {
        const why = res.statusCode === 401 ? 'the server refused the token (401): check POLYTAIL_TOKEN' : `HTTP ${res.statusCode}`;
        ws.terminate();
        reject(new RemoteApiError(why, res.statusCode ?? 0));
      });
      ws.on('error', (error) => {
        if (!greeted) reject(new Error(`cannot reach ${this.base}: ${error.message}`));
      });
      ws.on('message', (data) => {
        const message = JSON.parse(data.toString()) as StreamMessage;
        if (message.type === 'hello') {
          greeted = true;
          this.session = message.session;
          this.principal = message.principal;
          this.setSnap(message.view);
          resolve();
          return;
        }
        this.dispatch(message);
      });
      ws.on('close', () => {
        if (!greeted || this.closed) return;
        this.o.onNote?.('critical', `connection to ${this.base} lost; reconnecting (the session itself keeps running)`);
        void this.reconnect();
      });
    });
  }

  private async reconnect(): Promise<void> {
    for (let attempt = 0; !this.closed; attempt++) {
      await new Promise((r) => setTimeout(r, Math.min(10_000, 500 * 2 ** attempt)));
      if (this.closed) return;
      try {
        await this.open();
        this.o.onNote?.('info', `reconnected to ${this.base}; events during the gap are in the session's recording`);
        return;
      } catch (error) {
        if (error instanceof RemoteApiError && (error.status === 401 || error.status === 403)) {
          this.o.onNote?.('critical', `not reconnecting: ${error.message}`);
          return;
        }
      }
    }
  }

  private dispatch(m: StreamMessage): void {
    const l = this.o.listener;
    switch (m.type) {
      case 'backlog_end':
        this.inBacklog = false;
        this.replayedOnce = true;
        return;
      case 'view':
        return this.setSnap(m.view);
      case 'feeds':
        this.snap = { ...this.snap, feedHealth: m.feeds };
        return;
      case 'risk':
        this.snap = { ...this.snap, riskState: m.state };
        break;
      default:
        break;
    }
    // After a reconnect the history is sent again: the listener already has it.
    if (this.inBacklog && this.replayedOnce) return;
    switch (m.type) {
      case 'event':
        return l.onEvent?.(m.event);
      case 'decision':
        return l.onDecision?.(m.decision);
      case 'order':
        return l.onOrderEvent?.(m.event);
      case 'equity':
        return l.onEquity?.(m.point);
      case 'alert':
        return l.onAlert?.(m.alert);
      case 'risk':
        return l.onRiskState?.(m.state, m.reason);
      default:
        return;
    }
  }
}
