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
    protocolTimeout: 180_000,
  });
}
