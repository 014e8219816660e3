/**
 * A live session never exits because the network went away. `polytail live --sandbox` runs as a
 * user runs it (the real CLI, in its own process: a process with no handle left exits with code 13,
 * which an in-process test could never see), every feed is cut for 10 s, and the session must stay
 * up, say the feeds are down, catch up when they return, copy every target trade exactly once, and
 * stop cleanly with its summary stored. A second test starts it with nothing listening: it must wait
 * and say what it waits for.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileIntentJournal } from '../../../src/exec/clob/intent-journal.ts';
import { auditSession, contentOf, contentOfCauseKey, targetFillsFromLedger } from '../../helpers/session-audit.ts';
import { startSandbox, type Sandbox, type ScenarioInput } from '../../../src/sandbox/index.ts';
import { RecordingStore } from '../../../src/store/index.ts';
import { isAlert, isLog, spawnCli, type CliSession } from './cli-session.ts';
import { TEST_ADDRESS, WHALE, ledger, sleep, tempDataDir } from './helpers.ts';

/** One target trading about twice a second on two markets: enough to see catching up, light on a loaded machine. */
const SCENARIO: ScenarioInput = {
  seed: 12,
  clockSpeed: 2,
  rtdsPingIntervalMs: 0,
  markets: [
    { slug: 'net-a', fairValue: 0.6, volatility: 0.01 },
    { slug: 'net-b', tickSize: '0.001', fairValue: 0.25 },
  ],
  makers: [{ levels: 3, sizeShares: 300, refreshMs: 2000 }],
  traders: [{ address: WHALE, name: 'whale', ratePerMinute: 60, sizeUsd: [5, 50] }],
};

const children: CliSession[] = [];
const sandboxes: Sandbox[] = [];
afterAll(async () => {
  for (const c of children) if (c.running()) c.child.kill('SIGKILL');
  for (const s of sandboxes) await s.stop();
});

async function admin(sb: Sandbox, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${sb.urls.admin}${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  expect(res.ok).toBe(true);
  return res.json();
}

describe('polytail live when the network goes away', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await startSandbox({ port: 0, scenario: SCENARIO });
    sandboxes.push(sb);
  });

  it('stays up through 10 s without any feed, reports it, catches up and copies every trade once', async () => {
    const dataDir = tempDataDir();
    const cli = spawnCli([
      'live',
      '--sandbox',
      sb.urls.clob,
      '--target',
      WHALE,
      '--multiplier',
      '0.25',
      '--cancel-on-exit',
      '--json',
      '--poll-ms',
      '1000',
      '--data-dir',
      dataDir,
    ]);
    children.push(cli);
    await cli.waitForLine(isLog(/^live session run-/), 120_000, 'the session start');
    await cli.waitForLine((l) => l.type === 'fill', 60_000, 'a first copied fill');

    // Every feed: both sockets cut and refused, the Data API answering 503, for 10 s.
    await admin(sb, 'POST', '/faults', [
      { kind: 'ws-drop', channel: 'all', ms: 10_000 },
      { kind: 'http', service: 'data', status: 503, ms: 10_000 },
    ]);
    const down = await cli.waitForLine(isAlert('feed_down'), 30_000, 'a feed_down alert');
    expect(String(down.message)).toMatch(/down for \d+ s/);
    await cli.waitForLine(isAlert('feed_restored', 'rtds'), 90_000, 'RTDS restored');
    expect(cli.running()).toBe(true);
    expect(cli.output()).not.toContain('[object Object]');

    // Catch up: no more target trades, then every one the Data API holds must have been decided.
    sb.flow.stop();
    const runs = journalRuns(dataDir);
    const sinceMs = Math.ceil(runs[0]!.atMs / 1000) * 1000 + 1000;
    // The truth is the exchange's own ledger of the target's fills since the session started.
    const truth = targetFillsFromLedger(await ledger(sb), [WHALE])
      .filter((f) => f.tsMs >= sinceMs)
      .map(contentOf);
    expect(truth.length).toBeGreaterThan(5);
    const recordingPath = join(dataDir, 'sessions', `live-${new Date(runs[0]!.atMs).toISOString().slice(0, 10)}.duckdb`);
    await waitUntilDecided(recordingPath, truth, 90_000);

    // Every feed reported down is reported back.
    const downFeeds = new Set(cli.lines.filter(isAlert('feed_down')).map((l) => (l.details as { feed: string }).feed));
    for (const feed of downFeeds) await cli.waitForLine(isAlert('feed_restored', feed), 60_000, `${feed} restored`);
    cli.child.kill('SIGINT');
    expect(await cli.exited).toBe(0);
    await cli.waitForLine(isLog(/stopped \(Ctrl\+C\).*summary stored/), 5_000, 'the stop line');

    const intents = FileIntentJournal.open(dataDir);
    const recording = await RecordingStore.open(recordingPath, { readOnly: true });
    try {
      const audit = await auditSession({
        recording,
        ledger: await ledger(sb),
        targets: [WHALE],
        sinceMs,
        intents: intents.entries(),
        ourAddress: TEST_ADDRESS,
      });
      const context = `${JSON.stringify(audit)}\n${cli.output().slice(-2000)}`;
      expect(audit.duplicates, context).toBe(0);
      expect(audit.unexplainedMissing, context).toBe(0);
      expect(audit.phantomCopies, context).toBe(0);
      expect(audit.ledgerMismatches, context).toBe(0);
      // A clean stop stores the run's summary (report no longer says "did not finish").
      const [run] = await recording.listRuns();
      expect(run?.summary).toBeDefined();
    } finally {
      intents.close();
      await recording.close();
    }
  }, 300_000);

  it('waits for unreachable hosts at start, saying what it waits for, and starts when they answer', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const cli = spawnCli(['live', '--sandbox', url, '--target', WHALE, '--json', '--data-dir', tempDataDir()]);
    children.push(cli);
    const waiting = await cli.waitForLine(isLog(/^waiting for the CLOB/), 120_000, 'a waiting line');
    expect(String(waiting.message)).toContain(`${url}/time`);
    expect(cli.running()).toBe(true);

    const late = await startSandbox({ port, scenario: SCENARIO });
    sandboxes.push(late);
    await cli.waitForLine(isLog(/^live session run-/), 120_000, 'the session start once the hosts answer');
    cli.child.kill('SIGINT');
    expect(await cli.exited).toBe(0);
  }, 300_000);
});

function journalRuns(dataDir: string): { atMs: number }[] {
  return readFileSync(join(dataDir, 'sessions/live.journal.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { t: string; atMs: number })
    .filter((l) => l.t === 'run');
}

/**
 * Polls the recording (a reader: it sees a snapshot while the session writes) until every target fill
 * (by content; identical fills of one transaction each need their own decision) has a decision.
 */
async function waitUntilDecided(path: string, fills: string[], timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  let missing = fills;
  while (Date.now() < end) {
    const store = await RecordingStore.open(path, { readOnly: true });
    try {
      const decided = new Map<string, number>();
      for (const r of await store.query(`SELECT DISTINCT cause_key FROM decisions WHERE cause_key IS NOT NULL`)) {
        const content = contentOfCauseKey(String(r.cause_key));
        if (content) decided.set(content, (decided.get(content) ?? 0) + 1);
      }
      missing = fills.filter((f) => {
        const left = decided.get(f) ?? 0;
        decided.set(f, left - 1);
        return left <= 0;
      });
    } finally {
      await store.close();
    }
    if (missing.length === 0) return;
    await sleep(1000);
  }
  throw new Error(`${missing.length} target fills never decided, e.g. ${missing.slice(0, 3).join(', ')}`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}
