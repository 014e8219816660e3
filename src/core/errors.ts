/**
 * Errors say what the engine does next. Expected outcomes (a risk denial, a FOK with no match) are
 * values and events, not exceptions.
 */

/** Bad configuration or input: the process exits with code 2 and the message says what to fix. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** A broken invariant (accounting, a SELL above holdings): stop rather than trade on bad state. */
export class InvariantError extends Error {
  override name = 'InvariantError';
}

export type VenueErrorKind =
  'auth' | 'rate_limited' | 'unavailable' | 'rejected' | 'insufficient_balance' | 'network' | 'timeout' | 'geoblocked' | 'unknown';

/** A venue call failed. When `outcomeUnknown`, the order may exist: reconcile before any retry. */
export class VenueError extends Error {
  override name = 'VenueError';
  constructor(
    message: string,
    readonly kind: VenueErrorKind,
    readonly retryable: boolean,
    readonly outcomeUnknown = false,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}
