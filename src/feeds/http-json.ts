/**
 * GET JSON with the retry rules of Polymarket's public APIs: 429 and 5xx (and network errors) are
 * retried with jittered backoff, waiting at least what `Retry-After` asks; other 4xx fail at once with
 * the server's `{"error": ...}` text. Rate limits are Cloudflare sliding windows
 * (https://docs.polymarket.com/api-reference/rate-limits).
 */
import { Backoff, describeError } from './feed.ts';

export interface HttpJsonOptions {
  fetch?: typeof fetch;
  /** Attempts in total, first included (default 5). */
  attempts?: number;
  timeoutMs?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** Awaited before every attempt (a request budget spreading requests under a rate limit). */
  beforeRequest?: () => Promise<void>;
  /** Told about every retry (status 0 = network error). */
  onRetry?: (info: { url: string; status: number; waitMs: number; message: string }) => void;
}

/** A request that failed for good; `status` 0 means it never got an HTTP answer. */
export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    message: string,
    readonly status: number,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

/** Retry-After in seconds or as an HTTP date → ms (undefined when absent or unreadable). */
export function retryAfterMs(header: string | null, nowMs: number): number | undefined {
  if (!header) return undefined;
  const secs = Number(header);
  if (Number.isFinite(secs) && secs >= 0) return secs * 1000;
  const at = Date.parse(header);
  return Number.isFinite(at) ? Math.max(0, at - nowMs) : undefined;
}

export async function getJson(url: string, options: HttpJsonOptions = {}): Promise<unknown> {
  const doFetch = options.fetch ?? fetch;
  const attempts = options.attempts ?? 5;
  const backoff = new Backoff(options.backoffBaseMs ?? 250, options.backoffMaxMs ?? 15_000);
  let last: HttpError | undefined;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    let waitMs: number;
    await options.beforeRequest?.();
    try {
      const res = await doFetch(url, { signal: AbortSignal.timeout(options.timeoutMs ?? 15_000), headers: { accept: 'application/json' } });
      const text = await res.text();
      if (res.ok) {
        try {
          return JSON.parse(text);
        } catch {
          throw new HttpError(`GET ${url}: answer is not JSON: ${text.slice(0, 120)}`, res.status, false);
        }
      }
      const message = `GET ${url}: HTTP ${res.status}: ${serverMessage(text)}`;
      const retryable = res.status === 429 || res.status >= 500;
      if (!retryable) throw new HttpError(message, res.status, false);
      last = new HttpError(message, res.status, true);
      waitMs = Math.max(backoff.next(), retryAfterMs(res.headers.get('retry-after'), Date.now()) ?? 0);
    } catch (err) {
      if (err instanceof HttpError && !err.retryable) throw err;
      if (!(err instanceof HttpError)) last = new HttpError(`GET ${url}: ${describeError(err)}`, 0, true);
      waitMs = backoff.next();
    }
    if (attempt < attempts) {
      options.onRetry?.({ url, status: last!.status, waitMs, message: last!.message });
      await new Promise((r) => setTimeout(r, waitMs));
    }
  }
  throw new HttpError(`${last!.message} (gave up after ${attempts} attempts)`, last!.status, true);
}

function serverMessage(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: unknown };
    if (body && typeof body.error === 'string') return body.error;
  } catch {
    // not JSON (e.g. a Cloudflare HTML page)
  }
  return text.slice(0, 200) || '(empty body)';
}
