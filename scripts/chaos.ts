/**
 * `npm run chaos -- [--mode live|paper] [--trades 1000] [--max-minutes 10] [--json] [--chain]`
 * `npm run chaos -- --kills 100 [--json]`: SIGKILL and restart instead of faults (see chaos-kills.ts).
 *
 * Runs a paper or live session against an in-process sandbox (loopback only) whose targets trade
 * fast, while faults are injected in rotation: WS drops and stalls, duplicate/reordered/malformed
 * frames, 429s and 5xx on the Data API and the CLOB, and POST /order answers that never come.
 * Once the engine has seen the wanted number of target trades and every fault has been applied at least
 * once, trading stops, faults are cleared, and
 * the session is audited: every target trade (read back from the Data API) copied exactly once or
 * skipped with a recorded reason, and (live) our fills equal to the sandbox's ledger.
 * The last stdout line is one JSON object:
 *   {"targetTrades","copied","skipped","duplicates","unexplainedMissing","ledgerMismatches", ...}
 * With `--chain` the sandbox settles every match on a local chain, the session reads the targets'
 * OrderFilled logs as a third source, chain faults join the rotation (dropped subscription, 1- and 2-block
 * reorgs, RPC 429/5xx), and after trading the markets resolve, `polytail redeem` processes are killed in
 * the middle of redeems and auto-redeem finishes them; the JSON adds `sources` (audited target fills by
 * the source first seen), `sourceEvents`, `redeems`, `redeemDuplicates` (must be 0), `redeemKills` and `rtdsLapses`.
 * Exit code 0 when duplicates, unexplainedMissing, phantomCopies, ledgerMismatches (and redeemDuplicates,
 * stillRedeemable) are all 0 and every fault of the rotation was applied, else 1.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../src/config/config.ts';
import { startLiveSession } from '../src/modes/live-session.ts';
import { auditSession, type LedgerRow } from '../test/helpers/session-audit.ts';
import { startSandbox } from '../src/sandbox/index.ts';
import type { LiveSession } from '../src/modes/live-session.ts';
import {
  approveTestWallet,
  chainConfig,
  chainFaults,
  resolveAndRedeem,
  waitForSettlement,
  type FaultStep,
  type RedeemReport,
} from './chaos-chain.ts';
import { chaosScenario } from './chaos-scenario.ts';

const args = process.argv.slice(2);
const flag = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : fallback;
};
const json = args.includes('--json');
const withChain = args.includes('--chain');

if (args.includes('--kills')) {
  const { runKills } = await import('./chaos-kills.ts');
  const kills = Number(flag('kills', '100'));
  if (!Number.isInteger(kills) || kills <= 0) {
    process.stderr.write(`chaos: --kills ${flag('kills', '')}: expected a whole number above 0\n`);
    process.exit(2);
  }
  const result = await runKills({ kills, seed: Number(flag('seed', '5')), json, say: (line) => process.stderr.write(`chaos: ${line}\n`) });
  if (!json) process.stderr.write(`chaos: ${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(JSON.stringify(result) + '\n');
  const clean =
    result.duplicates === 0 &&
    result.unexplainedMissing === 0 &&
    result.phantomCopies === 0 &&
    result.ledgerMismatches === 0 &&
    result.unexpectedExits === 0;
  process.exit(clean && result.kills === kills ? 0 : 1);
}
const mode = flag('mode', 'live') as 'live' | 'paper';
const wantTrades = Number(flag('trades', '1000'));
const deadlineMs = Date.now() + Number(flag('max-minutes', '10')) * 60_000;
const say = (line: string) => process.stderr.write(`chaos: ${line}\n`);

const TARGETS = [
  '0x1111111111111111111111111111111111111111',
  '0x2222222222222222222222222222222222222222',
  '0x3333333333333333333333333333333333333333',
];
const ME = '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266'; // the sandbox test key's address

/** Three fast targets (~25 trades/s together) on two markets; deep books; plenty of sandbox USDC. */
const scenario = chaosScenario({
  seed: Number(flag('seed', '5')),
  // With --chain every match is a transaction on the local chain: a third of the pace keeps the settler current.
  clockSpeed: withChain ? 3 : 10,
  targets: TARGETS,
  ratePerMinute: 50,
  marketPrefix: 'chaos',
  traderPrefix: 't',
});

/** The rotation: each entry is applied for a few seconds, then cleared. */
const FAULTS: FaultStep[] = [
  { name: 'ws-drop', faults: [{ kind: 'ws-drop', channel: 'all' }], holdMs: 1500 },
  { name: 'rtds stall', faults: [{ kind: 'ws-stall', channel: 'rtds', ms: 4000 }], holdMs: 5000 },
  { name: 'duplicate frames', faults: [{ kind: 'ws-duplicate', channel: 'all', probability: 0.3 }], holdMs: 3000 },
  { name: 'reordered frames', faults: [{ kind: 'ws-reorder', channel: 'all', probability: 0.3 }], holdMs: 3000 },
  { name: 'malformed frames', faults: [{ kind: 'ws-malformed', channel: 'all', probability: 0.1 }], holdMs: 3000 },
  { name: 'Data API 429', faults: [{ kind: 'http', path: '/activity', status: 429, retryAfterSec: 1, times: 4 }], holdMs: 3000 },
  { name: 'Data API 5xx', faults: [{ kind: 'http', path: '/activity', status: 502, times: 3 }], holdMs: 3000 },
  {
    name: 'CLOB 429 on POST /order',
    faults: [{ kind: 'http', path: '/order', method: 'POST', status: 429, retryAfterSec: 1, times: 3 }],
    holdMs: 3000,
  },
  { name: 'CLOB 5xx on POST /order', faults: [{ kind: 'http', path: '/order', method: 'POST', status: 500, times: 2 }], holdMs: 2000 },
  { name: 'order timeout (reset)', faults: [{ kind: 'order-timeout', mode: 'reset', times: 2 }], holdMs: 3000 },
  { name: 'order timeout (hang)', faults: [{ kind: 'order-timeout', mode: 'hang', times: 1 }], holdMs: 3000 },
];

// Ctrl+C / kill: exit through process.exit so the local chain's node is stopped with us.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));
const sb = await startSandbox({ port: 0, scenario, ...(withChain ? { chain: { blockTimeMs: 500 } } : {}) });
let liveSession: LiveSession | undefined;
if (withChain) {
  say(`local chain ${sb.chain!.rpcUrl}; approving the test wallet (${await approveTestWallet(sb)} transactions)`);
  // Interleave chain faults with the others.
  const chain = chainFaults(sb, () => liveSession);
  for (let i = 0; i < chain.length; i++) FAULTS.splice(2 + i * 3, 0, chain[i]!);
}
const admin = async (method: string, path: string, body?: unknown) => {
  const send = () =>
    fetch(`${sb.urls.admin}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  // A kept-alive socket the server just closed answers ECONNRESET: ask again (admin calls are idempotent).
  const res = await send().catch(() => new Promise((r) => setTimeout(r, 200)).then(send));
  if (!res.ok) throw new Error(`sandbox ${method} ${path}: HTTP ${res.status} ${await res.text()}`);
  return res.json();
};
const dataDir = mkdtempSync(join(tmpdir(), 'polytail-chaos-'));
const config = parseConfig({
  dataDir,
  startingCashUsdc: 1_000_000,
  targets: TARGETS.map((wallet) => ({ wallet })),
  risk: {},
  ...(withChain ? { chain: chainConfig(sb) } : {}),
});
/** Every target trade event dedup passed on: its key → the source that reported it, and the count per source. */
const keySources = new Map<string, string>();
const sourceEvents: Record<string, number> = {};
let aggregateEvents = 0;
const redeemLog: string[] = [];
const startMs = Date.now();
const session = await startLiveSession({
  mode,
  config,
  overrides: { multiplier: 0.5 },
  sandboxUrl: sb.urls.clob,
  env: {},
  pollIntervalMs: 2000,
  rtdsStaleAfterMs: 2000,
  syncIntervalMs: 0,
  log: (level, message) => {
    if (level !== 'info' && /redeem/i.test(message)) redeemLog.push(`${level} ${message.slice(0, 300)}`);
    if (level !== 'info' && !json) say(`${level} ${message}`);
  },
  // Target trades after dedup: the source that saw each first.
  listeners: [
    {
      onEvent: (e) => {
        if (e.type !== 'target_trade' || e.key === undefined) return;
        keySources.set(e.key, e.source);
        sourceEvents[e.source] = (sourceEvents[e.source] ?? 0) + 1;
        if (e.orderTotal || e.partial) aggregateEvents++;
      },
    },
  ],
});
liveSession = session;
// After the approvals: the CLOB re-reads allowances from the chain, as `polytail approve` asks it to.
for (let attempt = 1; withChain && attempt <= 5; attempt++) {
  const t0 = Date.now();
  const ok = await session.venue.clob!.api.refreshBalance().then(
    () => true,
    (err: Error) => (say(`balance/allowance refresh ${attempt} failed: ${err.message}`), false),
  );
  say(`balance/allowance refresh ${ok ? 'done' : 'retrying'} after ${Date.now() - t0} ms`);
  if (ok) break;
}
say(`${mode} session ${session.runId}; data in ${dataDir}; sandbox ${sb.urls.clob}`);

const applied: Record<string, number> = {};
let stopFaults = false;
const faultLoop = (async () => {
  for (let i = 0; !stopFaults; i++) {
    const f = FAULTS[i % FAULTS.length]!;
    if (f.faults.length > 0) await admin('POST', '/faults', f.faults);
    await f.run?.().catch((err: Error) => say(`fault ${f.name} failed: ${err.message}`));
    applied[f.name] = (applied[f.name] ?? 0) + 1;
    await new Promise((r) => setTimeout(r, f.holdMs));
    await admin('DELETE', '/faults');
    await new Promise((r) => setTimeout(r, 1000));
  }
})();

let lastReport = 0;
// Trading goes on until the wanted trades are seen and every fault of the rotation has been applied once
// (a short run would otherwise stop before the chain faults, which sit later in the rotation).
const everyFaultApplied = () => FAULTS.every((f) => (applied[f.name] ?? 0) > 0);
while ((session.engine.stats.targetTrades < wantTrades || !everyFaultApplied()) && Date.now() < deadlineMs - 60_000) {
  await new Promise((r) => setTimeout(r, 500));
  if (Date.now() - lastReport > 5000) {
    lastReport = Date.now();
    say(
      `${session.engine.stats.targetTrades}/${wantTrades} target trades seen, ${session.engine.stats.duplicates} duplicate deliveries dropped`,
    );
  }
}
stopFaults = true;
await faultLoop;
sb.flow.stop();
await admin('DELETE', '/faults');
if (withChain) say(`waited ${await waitForSettlement(sb)} ms for the chain to settle every match`);
// Settle: the poller's next reads and an explicit backfill over the whole run pick up whatever a fault hid.
await new Promise((r) => setTimeout(r, 3000));
await session.poller.backfill(startMs);
await new Promise((r) => setTimeout(r, 1000));
if (session.venue.clob) {
  await session.venue.clob.idle();
  await session.venue.clob.poll();
}
const ledger = (await admin('GET', '/ledger')) as LedgerRow[];
const sinceMs = Math.ceil(startMs / 1000) * 1000 + 1000;
const audit = await auditSession({
  recording: session.recording,
  ledger,
  targets: TARGETS,
  sinceMs,
  keySources,
  intents: session.venue.journal?.entries(),
  ourAddress: mode === 'live' ? ME : undefined,
});
let redeemReport: RedeemReport | undefined;
if (withChain)
  redeemReport = await resolveAndRedeem(sb, session, ME, ['chaos-a', 'chaos-b'], {
    dataDir,
    // Between send and receipt on one market, before the send on the other, and again between send and receipt.
    killMoments: ['signed', 'intent', 'signed'],
    say,
  });
const chainHealth = session.chain?.feed?.health();
const stats = session.engine.stats;
const orderOutcomes = Object.fromEntries(
  (
    await session.recording.query(
      `SELECT event, COUNT(DISTINCT client_order_id) AS n FROM orders WHERE event IN ('filled', 'rejected', 'cancelled') GROUP BY 1`,
    )
  ).map((r) => [String(r.event), Number(r.n)]),
);
await session.stop();
await sb.stop();
const result = {
  targetTrades: audit.targetTrades,
  copied: audit.copied,
  skipped: audit.skipped,
  duplicates: audit.duplicates,
  unexplainedMissing: audit.unexplainedMissing,
  phantomCopies: audit.phantomCopies,
  ledgerMismatches: audit.ledgerMismatches,
  mode,
  seconds: Math.round((Date.now() - startMs) / 1000),
  duplicateDeliveriesDropped: stats.duplicates,
  // A copy is one order sent; the exchange may still refuse it (FOK with no match): outcomes by order.
  copyOrderOutcomes: orderOutcomes,
  ourLedgerFills: ledger.filter((l) => l.taker.toLowerCase() === ME || l.maker.toLowerCase() === ME).length,
  skipReasons: audit.skipReasons,
  faultsApplied: applied,
  faultsNeverApplied: FAULTS.filter((f) => !applied[f.name]).map((f) => f.name),
  examples: audit.examples,
  ...(withChain
    ? {
        // Audited target fills by the source dedup took each from (sums to copied + skipped).
        sources: audit.firstSeenBy,
        // Every event dedup passed on, by source: more than `sources` by those of fills matched before the
        // audited window, fewer by the fills one chain total or part answered together (docs/modes.md).
        sourceEvents,
        sourceEventsBeforeWindow: eventsBefore(ledger, keySources, sinceMs),
        sourceEventsBeforeStart: eventsBefore(ledger, keySources, startMs),
        aggregateEvents,
        ...redeemReport!,
        redeemErrors: redeemLog.slice(-5),
        rtdsLapses: session.rtds.stats.stalls,
        chain: chainHealth && {
          headBlock: chainHealth.headBlock,
          reorgs: chainHealth.reorgs,
          retracted: chainHealth.retracted,
          rpcRetries: chainHealth.rpcRetries,
          reconnects: chainHealth.reconnects,
        },
      }
    : {}),
};
if (!json) say(JSON.stringify(result, null, 2));
process.stdout.write(JSON.stringify(result) + '\n');
const redeemsClean = !redeemReport || (redeemReport.redeemDuplicates === 0 && redeemReport.stillRedeemable === 0);
process.exit(
  result.duplicates === 0 &&
    result.unexplainedMissing === 0 &&
    result.phantomCopies === 0 &&
    result.ledgerMismatches === 0 &&
    result.faultsNeverApplied.length === 0 &&
    redeemsClean
    ? 0
    : 1,
);

/**
 * Events passed on whose transaction the ledger matched before `beforeMs`: the session saw and answered
 * them, the audit (whose window opens at `sinceMs`) does not count them. With the chain on, a fill is
 * published when its settlement is mined, so fills matched shortly before the session started arrive after.
 */
function eventsBefore(ledger: readonly LedgerRow[], keys: ReadonlyMap<string, string>, beforeMs: number): number {
  const txTime = new Map(ledger.map((l) => [l.txHash.toLowerCase(), l.tsMs]));
  let n = 0;
  for (const key of keys.keys()) if ((txTime.get(key.slice(0, key.indexOf(':')).toLowerCase()) ?? beforeMs) < beforeMs) n++;
  return n;
}
