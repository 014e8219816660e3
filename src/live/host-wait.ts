/**
 * Start-up with the network away: before a paper/live session starts, the CLOB and the Data API must
 * answer JSON. Until they do the session waits, saying what it waits for and why (refused, timed
 * out, an HTML page instead of JSON), with backoff — it neither exits nor starts half-blind. A stop
 * request (Ctrl+C, --run-seconds) ends the wait.
 */
import { VenueError } from '../core/errors.ts';
import { describeError } from '../core/describe-error.ts';
import { Backoff, type FeedLog } from '../feeds/feed.ts';
import { getJson, HttpError } from '../feeds/http-json.ts';

export interface HostProbe {
  /** What the user knows it as: "the CLOB", "the Data API". */
  name: string;
  url: string;
}

export interface HostWaitOptions {
  log: FeedLog;
  signal?: AbortSignal;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** Per-probe deadline (default 10 s). */
  timeoutMs?: number;
}

/** The probes a session needs: the CLOB's clock and the Data API's `/value` of the first target. */
export function sessionProbes(hosts: { clob: string; data: string }, wallet: string | undefined): HostProbe[] {
  const user = wallet ?? '0x0000000000000000000000000000000000000000';
  return [
    { name: 'the CLOB', url: `${hosts.clob.replace(/\/$/, '')}/time` },
    { name: 'the Data API', url: `${hosts.data.replace(/\/$/, '')}/value?user=${user}` },
  ];
}

/** Resolves once every probe answers JSON (true), or when `signal` aborts first (false). */
export async function waitForHosts(probes: HostProbe[], o: HostWaitOptions): Promise<boolean> {
  const backoff = new Backoff(o.backoffBaseMs ?? 1000, o.backoffMaxMs ?? 30_000);
  const startedMs = Date.now();
  for (;;) {
    if (o.signal?.aborted) return false;
    const failures: string[] = [];
    await Promise.all(
      probes.map(async (p) => {
        try {
          await getJson(p.url, { attempts: 1, timeoutMs: o.timeoutMs ?? 10_000 });
        } catch (err) {
          failures.push(`${p.name} at ${p.url.split('?')[0]} (${whyUnusable(err)})`);
        }
      }),
    );
    if (failures.length === 0) return true;
    const waitMs = backoff.next();
    const waited = Math.round((Date.now() - startedMs) / 1000);
    o.log(
      'warn',
      `waiting for ${failures.join(' and ')}${waited ? `, ${waited} s so far` : ''}; next try in ${(waitMs / 1000).toFixed(1)} s`,
    );
    if (!(await sleep(waitMs, o.signal))) return false;
  }
}

/**
 * True for errors that mean "the network or a host is away right now" (worth waiting for), false for
 * ones waiting cannot fix (a bad key, a refused signature).
 */
export function isTransient(err: unknown): boolean {
  if (err instanceof VenueError) return err.retryable || ['network', 'unavailable', 'timeout', 'rate_limited'].includes(err.kind);
  if (err instanceof HttpError) return err.retryable || err.status === 0;
  return /fetch failed|ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|socket hang up/i.test(
    describeError(err),
  );
}

function whyUnusable(err: unknown): string {
  const text = describeError(err)
    .replace(/^GET \S+: /, '')
    .replace(/ \(gave up after \d+ attempts?\)$/, '');
  if (/answer is not JSON/.test(text))
    return `it answers something other than JSON: ${text.replace(/^answer is not JSON: /, '').slice(0, 60)}`;
  return text;
}

function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    // Ref'd on purpose: while nothing else runs, this wait is what keeps the process alive.
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
