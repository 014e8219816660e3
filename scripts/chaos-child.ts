/**
 * One live (or, with `"mode":"paper"`, paper) session process for `npm run chaos -- --kills N`: `polytail live --sandbox` minus the CLI's
 * start-up cost, logging JSON lines, that kills itself with SIGKILL at the moment its kill plan names:
 *   after-sign     right after the n-th order's intent is journalled, before its POST is sent
 *   in-post        0–40 ms after the n-th intent is journalled, while the POST is in flight
 *   mid-journal    halfway through the n-th write to a journal (a torn line)
 *   after-submit   paper: when the n-th order reaches the simulated venue (decided, not yet filled)
 *   after-post     right after the n-th 'accepted' answer to a POST is journalled (the order is on the CLOB)
 *   time           never by itself: the parent kills it at a random moment
 * With `final` it instead runs a little, reads the Data API once more, decides everything, settles its
 * orders and stops cleanly (exit 0).
 * Usage: node --import tsx scripts/chaos-child.ts SANDBOX_URL DATA_DIR PLAN_JSON
 * It loads, prints "ready", then waits for a line on stdin before starting the session.
 */
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

interface Plan {
  kind: 'after-sign' | 'in-post' | 'mid-journal' | 'after-submit' | 'after-post' | 'time' | 'final';
  /** Default live. */
  mode?: 'live' | 'paper';
  n: number;
  wallets: string[];
  /** Config `maxTradeAgeSeconds` (default: the config's). */
  maxTradeAgeSeconds?: number;
}

const [url, dataDir, planJson] = process.argv.slice(2) as [string, string, string];
const plan = JSON.parse(planJson) as Plan;
const die = () => process.kill(process.pid, 'SIGKILL');

// Journal writes: the n-th write to either journal is cut in half, then the process dies.
const journalFds = new Set<number>();
if (plan.kind === 'mid-journal') {
  const open = fs.openSync;
  const write = fs.writeSync;
  let writes = 0;
  fs.openSync = ((path: fs.PathLike, ...rest: unknown[]) => {
    const fd = (open as (...a: unknown[]) => number)(path, ...rest);
    if (/journal\.jsonl$|intents\.jsonl$/.test(String(path))) journalFds.add(fd);
    return fd;
  }) as typeof fs.openSync;
  fs.writeSync = ((fd: number, data: unknown, ...rest: unknown[]) => {
    if (journalFds.has(fd) && typeof data === 'string' && data.length > 1 && ++writes === plan.n) {
      (write as (...a: unknown[]) => number)(fd, data.slice(0, Math.max(1, Math.floor(data.length / 2))));
      fs.fsyncSync(fd);
      die();
    }
    return (write as (...a: unknown[]) => number)(fd, data, ...rest);
  }) as typeof fs.writeSync;
  syncBuiltinESMExports();
}

const { FileIntentJournal } = await import('../src/exec/clob/intent-journal.ts');
if (plan.kind === 'after-sign' || plan.kind === 'in-post') {
  const record = FileIntentJournal.prototype.recordIntent;
  let intents = 0;
  FileIntentJournal.prototype.recordIntent = function (this: InstanceType<typeof FileIntentJournal>, intent) {
    record.call(this, intent);
    if (++intents !== plan.n) return;
    if (plan.kind === 'after-sign') die();
    else setTimeout(die, Math.floor(Math.random() * 40));
  };
}

if (plan.kind === 'after-post') {
  const record = FileIntentJournal.prototype.recordOutcome;
  let accepted = 0;
  FileIntentJournal.prototype.recordOutcome = function (this: InstanceType<typeof FileIntentJournal>, id, outcome) {
    record.call(this, id, outcome);
    if (outcome.status === 'accepted' && ++accepted === plan.n) die();
  };
}

if (plan.kind === 'after-submit') {
  const { SimVenue } = await import('../src/exec/sim/sim-venue.ts');
  const submit = SimVenue.prototype.submit;
  let submits = 0;
  SimVenue.prototype.submit = function (this: InstanceType<typeof SimVenue>, order) {
    if (++submits === plan.n) die();
    submit.call(this, order);
  };
}

const { parseConfig } = await import('../src/config/config.ts');
const { startLiveSession } = await import('../src/modes/live-session.ts');
const { SessionLog } = await import('../src/live/session-log.ts');

process.stdout.write('ready\n');
await new Promise((resolve) => process.stdin.once('data', resolve));
const log = new SessionLog({ json: true, write: (line) => process.stdout.write(line + '\n') });
const session = await startLiveSession({
  mode: plan.mode ?? 'live',
  config: parseConfig({
    dataDir,
    startingCashUsdc: 1_000_000,
    targets: plan.wallets.map((wallet) => ({ wallet })),
    ...(plan.maxTradeAgeSeconds ? { maxTradeAgeSeconds: plan.maxTradeAgeSeconds } : {}),
  }),
  overrides: { multiplier: 0.25 },
  sandboxUrl: url,
  listeners: [log],
  log: log.feedLog,
  pollIntervalMs: 1000,
  syncIntervalMs: 0,
  env: {},
});
if (plan.kind === 'final') {
  await new Promise((r) => setTimeout(r, 2000));
  // Decide everything the Data API holds by now (the parent stopped the targets before this run).
  await session.drain();
  await session.stop();
  process.exit(0);
}
