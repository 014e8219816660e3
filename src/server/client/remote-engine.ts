/**
 * A running session's engine, seen from another process through the control API: `snapshot()` is
 * the latest EngineSnapshot the server streamed (once a second and after every command), with its
 * clock moved on locally; EngineCommands become REST calls, and the stream's events go to a listener
 * — so the TUI runs unchanged on top of it (`polytail attach`). Commands return at once; a knob value
 * the strategy's declared knob would refuse is refused here at once (RangeError, as locally); a
 * refusal from the server (403) or a failure arrives as a note.
 * A lost connection is re-opened with backoff; history sent again on reconnect is skipped, so
 * nothing is counted twice.
 */
import WebSocket from 'ws';
import type { EngineCommands, EngineSnapshot, EngineView, Mode } from '../../core/control.ts';
import { MICROS } from '../../core/money.ts';
import type { EngineListener } from '../../core/ports.ts';
import { MULTIPLIER_KNOB } from '../../strategy/api.ts';
import type { StreamMessage } from '../api/contract.ts';
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
  private snap!: EngineSnapshot;
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

  /** The latest streamed snapshot; its clock runs on locally between views, so ages keep counting. */
  snapshot(): EngineSnapshot {
    return { ...this.snap, nowMs: this.snap.nowMs + Math.max(0, this.now() - this.snapLocalMs) };
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
  /** The trader's route (the TUI's +/-); any other knob needs an admin token. */
  setMultiplier(id: string, multiplier: number): number {
    const value = this.checkKnob(id, MULTIPLIER_KNOB, multiplier);
    this.fire(`multiplier of ${id}`, 'POST', `/api/strategies/${encodeURIComponent(id)}/multiplier`, { multiplier: value });
    return value;
  }
  setKnob(id: string, knob: string, value: number): number {
    const rounded = this.checkKnob(id, knob, value);
    this.fire(`${knob} of ${id}`, 'PATCH', `/api/strategies/${encodeURIComponent(id)}/knobs`, { [knob]: rounded });
    return rounded;
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

  /**
   * Checks a value against the knob as the last snapshot declares it, so the TUI hears a refusal at
   * once (a RangeError, as locally); returns the value the engine will keep (6 decimals).
   */
  private checkKnob(id: string, knob: string, value: number): number {
    const strategy = this.snap.strategies.find((s) => s.id === id);
    if (!strategy) throw new RangeError(`no strategy ${id} in this run`);
    const declared = strategy.knobs.find((k) => k.name === knob);
    if (!declared) {
      const names = strategy.knobs.map((k) => k.name);
      throw new RangeError(
        `strategy ${id} has no ${knob} knob${names.length > 0 ? ` (its knobs: ${names.join(', ')})` : ' (it declares no knobs)'}`,
      );
    }
    const rounded = Math.round(value * MICROS) / MICROS;
    if (!Number.isFinite(value) || rounded < declared.min || (declared.max !== undefined && rounded > declared.max)) {
      const range = declared.max === undefined ? `≥ ${declared.min}` : `in [${declared.min}, ${declared.max}]`;
      throw new RangeError(`strategy ${id}: ${knob} must be a number ${range}, got ${value}`);
    }
    if (declared.value === undefined) throw new RangeError(`strategy ${id}: its ${knob} knob is not in force with these params`);
    return rounded;
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
      this.setSnap(await this.request<EngineSnapshot>('GET', '/api/snapshot'));
    } catch {
      // The stream's next view will do.
    }
  }

  private setSnap(view: EngineSnapshot): void {
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
        this.snap = { ...this.snap, riskState: m.state, riskReason: m.reason };
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
