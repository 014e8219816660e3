/**
 * The live venue: orders go to the Polymarket CLOB through @polymarket/clob-client-v2, results come
 * back as OrderEvents (asynchronously, after `submit` returns).
 *
 * Never twice: each order is signed once, its orderID (hash) journalled before the POST, and a POST
 * whose outcome is unknown (timeout, reset) is looked up on the CLOB by that hash instead of being
 * re-sent. Only replies that prove the order was not taken (429, 425, 503 with a retry time) are
 * retried, with the same signed order, after the time the CLOB asked for. Every trade becomes a fill
 * exactly once (tracked per trade and order).
 */
import type { ClobClient, OrderResponse, Trade } from '@polymarket/clob-client-v2';
import type { LiveAccount } from '../../wallet/live-account.ts';
import type { ApiCreds } from '../../wallet/api-creds.ts';
import { withTimeout } from '../../core/timeout.ts';
import { redact } from '../../core/redact.ts';
import { VenueError } from '../../core/errors.ts';
import type { OrderEvent } from '../../core/events.ts';
import type { Venue } from '../../core/ports.ts';
import type { Order } from '../../core/types.ts';
import { ClobApi, createClobClient } from './clob-api.ts';
import { classifyError, reasonFromText } from './clob-errors.ts';
import type { IntentJournal, IntentStatus } from './intent-journal.ts';
import { OrderTracker, type Tracked } from './order-tracker.ts';
import type { SignOutcome } from './order-signing.ts';
import { OrderSigner, SignTimeout } from './order-signer.ts';
import { TurnQueue } from './turn-queue.ts';
import { type Reconciled, reconcileOrder } from './reconcile.ts';

export interface ClobVenueOptions {
  journal?: IntentJournal;
  /** Deadline for POST /order; past it the outcome is unknown and reconciled. Default 10 s. */
  postTimeoutMs?: number;
  /** Deadline for every other call. Default 15 s. */
  requestTimeoutMs?: number;
  /** Retries of a POST the CLOB refused with 429/425/503. Default 3. */
  maxRetries?: number;
  /** Give up (reject) when the CLOB asks to wait longer than this. Default 30 s. */
  maxRetryWaitMs?: number;
  /** Backoff when no Retry-After was given: base × 2^attempt. Default 500 ms. */
  backoffMs?: number;
  /** Background poll for maker fills, cancels and expiries; 0 = only when `poll()` is called. Default 2000. */
  pollIntervalMs?: number;
  /** Longest `close()` waits for its last poll of watched orders. Default 10 s. */
  closePollMs?: number;
  /** Wait before looking up an unknown outcome (lets the CLOB finish). Default 1000 ms. */
  reconcileGraceMs?: number;
  /** Lookups of a matched order's trades right after the POST, and the pause between them. */
  tradeLookupAttempts?: number;
  tradeLookupDelayMs?: number;
  /** POST /order requests in flight at once (the rest wait their turn). Default 4. */
  postConcurrency?: number;
  /** Orders signed at once (signing is CPU work; the rest wait their turn). Default 2. */
  signConcurrency?: number;
  /** Deadline for signing one order, counted from its turn. Default: requestTimeoutMs. */
  signTimeoutMs?: number;
  /** Sign attempts after a timed-out one before the order is refused as `sign_timeout`. Default 1. */
  signRetries?: number;
  /** Sign requests with the CLOB's clock. */
  useServerTime?: boolean;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Every venue error, redacted (for alerts and logs). */
  onError?: (error: VenueError, context: { action: string; clientOrderId?: string }) => void;
}

/** What start-up reconciliation found for one journalled intent. */
export interface RecoveredIntent {
  clientOrderId: string;
  orderHash: string;
  status: 'open' | 'filled' | 'partially_filled' | 'cancelled' | 'not_found';
  filledMicros: number;
}

const DELAYED = '(delayed)';
const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class ClobVenue implements Venue {
  readonly name = 'clob';
  readonly api: ClobApi;
  private readonly tracker: OrderTracker;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly settings: Required<Omit<ClobVenueOptions, 'journal' | 'onError' | 'useServerTime' | 'signTimeoutMs'>> &
    Pick<ClobVenueOptions, 'journal' | 'onError' | 'signTimeoutMs'>;
  private readonly postQueue: TurnQueue;
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
    this.settings = {
      postTimeoutMs: 10_000,
      requestTimeoutMs: 15_000,
      maxRetries: 3,
      maxRetryWaitMs: 30_000,
      backoffMs: 500,
      pollIntervalMs: 2000,
      closePollMs: 10_000,
      reconcileGraceMs: 1000,
      tradeLookupAttempts: 8,
      tradeLookupDelayMs: 250,
      signConcurrency: 2,
      postConcurrency: 4,
      signRetries: 1,
      now: () => Date.now(),
      sleep: defaultSleep,
      ...options,
    };
    // postOrder would otherwise poll GET /data/trades for up to 30 s before returning a matched
    // order; the venue reads the trades itself, so the POST returns as soon as the CLOB answers.
    (client as unknown as { resolveTransactionsHashes: (r: OrderResponse) => Promise<OrderResponse> }).resolveTransactionsHashes = async (
      r,
    ) => r;
    this.api = new ClobApi(client, this.settings.requestTimeoutMs);
    this.postQueue = new TurnQueue(this.settings.postConcurrency, 'POST /order');
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
    this.spawn(() => this.place(t));
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

  private outcome(t: Tracked, status: IntentStatus, reason?: string): void {
    if (!t.journalled) return;
    this.settings.journal?.recordOutcome(t.order.clientOrderId, { status, venueOrderId: t.hash, reason, atMs: this.settings.now() });
    t.journalled = false;
  }

  private async place(t: Tracked): Promise<void> {
    const order = t.order;
    let signed: SignOutcome;
    try {
      signed = await this.signer.sign(order);
    } catch (err) {
      if (err instanceof SignTimeout) return this.tracker.reject(t, order, 'sign_timeout', err.message);
      const c = classifyError(err, false);
      this.report(c.error, 'sign', order.clientOrderId);
      return this.tracker.reject(t, order, c.reason, c.error.message);
    }
    if (!signed.ok) return this.tracker.reject(t, order, signed.reason, signed.message);
    const s = signed.value;
    this.tracker.setHash(t, s.orderHash, s);
    t.signedAtMs = this.settings.now();
    this.settings.journal?.recordIntent({
      clientOrderId: order.clientOrderId,
      order,
      orderHash: s.orderHash,
      salt: String(s.signed.salt),
      makerAmount: String(s.signed.makerAmount),
      takerAmount: String(s.signed.takerAmount),
      signedAtMs: t.signedAtMs,
    });
    t.journalled = this.settings.journal !== undefined;
    t.state = 'posting';

    let response: OrderResponse | undefined;
    for (let attempt = 0; ; attempt++) {
      try {
        // A few POSTs at a time, each deadline from its own turn: a burst queued at the CLOB would
        // otherwise spend its deadlines waiting there and end as unknown outcomes.
        response = await this.postQueue.run(() =>
          withTimeout(this.client.postOrder(s.signed, s.orderType, s.postOnly), this.settings.postTimeoutMs, 'waiting for POST /order'),
        );
        break;
      } catch (err) {
        const c = classifyError(err, true);
        this.report(c.error, 'post', order.clientOrderId);
        if (c.error.outcomeUnknown) return this.resolveUnknown(t);
        const wait = c.error.retryAfterMs ?? this.settings.backoffMs * 2 ** attempt;
        if (c.error.retryable && attempt < this.settings.maxRetries && wait <= this.settings.maxRetryWaitMs) {
          await this.settings.sleep(wait);
          continue;
        }
        this.outcome(t, 'rejected', c.reason);
        return this.tracker.reject(t, order, c.reason, c.error.message);
      }
    }
    if (response.success === false || (typeof response.errorMsg === 'string' && response.errorMsg !== '')) {
      const text = redact(String(response.errorMsg || 'order not placed'));
      this.outcome(t, 'rejected', reasonFromText(text));
      return this.tracker.reject(t, order, reasonFromText(text), text);
    }
    if (response.orderID && response.orderID.toLowerCase() !== s.orderHash.toLowerCase()) this.tracker.setHash(t, response.orderID, s);
    this.outcome(t, 'accepted');
    this.tracker.accept(t);
    await this.afterAccept(t, response.tradeIDs ?? [], response);
  }

  /** Reads the trades of a just-accepted order, then finishes market orders / cancels if asked. */
  private async afterAccept(t: Tracked, tradeIds: string[], response?: OrderResponse): Promise<void> {
    const wanted = new Set(tradeIds.filter(Boolean));
    // A "delayed" marketable order (sports markets) matches seconds later: keep it open until the
    // poller sees its trades or 30 s pass.
    if (response?.status === 'delayed') wanted.add(DELAYED);
    t.awaitTrades = wanted;
    for (let i = 0; i < this.settings.tradeLookupAttempts && t.awaitTrades.size > 0; i++) {
      if (i > 0) await this.settings.sleep(this.settings.tradeLookupDelayMs);
      if ([...t.awaitTrades].every((id) => id === DELAYED)) break;
      const pages = await Promise.all(
        [...t.awaitTrades].filter((id) => id !== DELAYED).map((id) => this.api.fetchTrades({ id }).catch(() => [] as Trade[])),
      );
      this.tracker.applyTrades(pages.flat());
    }
    if (t.awaitTrades.size > 0 && response) {
      t.fallback = { making: response.makingAmount, taking: response.takingAmount, deadlineMs: this.settings.now() + 30_000 };
    }
    this.tracker.settleMarketOrder(t);
    if (t.cancelRequested && t.state === 'open') {
      const reason = t.cancelRequested;
      await this.cancelTracked([t], reason, () => this.client.cancelOrder({ orderID: t.hash! }));
    }
  }

  /** The POST's outcome is unknown: find the order by hash before doing anything else. */
  private async resolveUnknown(t: Tracked): Promise<void> {
    t.state = 'unknown';
    await this.settings.sleep(this.settings.reconcileGraceMs);
    const r = await this.reconcileWithRetries(t);
    if (!r) {
      // The CLOB could not be asked either (the overload that lost the answer, often): the order may
      // well have executed. No outcome in the journal, so a restart asks again; until then its trades
      // are watched by hash like any lost order's, and become fills when they show up.
      return this.tracker.reject(
        t,
        t.order,
        'outcome_unknown',
        'POST /order got no answer and the CLOB could not be asked about the order; it was not re-sent, its trades are still watched',
        { keepWatching: true },
      );
    }
    if (!r.found) {
      this.outcome(t, 'not_found');
      // Kept by hash: a late arrival's trades are still reported as fills.
      return this.tracker.reject(
        t,
        t.order,
        'outcome_unknown',
        'POST /order got no answer and the order is not on the CLOB; it was not re-sent',
        { keepWatching: true },
      );
    }
    this.outcome(t, 'accepted');
    this.tracker.accept(t);
    this.tracker.applyTrades(r.trades);
    if (!r.open) t.closedOnVenue = true;
    this.tracker.settleMarketOrder(t);
    this.tracker.settleClosedLimit(t, this.settings.now());
  }

  /** Looks the order up by hash, retrying failed look-ups; undefined when every attempt failed. */
  private async reconcileWithRetries(t: Tracked): Promise<Reconciled | undefined> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await reconcileOrder(this.api, t.hash!, t.order.tokenId, t.signedAtMs ?? this.settings.now());
      } catch (err) {
        this.report(classifyError(err, false).error, 'reconcile', t.order.clientOrderId);
        if (attempt >= this.settings.maxRetries) return undefined;
        await this.settings.sleep(this.settings.backoffMs * 2 ** attempt);
      }
    }
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
      this.outcome(t, 'cancelled', reason);
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
   * events once attached); all get an outcome in the journal.
   */
  async recoverPending(): Promise<RecoveredIntent[]> {
    const journal = this.settings.journal;
    if (!journal) return [];
    const out: RecoveredIntent[] = [];
    for (const intent of journal.pendingIntents()) {
      const r = await reconcileOrder(this.api, intent.orderHash, intent.order.tokenId, intent.signedAtMs);
      const t = this.tracker.get(intent.clientOrderId) ?? this.tracker.add(intent.order);
      this.tracker.setHash(t, intent.orderHash);
      t.signedAtMs = intent.signedAtMs;
      t.journalled = true;
      if (!r.found) {
        this.outcome(t, 'not_found');
        this.tracker.reject(t, t.order, 'outcome_unknown', 'journalled before a crash; the CLOB has no such order', { keepWatching: true });
        out.push({ clientOrderId: intent.clientOrderId, orderHash: intent.orderHash, status: 'not_found', filledMicros: 0 });
        continue;
      }
      this.tracker.accept(t);
      this.tracker.applyTrades(r.trades);
      if (!r.open) t.closedOnVenue = true;
      const complete = t.order.type === 'FOK' ? r.trades.length > 0 : this.tracker.isComplete(t);
      this.tracker.settleMarketOrder(t);
      this.tracker.settleClosedLimit(t, this.settings.now());
      const filled = t.filledMicros;
      const status: RecoveredIntent['status'] = r.open
        ? 'open'
        : complete || this.tracker.isComplete(t)
          ? 'filled'
          : filled > 0
            ? 'partially_filled'
            : 'cancelled';
      this.outcome(t, status === 'open' ? 'accepted' : status === 'filled' ? 'filled' : 'cancelled');
      out.push({ clientOrderId: intent.clientOrderId, orderHash: intent.orderHash, status, filledMicros: filled });
    }
    return out;
  }
}
