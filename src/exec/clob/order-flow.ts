/**
 * One order's way from signing to the CLOB's answer. Each order is signed once and journalled (with
 * the signed order) before its POST; a POST whose outcome is unknown (timeout, reset) is looked up on
 * the CLOB by hash instead of being re-sent, and so is one the CLOB calls a duplicate (it has that
 * hash already). Only replies that prove the order was not taken (429, 425, 503 with a retry time)
 * are retried, with the same signed order, after the time the CLOB asked for.
 */
import type { ClobClient, OrderResponse, Trade } from '@polymarket/clob-client-v2';
import { withTimeout } from '../../core/timeout.ts';
import { redact } from '../../core/redact.ts';
import type { VenueError } from '../../core/errors.ts';
import type { ClobApi } from './clob-api.ts';
import { classifyError, reasonFromText } from './clob-errors.ts';
import type { VenueSettings } from './clob-venue-options.ts';
import type { IntentStatus, SignedPayload } from './intent-journal.ts';
import type { OrderSigner } from './order-signer.ts';
import { SignTimeout } from './order-signer.ts';
import type { SignOutcome } from './order-signing.ts';
import type { OrderTracker, Tracked } from './order-tracker.ts';
import { type Reconciled, reconcileOrder } from './reconcile.ts';
import type { TurnQueue } from './turn-queue.ts';

const DELAYED = '(delayed)';

export interface OrderFlowDeps {
  client: ClobClient;
  api: ClobApi;
  tracker: OrderTracker;
  signer: OrderSigner;
  postQueue: TurnQueue;
  settings: VenueSettings;
  report: (error: VenueError, action: string, clientOrderId?: string) => void;
  /** Cancels one open order (a cancel asked for while the order was still being posted). */
  cancelOpen: (t: Tracked, reason: string) => Promise<unknown>;
}

export class OrderFlow {
  constructor(private readonly d: OrderFlowDeps) {}

  /** Writes the order's outcome to the intent journal (once per journalled intent). */
  outcome(t: Tracked, status: IntentStatus, reason?: string): void {
    if (!t.journalled) return;
    this.d.settings.journal?.recordOutcome(t.order.clientOrderId, { status, venueOrderId: t.hash, reason, atMs: this.d.settings.now() });
    t.journalled = false;
  }

  /** Signs, journals and posts a new order. */
  async place(t: Tracked): Promise<void> {
    const { tracker, settings } = this.d;
    const order = t.order;
    let signed: SignOutcome;
    try {
      signed = await this.d.signer.sign(order);
    } catch (err) {
      if (err instanceof SignTimeout) return tracker.reject(t, order, 'sign_timeout', err.message);
      const c = classifyError(err, false);
      this.d.report(c.error, 'sign', order.clientOrderId);
      return tracker.reject(t, order, c.reason, c.error.message);
    }
    if (!signed.ok) return tracker.reject(t, order, signed.reason, signed.message);
    const s = signed.value;
    tracker.setHash(t, s.orderHash, s);
    t.signedAtMs = settings.now();
    const payload: SignedPayload = { order: s.signed, orderType: s.orderType, postOnly: s.postOnly };
    settings.journal?.recordIntent({
      clientOrderId: order.clientOrderId,
      order,
      orderHash: s.orderHash,
      salt: String(s.signed.salt),
      makerAmount: String(s.signed.makerAmount),
      takerAmount: String(s.signed.takerAmount),
      signedAtMs: t.signedAtMs,
      signed: payload,
    });
    t.journalled = settings.journal !== undefined;
    await this.post(t, payload);
  }

  /** POSTs a signed order (new, or journalled by a process that died before sending it). */
  async post(t: Tracked, payload: SignedPayload): Promise<void> {
    const { tracker, settings } = this.d;
    const order = t.order;
    t.state = 'posting';
    let response: OrderResponse | undefined;
    for (let attempt = 0; ; attempt++) {
      try {
        // A few POSTs at a time, each deadline from its own turn: a burst queued at the CLOB would
        // otherwise spend its deadlines waiting there and end as unknown outcomes.
        response = await this.d.postQueue.run(() =>
          withTimeout(
            this.d.client.postOrder(payload.order, payload.orderType, payload.postOnly),
            settings.postTimeoutMs,
            'waiting for POST /order',
          ),
        );
        break;
      } catch (err) {
        const c = classifyError(err, true);
        this.d.report(c.error, 'post', order.clientOrderId);
        // "Duplicated": the CLOB has this hash already (an earlier POST got there); find out what became of it.
        if (c.error.outcomeUnknown || c.reason === 'duplicate') return this.resolveUnknown(t);
        const wait = c.error.retryAfterMs ?? settings.backoffMs * 2 ** attempt;
        if (c.error.retryable && attempt < settings.maxRetries && wait <= settings.maxRetryWaitMs) {
          await settings.sleep(wait);
          continue;
        }
        this.outcome(t, 'rejected', c.reason);
        return tracker.reject(t, order, c.reason, c.error.message);
      }
    }
    if (response.success === false || (typeof response.errorMsg === 'string' && response.errorMsg !== '')) {
      const text = redact(String(response.errorMsg || 'order not placed'));
      if (reasonFromText(text) === 'duplicate') return this.resolveUnknown(t);
      this.outcome(t, 'rejected', reasonFromText(text));
      return tracker.reject(t, order, reasonFromText(text), text);
    }
    if (response.orderID && response.orderID.toLowerCase() !== t.hash?.toLowerCase()) tracker.setHash(t, response.orderID);
    this.outcome(t, 'accepted');
    tracker.accept(t);
    await this.afterAccept(t, response.tradeIDs ?? [], response);
  }

  /** Reads the trades of a just-accepted order, then finishes market orders / cancels if asked. */
  private async afterAccept(t: Tracked, tradeIds: string[], response?: OrderResponse): Promise<void> {
    const { tracker, settings } = this.d;
    const wanted = new Set(tradeIds.filter(Boolean));
    // A "delayed" marketable order (sports markets) matches seconds later: keep it open until the
    // poller sees its trades or 30 s pass.
    if (response?.status === 'delayed') wanted.add(DELAYED);
    t.awaitTrades = wanted;
    for (let i = 0; i < settings.tradeLookupAttempts && t.awaitTrades.size > 0; i++) {
      if (i > 0) await settings.sleep(settings.tradeLookupDelayMs);
      if ([...t.awaitTrades].every((id) => id === DELAYED)) break;
      const pages = await Promise.all(
        [...t.awaitTrades].filter((id) => id !== DELAYED).map((id) => this.d.api.fetchTrades({ id }).catch(() => [] as Trade[])),
      );
      tracker.applyTrades(pages.flat());
    }
    if (t.awaitTrades.size > 0 && response) {
      t.fallback = { making: response.makingAmount, taking: response.takingAmount, deadlineMs: settings.now() + 30_000 };
    }
    tracker.settleMarketOrder(t);
    if (t.cancelRequested && t.state === 'open') await this.d.cancelOpen(t, t.cancelRequested);
  }

  /** The POST's outcome is unknown: find the order by hash before doing anything else. */
  async resolveUnknown(t: Tracked): Promise<void> {
    const { tracker, settings } = this.d;
    t.state = 'unknown';
    await settings.sleep(settings.reconcileGraceMs);
    const r = await this.reconcileWithRetries(t);
    if (!r) {
      // The CLOB could not be asked either (the overload that lost the answer, often): the order may
      // well have executed. No outcome in the journal, so a restart asks again; until then its trades
      // are watched by hash like any lost order's, and become fills when they show up.
      return tracker.reject(
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
      return tracker.reject(
        t,
        t.order,
        'outcome_unknown',
        'POST /order got no answer and the order is not on the CLOB; it was not re-sent',
        {
          keepWatching: true,
        },
      );
    }
    this.outcome(t, 'accepted');
    this.adopt(t, r);
  }

  /** An order the CLOB has: accepted, its trades applied, finished when it is no longer open. */
  adopt(t: Tracked, r: Reconciled): void {
    const { tracker } = this.d;
    tracker.accept(t);
    tracker.applyTrades(r.trades);
    if (!r.open) t.closedOnVenue = true;
    tracker.settleMarketOrder(t);
    tracker.settleClosedLimit(t, this.d.settings.now());
  }

  /** Looks the order up by hash, retrying failed look-ups; undefined when every attempt failed. */
  private async reconcileWithRetries(t: Tracked): Promise<Reconciled | undefined> {
    const { settings } = this.d;
    for (let attempt = 0; ; attempt++) {
      try {
        return await reconcileOrder(this.d.api, t.hash!, t.order.tokenId, t.signedAtMs ?? settings.now());
      } catch (err) {
        this.d.report(classifyError(err, false).error, 'reconcile', t.order.clientOrderId);
        if (attempt >= settings.maxRetries) return undefined;
        await settings.sleep(settings.backoffMs * 2 ** attempt);
      }
    }
  }
}
