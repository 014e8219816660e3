/**
 * Polls the Data API `/activity` of each followed wallet. Each poll re-reads the last `overlapMs`
 * before the previous poll, because rows are indexed after chain confirmation and can show up late
 * with an older timestamp. Rows are numbered per page (activity-pages.ts), and a fill is emitted once
 * per poller: the engine's dedup then collapses it with the same fill from RTDS. `backfill(sinceMs)`
 * re-reads from a point in time, for the gap of an RTDS reconnect.
 */
import { fillKey } from '../core/dedup.ts';
import type { EngineEvent, TargetTradeSeen } from '../core/events.ts';
import type { Micros } from '../core/money.ts';
import { toMicros } from '../core/money.ts';
import { type TargetPosition, parsePositionRow } from '../polymarket/wire/data-api.ts';
import { WireError } from '../polymarket/wire/fields.ts';
import { type ActivityFill, readActivityWindow } from './activity-pages.ts';
import { type Feed, type FeedCommon, type FeedHealth, HealthTracker, describeError, stderrLog } from './feed.ts';
import { type HttpJsonOptions, getJson } from './http-json.ts';
import { RequestBudget } from './request-budget.ts';
import { PRODUCTION_HOSTS } from '../polymarket/hosts.ts';

export interface ActivityPollerOptions extends FeedCommon {
  wallets: Iterable<string>;
  /** Data API base (default PRODUCTION_HOSTS.data). */
  baseUrl?: string;
  /** Time between polls of every wallet (default 5 s). 0: no polling, backfills only. */
  intervalMs?: number;
  /** How far before the previous poll each poll starts reading again (default 120 s). */
  overlapMs?: number;
  /** First poll reads from here (default now − overlapMs). */
  startMs?: number;
  /** Rows per request (API max 500). */
  pageLimit?: number;
  /**
   * Told after each poll round the time up to which every wallet has been read (the oldest cursor), once
   * the fills of the round were emitted. A failed wallet keeps it where it was.
   */
  onRoundRead?: (upToMs: number) => void;
  /** The API's offset cap (5000 in the latest docs). */
  offsetCap?: number;
  /** Wallets polled at once (default 4). */
  concurrency?: number;
  /**
   * Request starts allowed per window (default 180 per 10 s: the Data API allows about 200). Hundreds of
   * wallets make a round longer instead of a burst the API throttles; `stats.lastRoundMs` says how long.
   * Pollers of one process share one budget by passing the same RequestBudget.
   */
  requestBudget?: RequestBudget | { requests: number; perMs: number };
  http?: HttpJsonOptions;
}

/** The Data API allows about 200 requests per 10 s; 180 leaves room for the session's other calls. */
export const DATA_API_BUDGET = { requests: 180, perMs: 10_000 };

export class ActivityPoller implements Feed {
  readonly name = 'data-api';
  readonly stats = { polls: 0, requestsFailed: 0, trades: 0, malformed: 0, retries: 0, requests: 0, lastRoundMs: 0, budgetWaitMs: 0 };
  private readonly wallets = new Map<string, { cursorSec?: number; startMs?: number }>();
  private readonly emitted = new Map<string, number>(); // fill key → tsMs
  private readonly health_ = new HealthTracker('data-api');
  private readonly now: () => number;
  private readonly log;
  private readonly http: HttpJsonOptions;
  private emit?: (e: EngineEvent) => void;
  private seq = 0;
  private timer?: NodeJS.Timeout;
  private running = false;
  private polling?: Promise<number>;
  private readonly budget: RequestBudget;

  constructor(private readonly options: ActivityPollerOptions) {
    this.now = options.now ?? Date.now;
    this.log = options.log ?? stderrLog;
    const budget = options.requestBudget ?? DATA_API_BUDGET;
    this.budget = budget instanceof RequestBudget ? budget : new RequestBudget(budget);
    this.http = {
      ...options.http,
      beforeRequest: async () => {
        await this.budget.take();
        this.stats.requests++;
        this.stats.budgetWaitMs = this.budget.waitedMs;
        await options.http?.beforeRequest?.();
      },
      onRetry: (info) => {
        this.stats.retries++;
        // Once the API is known to be down, the session's feed watch reports it; no line per retry.
        if (this.health_.connected || this.health_.lastError === undefined)
          this.log('warn', `Data API: ${info.message}; retrying in ${info.waitMs} ms`);
        options.http?.onRetry?.(info);
      },
    };
    for (const w of options.wallets) this.addWallet(w);
  }

  private get baseUrl(): string {
    return (this.options.baseUrl ?? PRODUCTION_HOSTS.data).replace(/\/$/, '');
  }

  /** `fromMs`: a wallet added while running is read from then on (its earlier trades are in its seeded positions). */
  addWallet(wallet: string, fromMs?: number): void {
    const w = wallet.toLowerCase();
    if (!this.wallets.has(w)) this.wallets.set(w, fromMs === undefined ? {} : { startMs: fromMs });
  }
  removeWallet(wallet: string): void {
    this.wallets.delete(wallet.toLowerCase());
  }

  /** Polls once right away, then every `intervalMs` (with `intervalMs: 0` it only serves backfills). */
  async start(emit: (e: EngineEvent) => void): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.emit = emit;
    if (this.options.intervalMs === 0) return;
    await this.pollOnce();
    this.schedule();
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.polling?.catch(() => 0);
  }

  health(): FeedHealth {
    return this.health_.snapshot();
  }

  /** One poll of every wallet; resolves to the number of new fills emitted. */
  pollOnce(): Promise<number> {
    // Polls never overlap: a slow poll (rate limited) makes the next one wait.
    const run = (this.polling ?? Promise.resolve(0)).catch(() => 0).then(() => this.pollAll());
    this.polling = run;
    return run;
  }

  /** Re-reads every wallet from `sinceMs` (minus the overlap) to now; resolves to new fills emitted. */
  async backfill(sinceMs: number): Promise<number> {
    const fromSec = Math.floor((sinceMs - (this.options.overlapMs ?? 120_000)) / 1000);
    this.log('info', `Data API: backfilling ${this.wallets.size} wallet(s) from ${new Date(fromSec * 1000).toISOString()}`);
    let n = 0;
    await this.forEachWallet(async (wallet) => {
      n += await this.readWallet(wallet, fromSec, false);
    });
    return n;
  }

  /** A wallet's open positions (for TargetBook.seed). */
  async fetchPositions(wallet: string): Promise<TargetPosition[]> {
    const out: TargetPosition[] = [];
    for (let offset = 0; ; offset += 500) {
      const q = new URLSearchParams({ user: wallet.toLowerCase(), sizeThreshold: '0', limit: '500', offset: String(offset) });
      const rows = await getJson(`${this.baseUrl}/positions?${q}`, this.http);
      if (!Array.isArray(rows)) throw new WireError(`positions of ${wallet}: expected a JSON array`, '(root)');
      for (const row of rows) out.push(parsePositionRow(row));
      if (rows.length < 500 || offset + 500 > (this.options.offsetCap ?? 5000)) return out;
    }
  }

  /** A wallet's total position value in USDC micros (`/value`). */
  async fetchValue(wallet: string): Promise<Micros> {
    const body = await getJson(`${this.baseUrl}/value?user=${wallet.toLowerCase()}`, this.http);
    const value = Array.isArray(body) ? (body[0] as { value?: unknown } | undefined)?.value : undefined;
    if (typeof value !== 'number' && typeof value !== 'string') {
      throw new WireError(`value of ${wallet}: expected [{"user","value"}], got ${JSON.stringify(body).slice(0, 80)}`, 'value');
    }
    return value === '' ? 0 : toMicros(value);
  }

  private schedule(): void {
    if (!this.running) return;
    this.timer = setTimeout(async () => {
      await this.pollOnce().catch(() => 0);
      this.schedule();
    }, this.options.intervalMs ?? 5000);
    this.timer.unref?.();
  }

  private async pollAll(): Promise<number> {
    this.stats.polls++;
    const startMs = this.now();
    let n = 0;
    await this.forEachWallet(async (wallet, state) => {
      const overlapSec = Math.ceil((this.options.overlapMs ?? 120_000) / 1000);
      const fromSec =
        state.cursorSec !== undefined
          ? state.cursorSec - overlapSec
          : Math.floor((state.startMs ?? this.options.startMs ?? this.now() - overlapSec * 1000) / 1000);
      n += await this.readWallet(wallet, fromSec, true);
    });
    this.prune();
    const cursors = [...this.wallets.values()].map((w) => w.cursorSec);
    if (cursors.length > 0 && cursors.every((c) => c !== undefined)) this.options.onRoundRead?.(Math.min(...(cursors as number[])) * 1000);
    const roundMs = this.now() - startMs;
    if (
      this.stats.polls === 1 ||
      (roundMs > (this.options.intervalMs ?? 5000) && this.stats.lastRoundMs <= (this.options.intervalMs ?? 5000))
    ) {
      this.log('info', `Data API: one round of ${this.wallets.size} wallet(s) took ${roundMs} ms (${this.stats.requests} requests so far)`);
    }
    this.stats.lastRoundMs = roundMs;
    return n;
  }

  private async forEachWallet(fn: (wallet: string, state: { cursorSec?: number; startMs?: number }) => Promise<void>): Promise<void> {
    const queue = [...this.wallets.entries()];
    const worker = async () => {
      for (let item = queue.shift(); item; item = queue.shift()) await fn(item[0], item[1]);
    };
    await Promise.all(Array.from({ length: Math.max(1, this.options.concurrency ?? 4) }, worker));
  }

  private async readWallet(wallet: string, fromSec: number, advance: boolean): Promise<number> {
    const nowMs = this.now();
    // +1: the API compares whole seconds; a fill in the current second must not fall outside `end`.
    const endSec = Math.ceil(nowMs / 1000) + 1;
    let fills: ActivityFill[];
    try {
      fills = await readActivityWindow({
        baseUrl: this.baseUrl,
        wallet,
        startSec: Math.max(0, fromSec),
        endSec,
        pageLimit: this.options.pageLimit ?? 500,
        offsetCap: this.options.offsetCap ?? 5000,
        http: this.http,
        onMalformed: (m) => this.malformed(m),
      });
    } catch (err) {
      this.stats.requestsFailed++;
      const known = !this.health_.connected && this.health_.lastError !== undefined;
      this.health_.connected = false;
      this.health_.lastError = describeError(err);
      this.health_.gaps++;
      if (!known) this.log('error', `Data API: activity of ${wallet} not read: ${describeError(err)}; retrying every poll`);
      return 0;
    }
    this.health_.connected = true;
    this.health_.lastError = undefined;
    this.health_.message(this.now());
    const state = this.wallets.get(wallet);
    if (advance && state) state.cursorSec = Math.max(state.cursorSec ?? 0, Math.floor(nowMs / 1000));
    let n = 0;
    for (const f of fills) if (this.emitFill(f)) n++;
    return n;
  }

  private emitFill(f: ActivityFill): boolean {
    const key = fillKey(f.trade, f.occurrence);
    if (this.emitted.has(key)) return false;
    this.emitted.set(key, f.tsMs);
    const tsRecv = this.now();
    this.stats.trades++;
    this.health_.trade(f.tsMs, tsRecv);
    const event: TargetTradeSeen = {
      type: 'target_trade',
      source: 'data-api',
      seq: ++this.seq,
      tsEvent: f.tsMs,
      tsRecv,
      trade: f.trade,
      occurrence: f.occurrence,
    };
    try {
      this.emit?.(event);
    } catch (err) {
      this.log('error', `Data API: the engine failed on trade ${f.trade.txHash}: ${describeError(err)}`);
    }
    return true;
  }

  /** Forgets keys well before any window we could still read (backfills aside, which re-emit to dedup). */
  private prune(): void {
    const keepMs = Math.max(3_600_000, 4 * (this.options.overlapMs ?? 120_000));
    const cutoff = this.now() - keepMs;
    for (const [key, ts] of this.emitted) if (ts < cutoff) this.emitted.delete(key);
  }

  private malformed(message: string): void {
    this.stats.malformed++;
    if (this.stats.malformed <= 5 || this.stats.malformed % 100 === 0) this.log('warn', `Data API: dropped a malformed row: ${message}`);
  }
}
