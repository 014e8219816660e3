/**
 * Start-up: every journalled intent that never got an outcome (a crash between journal and answer)
 * is looked up on the CLOB by hash. Found: adopted (open ones keep trading, their fills arrive as
 * events). Not found: the process died before its POST got there, so the very same signed order is
 * posted now — the CLOB refuses a second order with that hash, so this cannot place it twice — as long
 * as the target fill it copies is still fresh and the order has not expired; otherwise it is refused
 * with the reason, never sent.
 */
import type { Order } from '../../core/types.ts';
import type { IntentRecord, SignedPayload } from './intent-journal.ts';
import type { OrderFlow } from './order-flow.ts';
import type { OrderTracker } from './order-tracker.ts';
import { reconcileOrder } from './reconcile.ts';
import type { ClobApi } from './clob-api.ts';

/** What start-up reconciliation found for one journalled intent. */
export interface RecoveredIntent {
  clientOrderId: string;
  orderHash: string;
  /** `resent`: not on the CLOB, posted again now (its answer follows as events). */
  status: 'open' | 'filled' | 'partially_filled' | 'cancelled' | 'not_found' | 'resent';
  filledMicros: number;
  /** not_found: why it was not posted again. */
  reason?: string;
}

/** When a signed order the CLOB never saw may still be posted after a restart. */
export interface ResendRule {
  /** A copy older than this (from its target fill) is too late to send. */
  maxAgeMs: number;
  /** When the target fill that `order` copies happened; undefined = unknown (the order's creation is used). */
  eventMsOf(order: Order): number | undefined;
}

/** The CLOB refuses a GTD order that expires within a minute (it would be gone before it could trade). */
const EXPIRY_MARGIN_MS = 60_000;

/** The signed order to post again at `nowMs`, or why `intent` must not be. */
export function resendDecision(
  intent: IntentRecord,
  nowMs: number,
  rule: ResendRule | undefined,
): { payload: SignedPayload } | { reason: string; message: string } {
  if (!intent.signed || !rule)
    return { reason: 'outcome_unknown', message: 'journalled before a crash; the CLOB has no such order and it was not re-sent' };
  const ageMs = nowMs - (rule.eventMsOf(intent.order) ?? intent.order.createdMs);
  if (ageMs > rule.maxAgeMs)
    return {
      reason: 'stale_after_restart',
      message: `signed before a crash but never sent; its target fill is ${Math.round(ageMs / 1000)} s old (limit ${Math.round(rule.maxAgeMs / 1000)} s), so it was not sent`,
    };
  const expiresSec = Number((intent.signed.order as { expiration?: string | number }).expiration ?? 0) || 0;
  if (expiresSec > 0 && expiresSec * 1000 <= nowMs + EXPIRY_MARGIN_MS)
    return { reason: 'expired_after_restart', message: 'signed before a crash but never sent; it has expired, so it was not sent' };
  return { payload: intent.signed };
}

export interface RecoveryDeps {
  api: ClobApi;
  tracker: OrderTracker;
  flow: OrderFlow;
  now: () => number;
  /** Runs a job in the background (the venue's `idle()` waits for it). */
  spawn: (job: () => Promise<unknown>) => void;
}

export async function recoverIntents(d: RecoveryDeps, pending: IntentRecord[], rule: ResendRule | undefined): Promise<RecoveredIntent[]> {
  const out: RecoveredIntent[] = [];
  for (const intent of pending) {
    const r = await reconcileOrder(d.api, intent.orderHash, intent.order.tokenId, intent.signedAtMs);
    const t = d.tracker.get(intent.clientOrderId) ?? d.tracker.add(intent.order);
    d.tracker.setHash(t, intent.orderHash);
    t.signedAtMs = intent.signedAtMs;
    t.journalled = true;
    const base = { clientOrderId: intent.clientOrderId, orderHash: intent.orderHash };
    if (!r.found) {
      const resend = resendDecision(intent, d.now(), rule);
      if ('payload' in resend) {
        t.signedMakerMicros = Number(resend.payload.order.makerAmount);
        d.spawn(() => d.flow.post(t, resend.payload));
        out.push({ ...base, status: 'resent', filledMicros: 0 });
        continue;
      }
      d.flow.outcome(t, 'not_found', resend.reason);
      d.tracker.reject(t, t.order, resend.reason, resend.message, { keepWatching: true });
      out.push({ ...base, status: 'not_found', filledMicros: 0, reason: resend.reason });
      continue;
    }
    d.flow.adopt(t, r);
    const complete = t.order.type === 'FOK' ? r.trades.length > 0 : d.tracker.isComplete(t);
    const filled = t.filledMicros;
    const status: RecoveredIntent['status'] = r.open
      ? 'open'
      : complete || d.tracker.isComplete(t)
        ? 'filled'
        : filled > 0
          ? 'partially_filled'
          : 'cancelled';
    d.flow.outcome(t, status === 'open' ? 'accepted' : status === 'filled' ? 'filled' : 'cancelled');
    out.push({ ...base, status, filledMicros: filled });
  }
  return out;
}
