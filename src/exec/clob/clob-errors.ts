/**
 * What an SDK/CLOB failure means for the venue: a reason code for order_rejected (the sim's codes
 * where they exist), and a VenueError saying whether to retry, after how long, and whether the order
 * may exist anyway (outcome unknown ⇒ reconcile before anything else). Texts are the real CLOB's
 * (https://docs.polymarket.com/resources/error-codes) and the local errors of @polymarket/clob-client-v2
 * 1.1.0 (its src/client.ts and src/errors.ts, github.com/Polymarket/clob-client-v2).
 */
import { VenueError, type VenueErrorKind } from '../../core/errors.ts';
import { redactedMessage } from '../../core/redact.ts';

/** [substring (lower-case), reason code] — first match wins, so specific texts come first. */
const REASONS: [string, string][] = [
  ['not enough balance', 'insufficient_balance'],
  ['breaks minimum tick size rule', 'invalid_tick'],
  ['invalid tick size', 'invalid_tick'],
  ['lower than the minimum', 'below_min_size'],
  ['invalid amount for a marketable buy', 'below_min_notional'],
  ['duplicated', 'duplicate'],
  ['invalid post-only order: order crosses book', 'post_only_cross'],
  ['crosses the book', 'post_only_cross'],
  ['postonly is not supported', 'post_only_not_allowed'],
  ['can be post-only', 'post_only_not_allowed'],
  ['invalid amounts', 'invalid_amounts'],
  ['rounding issues', 'invalid_amounts'],
  ['invalid expiration', 'invalid_expiration'],
  ['fok order', 'no_match'],
  ['fak order', 'no_match'],
  ['fok orders are fully filled or killed', 'no_match'],
  ['there are no matching orders', 'no_match'],
  ['no match', 'no_match'],
  ['discrepancy greater than allowed', 'price_discrepancy'],
  ['invalid price', 'invalid_price'],
  ['not yet ready to process new orders', 'market_not_ready'],
  ['order canceled in the ctf exchange contract', 'cancelled_onchain'],
  ['owner has to be the owner of the api key', 'auth_mismatch'],
  ['signer address has to be the address of the api key', 'auth_mismatch'],
  ['invalid signature', 'invalid_signature'],
  ['address banned', 'banned'],
  ['closed only mode', 'closed_only'],
  ['deposit wallet flow', 'invalid_signature'],
  ['invalid order payload', 'invalid_payload'],
  ['invalid token id', 'unknown_token'],
  ['unauthorized', 'auth'],
  ['invalid api key', 'auth'],
  ['invalid l1 request headers', 'auth'],
  ['trading is currently disabled', 'trading_disabled'],
  ['cancel-only', 'cancel_only'],
  ['post-only mode', 'post_only_mode'],
  ['too many requests', 'rate_limited'],
  ['too early', 'engine_restarting'],
  ['could not insert order', 'venue_error'],
  ['sorry, you have been blocked', 'geoblocked'],
];

/** The reason code for an exchange/SDK error text; `venue_error` when it is not one we know. */
export function reasonFromText(text: string): string {
  const t = text.toLowerCase();
  for (const [needle, code] of REASONS) if (t.includes(needle)) return code;
  return 'venue_error';
}

/** What went wrong, as the venue acts on it. */
export interface ClassifiedError {
  error: VenueError;
  /** Reason code for order_rejected. */
  reason: string;
  /** The HTTP status, when the server answered. */
  status?: number;
}

const TRANSPORT_NOT_SENT = ['econnrefused', 'enotfound', 'eai_again', 'enetunreach', 'ehostunreach'];
const TRANSPORT_MAYBE_SENT = ['socket hang up', 'econnreset', 'econnaborted', 'etimedout', 'network error', 'aborted', 'timeout'];

function retryAfterMsOf(data: unknown): number | undefined {
  const d = data as { retry_after_seconds?: unknown } | undefined;
  const sec = Number(d?.retry_after_seconds);
  return Number.isFinite(sec) && sec >= 0 ? Math.round(sec * 1000) : undefined;
}

/**
 * Classifies anything an SDK call threw. `sentOrder` is true for POST /order: a transport failure
 * there may have placed the order (outcome unknown).
 */
export function classifyError(err: unknown, sentOrder: boolean): ClassifiedError {
  if (err instanceof VenueError) {
    const reason = err.kind === 'timeout' ? 'timeout' : reasonFromText(err.message);
    return { error: sentOrder && err.kind === 'timeout' ? new VenueError(err.message, 'timeout', false, true) : err, reason };
  }
  const message = redactedMessage(err);
  const e = err as { status?: unknown; data?: unknown };
  let status = typeof e?.status === 'number' ? e.status : undefined;
  // An empty-bodied error reply loses its status in the SDK; the text still carries it.
  const m = /request failed with status code (\d{3})/i.exec(message);
  if (status === undefined && m) status = Number(m[1]);
  const reason = reasonFromText(message);
  const mk = (kind: VenueErrorKind, retryable: boolean, outcomeUnknown = false, retryAfterMs?: number) =>
    new VenueError(message, kind, retryable, outcomeUnknown, retryAfterMs);

  if (status === undefined) {
    const t = message.toLowerCase();
    const looksTransport = TRANSPORT_NOT_SENT.some((s) => t.includes(s)) || TRANSPORT_MAYBE_SENT.some((s) => t.includes(s));
    if (!looksTransport && !(err as { isAxiosError?: boolean })?.isAxiosError) {
      // A local SDK error ("no match", "invalid price (…)"): nothing was sent.
      return { error: mk('rejected', false), reason: reason === 'venue_error' ? 'sdk_error' : reason };
    }
    if (TRANSPORT_NOT_SENT.some((s) => t.includes(s))) return { error: mk('network', true), reason: 'network' };
    return { error: mk('network', !sentOrder, sentOrder), reason: 'network' };
  }
  const retryAfterMs = retryAfterMsOf(e.data);
  if (status === 429) return { error: mk('rate_limited', true, false, retryAfterMs), reason: 'rate_limited', status };
  if (status === 425) return { error: mk('unavailable', true, false, retryAfterMs), reason: 'engine_restarting', status };
  if (status === 503) {
    // Post-only mode lifts after ~2 minutes; disabled / cancel-only have no known end.
    const retryable = reason === 'post_only_mode' || retryAfterMs !== undefined;
    return { error: mk('unavailable', retryable, false, retryAfterMs), reason: reason === 'venue_error' ? 'unavailable' : reason, status };
  }
  if (status === 401) return { error: mk('auth', false), reason: 'auth', status };
  if (status === 403) {
    const geo = reason === 'geoblocked' || /<html|blocked/i.test(message);
    return { error: mk(geo ? 'geoblocked' : 'auth', false), reason: geo ? 'geoblocked' : 'auth', status };
  }
  if (status >= 500) {
    // "could not insert order" is the CLOB saying no; a gateway error may have forwarded the POST.
    const known = reason !== 'venue_error' || status === 500;
    return { error: mk('unavailable', !sentOrder || known, sentOrder && !known), reason, status };
  }
  const kind: VenueErrorKind =
    reason === 'insufficient_balance' ? 'insufficient_balance' : reason === 'auth' || reason === 'auth_mismatch' ? 'auth' : 'rejected';
  return { error: mk(kind, false), reason, status };
}
