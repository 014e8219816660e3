/** The live venue's settings: deadlines, retries, concurrency, and their defaults. */
import type { VenueError } from '../../core/errors.ts';
import type { IntentJournal } from './intent-journal.ts';

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

export type VenueSettings = Required<Omit<ClobVenueOptions, 'journal' | 'onError' | 'useServerTime' | 'signTimeoutMs'>> &
  Pick<ClobVenueOptions, 'journal' | 'onError' | 'signTimeoutMs'>;

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function venueSettings(options: ClobVenueOptions): VenueSettings {
  return {
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
}
