/**
 * The live venue: orders go to the Polymarket CLOB through @polymarket/clob-client-v2, results come
 * back as OrderEvents (asynchronously, after `submit` returns).
 *
 * Never twice: each order is signed once and journalled before its POST (order-flow.ts), an unknown
 * outcome is looked up by hash, and a restart posts a journalled order the CLOB never saw only as the
 * same signed order (intent-recovery.ts). Every trade becomes a fill exactly once (tracked per trade
 * and order). Here: the Venue port, cancels, and the poll that finds maker fills and closed orders.
 */
import type { ClobClient, OrderResponse } from '@polymarket/clob-client-v2';
import type { LiveAccount } from '../../wallet/live-account.ts';
import type { ApiCreds } from '../../wallet/api-creds.ts';
import { withTimeout } from '../../core/timeout.ts';
import { VenueError } from '../../core/errors.ts';
import type { OrderEvent } from '../../core/events.ts';
import type { Venue } from '../../core/ports.ts';
import type { Order } from '../../core/types.ts';
import { ClobApi, createClobClient } from './clob-api.ts';
import { classifyError } from './clob-errors.ts';
import { type ClobVenueOptions, type VenueSettings, venueSettings } from './clob-venue-options.ts';
import { recoverIntents, type RecoveredIntent, type ResendRule } from './intent-recovery.ts';
import { OrderFlow } from './order-flow.ts';
import { OrderTracker, type Tracked } from './order-tracker.ts';
import { OrderSigner } from './order-signer.ts';
import { TurnQueue } from './turn-queue.ts';

export type { ClobVenueOptions } from './clob-venue-options.ts';
export type { RecoveredIntent, ResendRule } from './intent-recovery.ts';

export class ClobVenue implements Venue {
  readonly name = 'clob';
  readonly api: ClobApi;
  private readonly tracker: OrderTracker;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly settings: VenueSettings;
  private readonly flow: OrderFlow;
  /** Signs orders a few at a time, each token's market read once; its `times` say how long signing took. */
  readonly signer: OrderSigner;
  private pollTimer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private closed = false;
  private tradesSinceSec: number;

  /** A venue for a loaded account and its API credentials. */
  static create(account: LiveAccount, creds: ApiCreds, options: ClobVenueOptions & { host?: string } = {}): ClobVenue {
    return new ClobVenue(createClobClient(account, creds, { host: options.host, useServerTime: options.useServerTime }), options);
  }

  constructor(
    readonly client: ClobClient,
    options: ClobVenueOptions = {},
  ) {
    this.settings = venueSettings(options);
    // postOrder would otherwise poll GET /data/trades for up to 30 s before returning a matched
    // order; the venue reads the trades itself, so the POST returns as soon as the CLOB answers.
    (client as unknown as { resolveTransactionsHashes: (r: OrderResponse) => Promise<OrderResponse> }).resolveTransactionsHashes = async (
      r,
    ) => r;
    this.api = new ClobApi(client, this.settings.requestTimeoutMs);
    this.signer = new OrderSigner(client, {
      concurrency: this.settings.signConcurrency,
      retries: this.settings.signRetries,
      timeoutMs: this.settings.signTimeoutMs ?? this.settings.requestTimeoutMs,
      lookupTimeoutMs: this.settings.requestTimeoutMs,
      backoffMs: this.settings.backoffMs,
      now: this.settings.now,
      sleep: this.settings.sleep,
      report: (error, clientOrderId) => this.report(error, 'sign', clientOrderId),
    });
    this.tracker = new OrderTracker(() => this.settings.now());
    this.flow = new OrderFlow({
      client,
      api: this.api,
      tracker: this.tracker,
      signer: this.signer,
      postQueue: new TurnQueue(this.settings.postConcurrency, 'POST /order'),
      settings: this.settings,
      report: (error, action, clientOrderId) => this.report(error, action, clientOrderId),
      cancelOpen: (t, reason) => this.cancelTracked([t], reason, () => this.client.cancelOrder({ orderID: t.hash! })),
    });
    this.tradesSinceSec = Math.floor(this.settings.now() / 1000) - 60;
  }

  attach(emit: (event: OrderEvent) => void): void {
    this.tracker.emit = emit;
    if (this.settings.pollIntervalMs > 0 && !this.pollTimer) {
      this.pollTimer = setInterval(() => void this.poll().catch(() => {}), this.settings.pollIntervalMs);
      this.pollTimer.unref();
    }
  }

  submit(order: Order): void {
    if (this.tracker.get(order.clientOrderId)) {
      this.tracker.reject(undefined, order, 'duplicate', `order ${order.clientOrderId} was already submitted`);
      return;
    }
    const t = this.tracker.add(order);
    this.spawn(() => this.flow.place(t));
  }

  cancel(clientOrderId: string, reason: string): void {
    const t = this.tracker.get(clientOrderId);
    if (!t || t.state === 'done' || t.state === 'unknown') return;
    if (t.state !== 'open' || !t.hash) {
      t.cancelRequested = reason;
      return;
    }
    this.spawn(() => this.cancelTracked([t], reason, () => this.client.cancelOrder({ orderID: t.hash! })));
  }

  cancelAll(reason: string): void {
    const live = this.tracker.active();
    for (const t of live) if (t.state !== 'open') t.cancelRequested = reason;
    this.spawn(() =>
      this.cancelTracked(
        live.filter((t) => t.state === 'open'),
        reason,
        () => this.client.cancelAll(),
      ),
    );
  }

  /**
   * Cancels every open order and waits for the CLOB's answer: undefined when it answered, else what
   * failed (the orders may still be open). For a session's stop, which must not claim otherwise.
   */
  async cancelAllNow(reason: string): Promise<string | undefined> {
    const live = this.tracker.active();
    for (const t of live) if (t.state !== 'open') t.cancelRequested = reason;
    const error = await this.cancelTracked(
      live.filter((t) => t.state === 'open'),
      reason,
      () => this.client.cancelAll(),
    );
    return error?.message;
  }

  openOrders(): Order[] {
    return this.tracker.active().map((t) => t.order);
  }

  /** Resolves once every submit/cancel/poll started so far has finished (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0 || this.polling) {
      await Promise.all([...this.inFlight, this.polling]);
    }
  }

  /**
   * Stops polling and waits for what is in flight, then reads the watched orders once more: a resting
   * order filled since the last timed poll would otherwise be missed by this process (and only found by
   * the next start's reconciliation, if there is one). Bounded by `closePollMs`: a CLOB that does not
   * answer does not hold the shutdown.
   */
  async close(): Promise<void> {
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.pollTimer = undefined;
    await this.idle();
    if (this.closed || this.tracker.watched().length === 0) return;
    this.closed = true;
    await withTimeout(this.poll(), this.settings.closePollMs, 'the last poll of watched orders on close').catch((err) =>
      this.report(classifyError(err, false).error, 'poll'),
    );
  }

  private spawn(fn: () => Promise<unknown>): void {
    const p: Promise<void> = fn()
      .then(() => undefined)
      .catch((err) => this.report(classifyError(err, false).error, 'internal'))
      .finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
  }

  private report(error: VenueError, action: string, clientOrderId?: string): void {
    this.settings.onError?.(error, { action, clientOrderId });
  }

  /** Returns the error when the cancel call failed (reported too). */
  private async cancelTracked(list: Tracked[], reason: string, call: () => Promise<unknown>): Promise<VenueError | undefined> {
    let res: { canceled?: string[]; not_canceled?: Record<string, string> };
    try {
      res = (await this.api.call('cancelling', call)) as typeof res;
    } catch (err) {
      const error = err instanceof VenueError ? err : classifyError(err, false).error;
      this.report(error, 'cancel');
      return error;
    }
    const cancelled = new Set((res?.canceled ?? []).map((id) => id.toLowerCase()));
    const hit = list.filter((t) => t.hash && cancelled.has(t.hash.toLowerCase()));
    // Fills that happened before the cancel must land before the cancel event.
    if (hit.length > 0) await this.syncTrades();
    for (const t of hit) {
      this.flow.outcome(t, 'cancelled', reason);
      this.tracker.cancelled(t, reason);
    }
    if (hit.length < list.length) await this.poll();
    return undefined;
  }

  private async syncTrades(): Promise<void> {
    const trades = await this.api.fetchTrades({ after: String(this.tradesSinceSec) });
    let newest = 0;
    for (const tr of trades) newest = Math.max(newest, Number(tr.match_time) || 0);
    this.tracker.applyTrades([...trades].reverse());
    if (newest > 0) this.tradesSinceSec = Math.max(this.tradesSinceSec, newest - 60);
  }

  /**
   * One sync with the CLOB: new trades of our orders become fills; resting orders that left the
   * book unfilled become cancelled/expired. Runs on a timer after `attach`, or call it directly.
   */
  poll(): Promise<void> {
    if (this.polling) return this.polling;
    this.polling = this.pollOnce().finally(() => (this.polling = undefined));
    return this.polling;
  }

  private async pollOnce(): Promise<void> {
    const watched = this.tracker.watched();
    if (watched.length === 0) return;
    try {
      const restingBefore = watched.filter((t) => t.state === 'open' && t.hash);
      const open =
        restingBefore.length > 0 ? new Set((await this.api.fetchOpenOrders()).map((o) => o.id.toLowerCase())) : new Set<string>();
      await this.syncTrades();
      const now = this.settings.now();
      for (const t of restingBefore) {
        if (!open.has(t.hash!.toLowerCase())) t.closedOnVenue = true;
        this.tracker.settleClosedLimit(t, now);
      }
      for (const t of watched) this.tracker.settleMarketOrder(t);
      this.tracker.forgetGhosts(now - 10 * 60_000);
    } catch (err) {
      this.report(err as VenueError, 'poll');
    }
  }

  /**
   * Start-up: looks up every journalled intent that never got an outcome (a crash between journal
   * and answer) and reports what the CLOB did with it. Open ones are adopted (their fills arrive as
   * events once attached); one the CLOB never saw is posted again as the same signed order when
   * `resend` allows (its answer follows as events; `idle()` waits for it); all get an outcome in the journal.
   */
  async recoverPending(resend?: ResendRule): Promise<RecoveredIntent[]> {
    const journal = this.settings.journal;
    if (!journal) return [];
    const deps = {
      api: this.api,
      tracker: this.tracker,
      flow: this.flow,
      now: this.settings.now,
      spawn: (job: () => Promise<unknown>) => this.spawn(job),
    };
    return recoverIntents(deps, journal.pendingIntents(), resend);
  }
}
