/**
 * Screenshots of every console page at desktop and phone widths, for docs/console.md: the sandbox
 * world of the browser tests (test/helpers/console-daemon.ts), Alice logged in, pages shown once the
 * paper session has traded. Run: `node --import tsx scripts/console-screenshots.ts` (needs Chromium).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { closeChromium, findChromium, launchChromium } from '../test/helpers/browser.ts';
import { startConsoleWorld } from '../test/helpers/console-daemon.ts';

const OUT = join(import.meta.dirname, '../docs'); // docs/console-<page>-<width>.png
const SIZES = [
  { name: 'desktop', width: 1280, height: 860, isMobile: false },
  { name: 'phone', width: 390, height: 844, isMobile: true },
] as const;
const WAIT = { timeout: 180_000, polling: 250 };

const chromium = findChromium();
if (!chromium) {
  console.error('no Chromium on the PATH (apt-get install chromium, or set POLYTAIL_CHROMIUM)');
  process.exit(2);
}
mkdirSync(OUT, { recursive: true });
const world = await startConsoleWorld();
const browser = await launchChromium(chromium);
try {
  for (const size of SIZES) {
    const context = await browser.createBrowserContext();
    const page = await context.newPage();
    await page.setViewport({ width: size.width, height: size.height, isMobile: size.isMobile, deviceScaleFactor: 1 });
    const shot = async (name: string) => {
      await page.screenshot({ path: join(OUT, `console-${name}-${size.name}.png`) as `${string}.png`, fullPage: false }); // the first screen only: full pages of long tables are megabytes each
      console.log(`docs/console-${name}-${size.name}.png`);
    };
    await page.goto(`${world.daemon.url}/console/`);
    await page.waitForSelector('[data-testid=token]', WAIT);
    await shot('login');
    await page.type('[data-testid=token]', world.tokens.alice);
    await page.click('[data-testid=login]');
    await page.waitForSelector('[data-testid=accounts] tbody tr', WAIT);
    await page.click('[data-testid=telegram-link]'); // the accounts page with a Telegram link code
    await page.waitForSelector('[data-testid=telegram-command]', WAIT);
    await shot('accounts');
    await page.goto(`${world.daemon.url}/console/#/a/alice-paper/dashboard`);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=positions] tbody tr').length >= 2, WAIT);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=decisions] tbody tr').length >= 5, WAIT);
    await page.waitForFunction(
      () => (document.querySelector('[data-testid=equity-chart] polyline')?.getAttribute('points') ?? '').split(' ').length > 3,
      WAIT,
    );
    await shot('dashboard');
    // A run to show: started once (the first width), listed at both.
    if (size.name === 'desktop')
      await world.daemon.accounts.directory
        .get('alice-paper')!
        .runs!.start({ strategy: 'end-sweeper', params: { market: 'console-market-a', sizeUsdc: 5 } }, 'alice');
    for (const name of ['strategies', 'runs', 'risk', 'feed']) {
      await page.goto(`${world.daemon.url}/console/#/a/alice-paper/${name}`);
      await page.waitForSelector('[data-testid=page-title]', WAIT);
      if (name === 'feed') await page.waitForFunction(() => document.querySelectorAll('[data-testid=tape] li').length > 3, WAIT);
      if (name === 'risk') await page.click('[data-testid=kill]'); // show the confirmation step
      await page.waitForSelector(
        name === 'strategies' ? '[data-testid=strategies]' : name === 'runs' ? '[data-testid=runs] tbody tr' : '[data-testid=page-title]',
        WAIT,
      );
      await shot(name);
    }
    await context.close();
  }
} finally {
  await closeChromium(browser);
  await world.stop();
}
