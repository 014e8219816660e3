/**
 * Headless Chromium for the console's browser tests and screenshots: Debian's `chromium` found on the
 * PATH (or POLYTAIL_CHROMIUM), driven by puppeteer-core — nothing is downloaded. `findChromium()` is
 * undefined when there is none; the tests then skip and say so (.ci/run installs it, so CI never skips).
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';

const NAMES = ['chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome'];

export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const candidates = [
    env.POLYTAIL_CHROMIUM,
    ...(env.PATH ?? '').split(delimiter).flatMap((dir) => (dir ? NAMES.map((n) => join(dir, n)) : [])),
  ];
  for (const file of candidates) {
    if (!file) continue;
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

export async function launchChromium(executablePath: string): Promise<Browser> {
  return puppeteer.launch({
    executablePath,
    headless: true,
    // --no-sandbox: CI runs as root in a container, where Chromium's sandbox cannot start.
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-extensions', '--mute-audio'],
    // The daemon under test shares this process. With the Network domain on, every frame of the console's
    // WebSocket stream (tens a second from a live session) comes back as a CDP event, and the CDP socket
    // hands puppeteer one message per event-loop turn: on a loaded machine that queue outgrew the turns,
    // so the answer to an evaluate waited behind it for ever. The tests never read requests or issues.
    networkEnabled: false,
    issuesEnabled: false,
    // Longer than any wait in the tests (they poll a condition with their own deadline, up to 400 s):
    // a wait ends at its own deadline, not at the protocol's.
    protocolTimeout: 450_000,
  });
}

/**
 * Closes the browser, and kills its process if it has not closed within `graceMs`: a browser that
 * stopped answering must not outlive the test run (leftover Chromium processes load every run after).
 */
export async function closeChromium(browser: Browser | undefined, graceMs = 30_000): Promise<void> {
  if (!browser) return;
  let timer: NodeJS.Timeout | undefined;
  const gaveUp = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), graceMs)));
  const closed = browser.close().then(
    () => 'closed' as const,
    () => 'failed' as const,
  );
  const outcome = await Promise.race([closed, gaveUp]);
  clearTimeout(timer);
  if (outcome !== 'closed') browser.process()?.kill('SIGKILL');
}
