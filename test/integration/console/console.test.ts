/**
 * The web console in a real browser (Debian's headless Chromium via puppeteer-core) against one daemon
 * with three sandbox accounts: a paper account, a live account on the sandbox key and a pool whose
 * wallet two sub-accounts share. Alice and Bob each see only their own accounts; a wrong token is
 * refused; the dashboard fills from the paper session; pausing a target from the console pauses it
 * in the session; the kill switch halts it; market titles full of HTML render as text.
 */
import type { Browser, BrowserContext, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeChromium, findChromium, launchChromium } from '../../helpers/browser.ts';
import { startConsoleWorld, type ConsoleWorld } from '../../helpers/console-daemon.ts';

const chromium = findChromium();
if (!chromium) console.warn('SKIPPED: the console browser tests need Chromium (apt-get install chromium; .ci/run does it)');

// A token check is a deliberately slow scrypt and Chromium shares two cores with the rest of the suite:
// generous deadlines, every wait on a condition.
const WAIT = { timeout: 400_000, polling: 500 };
let world: ConsoleWorld;
let browser: Browser;
const contexts: BrowserContext[] = [];

async function openAs(token: string | undefined): Promise<Page> {
  const context = await browser.createBrowserContext(); // its own cookies: one user per context
  contexts.push(context);
  const page = await context.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  await page.goto(`${world.daemon.url}/console/`);
  await page.waitForSelector('[data-testid=token]', WAIT);
  if (token !== undefined) await logIn(page, token);
  return page;
}

async function logIn(page: Page, token: string): Promise<void> {
  await page.type('[data-testid=token]', token);
  await click(page, '[data-testid=login]');
}

/** Alice's page, logged in once (a token check is a deliberately slow scrypt: minutes on a loaded machine if repeated). */
let alicePage: Promise<Page> | undefined;
const alice = () =>
  (alicePage ??= openAs(world.tokens.alice).then(async (page) => {
    await page.waitForSelector('[data-testid=who]', WAIT);
    return page;
  }));

/** Clicks inside the page in one step: a table redrawn by the next view cannot detach the node between finding and clicking it. */
const click = (page: Page, selector: string) =>
  page.waitForFunction(
    (sel) => {
      const el = document.querySelector<HTMLElement>(sel);
      el?.click();
      return el !== null;
    },
    WAIT,
    selector,
  );

const texts = (page: Page, selector: string) => page.$$eval(selector, (els) => els.map((e) => e.textContent ?? ''));
const surface = (id: string) => world.daemon.accounts.directory.get(id)!.surface!;

describe.skipIf(!chromium)('the web console in Chromium', () => {
  beforeAll(async () => {
    world = await startConsoleWorld();
    browser = await launchChromium(chromium!);
  }, 600_000); // three sessions start one after another, then the browser
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await closeChromium(browser);
    await world?.stop();
  }, 120_000);

  it('refuses a wrong token and sets no cookie', async () => {
    const page = await openAs('ptk_000000000000_' + 'x'.repeat(43));
    await page.waitForFunction(() => document.querySelector('[data-testid=login-error]')?.textContent?.includes('not valid'), WAIT);
    expect(await page.browserContext().cookies()).toEqual([]);
    expect(await page.$('[data-testid=account-select]')).toBeNull();
  }, 600_000);

  it('Alice sees her accounts only, in the console and through the API with her cookie', async () => {
    const page = await alice();
    await page.waitForSelector('[data-testid=accounts] tbody tr', WAIT);
    const listed = await texts(page, '[data-testid=accounts] tbody tr td:first-child');
    expect(listed).toEqual(['Alice paper', 'club-ann']);
    const cookie = (await page.browserContext().cookies()).find((c) => c.name === 'polytail_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    // Page scripts cannot read the token.
    expect(await page.evaluate(() => document.cookie)).toBe('');
    const status = (path: string) => page.evaluate((p) => fetch(p).then((r) => r.status), path);
    expect(await status('/api/accounts/alice-paper/status')).toBe(200);
    expect(await status('/api/accounts/club-ann/status')).toBe(200);
    for (const other of ['bob-live', 'club-ben', 'club']) expect(await status(`/api/accounts/${other}/status`), other).toBe(404);
    await page.goto(`${world.daemon.url}/console/#/a/bob-live/dashboard`);
    await page.waitForFunction(() => document.querySelector('[data-testid=banner]')?.textContent?.includes('No account "bob-live"'), WAIT);
    expect(await page.$('[data-testid=positions]')).toBeNull();
  }, 600_000);

  it('Bob sees his live account and his sub-account, not Alice’s', async () => {
    const page = await openAs(world.tokens.bob);
    await page.waitForSelector('[data-testid=accounts] tbody tr', WAIT);
    expect(await texts(page, '[data-testid=accounts] tbody tr td:first-child')).toEqual(['Bob live', 'club-ben']);
    expect(await texts(page, '[data-testid=accounts] tbody tr td:nth-child(3)')).toEqual(['live', 'paper']);
    await click(page, '[data-testid=account-bob-live]');
    await page.waitForFunction(() => document.querySelector('[data-testid=equity]')?.textContent?.startsWith('$'), WAIT);
    expect(await page.evaluate(() => fetch('/api/accounts/alice-paper/positions').then((r) => r.status))).toBe(404);
  }, 600_000);

  it('the dashboard fills from the paper session, and hostile market titles render as text', async () => {
    const page = await alice();
    await page.goto(`${world.daemon.url}/console/#/a/alice-paper/dashboard`);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=positions] tbody tr').length > 0, WAIT);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=trades] tbody tr').length > 0, WAIT);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=decisions] tbody tr').length > 0, WAIT);
    await page.waitForFunction(() => document.querySelector('[data-testid=equity-chart] polyline') !== null, WAIT);
    const snap = surface('alice-paper').view.snapshot();
    expect(snap.positions.length).toBeGreaterThan(0);
    const titles = await texts(page, '[data-testid=market-title]');
    expect(titles.some((t) => t.includes('<script>window.__pwned = 1</script>') || t.includes('<img src=x onerror='))).toBe(true);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.$$eval('main script, main img, main b', (els) => els.length)).toBe(0);
    expect(await texts(page, '[data-testid=decision-why]')).not.toContain('');
  }, 600_000);

  it('pausing a target in the console pauses it in the session; resuming resumes it', async () => {
    const page = await alice();
    const id = surface('alice-paper').view.snapshot().strategies[0]!.id;
    await page.goto(`${world.daemon.url}/console/#/a/alice-paper/strategies`);
    await page.waitForSelector(`[data-testid="pause-${id}"]`, WAIT);
    await click(page, `[data-testid="pause-${id}"]`);
    await page.waitForFunction(
      (sel) => document.querySelector(sel)?.textContent?.startsWith('paused'),
      WAIT,
      `[data-testid="state-${id}"]`,
    );
    expect(
      surface('alice-paper')
        .view.snapshot()
        .strategies.find((s) => s.id === id)!.paused,
    ).toBe(true);
    await click(page, `[data-testid="resume-${id}"]`);
    await page.waitForFunction((sel) => document.querySelector(sel)?.textContent === 'running', WAIT, `[data-testid="state-${id}"]`);
    expect(
      surface('alice-paper')
        .view.snapshot()
        .strategies.find((s) => s.id === id)!.paused,
    ).toBe(false);
  }, 600_000);

  it('a trader starts a market strategy run on the Runs page and cancels it; the run is the account’s alone', async () => {
    const page = await alice();
    await page.goto(`${world.daemon.url}/console/#/a/alice-paper/runs`);
    await page.waitForSelector('[data-testid=run-strategy]', WAIT);
    await page.type('[data-testid=run-strategy]', 'end-sweeper');
    await page.type('[data-testid=run-params]', '{"market":"console-market-a","sizeUsdc":5}');
    await click(page, '[data-testid=start-run]');
    await page.waitForFunction(() => document.querySelector('[data-testid="run-state-end-sweeper-1"]')?.textContent === 'running', WAIT);
    const runs = () => world.daemon.accounts.directory.get('alice-paper')!.runs!.list();
    expect(runs()).toMatchObject([
      { runId: 'end-sweeper-1', state: 'running', startedBy: 'alice', params: { market: 'console-market-a', sizeUsdc: 5 } },
    ]);
    for (const other of ['bob-live', 'club', 'club-ann', 'club-ben'])
      expect(world.daemon.accounts.directory.get(other)!.runs!.list(), other).toEqual([]);
    await click(page, '[data-testid="cancel-run-end-sweeper-1"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="run-state-end-sweeper-1"]')?.textContent === 'cancelled', WAIT);
    expect(runs()[0]!.state).toBe('cancelled');
  }, 600_000);

  it('gives a one-time Telegram link code on the accounts page', async () => {
    const page = await alice();
    await page.goto(`${world.daemon.url}/console/#/`);
    await click(page, '[data-testid=telegram-link]');
    await page.waitForFunction(
      () => /^\/start [A-Z2-9]{10}$/.test(document.querySelector('[data-testid=telegram-command]')?.textContent ?? ''),
      WAIT,
    );
  }, 600_000);

  it('the kill switch asks first, then halts the account and no other', async () => {
    const page = await alice();
    await page.goto(`${world.daemon.url}/console/#/a/alice-paper/risk`);
    await page.waitForSelector('[data-testid=kill]', WAIT);
    await click(page, '[data-testid=kill]');
    expect(surface('alice-paper').view.snapshot().riskState).toBe('active'); // nothing happens before the confirmation
    await page.waitForSelector('[data-testid=kill-confirm]', WAIT);
    await click(page, '[data-testid=kill-confirm]');
    await page.waitForFunction(() => document.querySelector('[data-testid=risk-state]')?.textContent === 'halted', WAIT);
    expect(surface('alice-paper').view.snapshot().riskState).toBe('halted');
    for (const other of ['bob-live', 'club', 'club-ann', 'club-ben'])
      expect(surface(other).view.snapshot().riskState, other).toBe('active');
  }, 600_000);

  it('serves the console with a strict CSP and refuses cross-origin or header-less cookie calls', async () => {
    const res = await fetch(`${world.daemon.url}/console/`);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(await res.text()).not.toMatch(/<script>|<script [^>]*>[^<]/); // no inline script
    const cookie = `polytail_session=${world.tokens.alice}`;
    const pause = (headers: Record<string, string>) =>
      fetch(`${world.daemon.url}/api/accounts/club-ann/risk/pause`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json', ...headers },
        body: '{}',
      }).then((r) => r.status);
    expect(await pause({ origin: 'http://evil.example', 'x-polytail-console': '1' })).toBe(403);
    expect(await pause({})).toBe(403); // no console header: a cross-site form cannot add one
    expect(surface('club-ann').view.snapshot().riskState).toBe('active');
    const login = await fetch(`${world.daemon.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'http://evil.example', 'x-polytail-console': '1' },
      body: JSON.stringify({ token: world.tokens.alice }),
    });
    expect(login.status).toBe(403);
  }, 300_000);

  it('logging out ends the session', async () => {
    const page = await alice();
    await page.waitForSelector('[data-testid=logout]', WAIT);
    await click(page, '[data-testid=logout]');
    await page.waitForSelector('[data-testid=token]', WAIT);
    expect(await page.evaluate(() => fetch('/api/me').then((r) => r.status))).toBe(401);
  }, 600_000);
});
