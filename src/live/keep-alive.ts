/**
 * Keeps the process alive while a paper/live session runs. Every feed timer (retries, watchdogs,
 * polls) is unref'd so a stopped feed can never hold a process open; the price is that with every
 * socket closed (the network went away) nothing else would, and Node would exit mid-session with
 * code 13 and no word. One ref'd handle per session, released when the session stops, fixes that
 * without making any feed responsible for the process's lifetime.
 */
const FOREVER_MS = 2 ** 31 - 1;

/** Holds the event loop open until the returned function is called (idempotent). */
export function holdProcessOpen(): () => void {
  const handle = setInterval(() => {}, FOREVER_MS);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    clearInterval(handle);
  };
}
