/**
 * The SDK drops HTTP headers from error replies, so a 429's `Retry-After` would be lost. This axios
 * interceptor (the SDK's own axios instance) copies it into the error body as `retry_after_seconds`,
 * the field the CLOB already uses for post-only mode, for requests to hosts a ClobVenue registered.
 * It also keeps the status of empty-bodied error replies (a bare 425), which the SDK otherwise loses.
 */
import axios from 'axios';

const hosts = new Set<string>();
let installed = false;

/** Enables the interceptor for requests to `host` (idempotent). */
export function watchRetryAfter(host: string): void {
  hosts.add(host.replace(/\/$/, ''));
  if (installed) return;
  installed = true;
  axios.interceptors.response.use(undefined, (err: unknown) => {
    const e = err as { config?: { url?: string }; response?: { status?: number; data?: unknown; headers?: Record<string, unknown> } };
    const url = e?.config?.url ?? '';
    const res = e?.response;
    if (!res || ![...hosts].some((h) => url.startsWith(h))) return Promise.reject(err);
    const header = res.headers?.['retry-after'];
    const seconds = header === undefined ? undefined : parseRetryAfter(String(header));
    const data = res.data;
    if (typeof data === 'string' || data === undefined || data === null) {
      res.data = {
        error: data ? String(data) : `Request failed with status code ${res.status}`,
        ...(seconds !== undefined ? { retry_after_seconds: seconds } : {}),
      };
    } else if (typeof data === 'object' && seconds !== undefined && !('retry_after_seconds' in (data as object))) {
      res.data = { ...(data as object), retry_after_seconds: seconds };
    }
    return Promise.reject(err);
  });
}

/** Retry-After is either delta-seconds or an HTTP date. */
function parseRetryAfter(value: string): number | undefined {
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Number(value);
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, (at - Date.now()) / 1000) : undefined;
}
