/**
 * Waiting for a condition instead of sleeping. Tests on a loaded 2-core machine get slow, never
 * wrong: a wait polls what it waits for until it holds or a generous deadline passes, and then says
 * what it was waiting for. Assertions come after the wait, on outcomes, not on counts in a time window.
 */

/** Long enough for a busy shared machine; a passing run never waits this long. */
export const WAIT_MS = 30_000;

/**
 * Polls `cond` (sync or async) every `intervalMs` until it returns true; throws an error naming
 * `what` after `timeoutMs`. A throwing `cond` counts as not yet (its last error is reported).
 */
export async function waitUntil(
  cond: () => boolean | Promise<boolean>,
  what: string,
  { timeoutMs = WAIT_MS, intervalMs = 20 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      if (await cond()) return;
      lastError = undefined;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      const why = lastError instanceof Error ? ` (last check threw: ${lastError.message})` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${why}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
