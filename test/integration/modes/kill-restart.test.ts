/**
 * kill -9 safety: a live session against the sandbox (live-child.ts: `polytail live --sandbox` minus the
 * CLI's start-up cost) runs as a child process and is SIGKILLed at several
 * points while it copies a fast target, then restarted. Afterwards the sandbox ledger, the intent
 * journal and our recording must agree: no target fill copied twice, no fill of ours forgotten.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileIntentJournal } from '../../../src/exec/clob/intent-journal.ts';
import { auditSession } from '../../helpers/session-audit.ts';
import type { Sandbox } from '../../../src/sandbox/index.ts';
import { RecordingStore } from '../../../src/store/index.ts';
import { waitUntil } from '../../helpers/wait.ts';
import { TEST_ADDRESS, WHALE, ledger, sleep, startFastSandbox, tempDataDir } from './helpers.ts';

const ROOT = join(import.meta.dirname, '../../..');
let sb: Sandbox;
beforeAll(async () => {
  sb = await startFastSandbox();
});
const children: ChildProcess[] = [];
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await sb.stop();
});

interface Launched {
  child: ChildProcess;
  /** Lets the pre-loaded process start its session. */
  go(): void;
  started: Promise<void>;
  exited: Promise<number | null>;
  output: () => string;
}

/**
 * Spawns the session process, which loads its modules (seconds on a busy machine) and then waits for
 * `go()`: the next process loads while the current one runs, so a kill-restart cycle costs less.
 */
function launch(dataDir: string, extra: string[] = []): Launched {
  const env: NodeJS.ProcessEnv = { ...process.env, POLYTAIL_CHILD_WAIT: '1' };
  delete env.POLYTAIL_PRIVATE_KEY;
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'test/integration/modes/live-child.ts', sb.urls.clob, WHALE, dataDir, ...extra],
    { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] },
  );
  children.push(child);
  let out = '';
  const started = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (/live session run-/.test(out)) resolve();
    });
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', () => reject(new Error(`polytail live exited before starting:\n${out.slice(-2000)}`)));
  });
  started.catch(() => undefined);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, go: () => child.stdin!.end('go\n'), started, exited, output: () => out };
}

describe('polytail live killed with SIGKILL and restarted', () => {
  it('never copies a target fill twice and never forgets one of our fills', async () => {
    const dataDir = tempDataDir();
    const oursOnLedger = async () => (await ledger(sb)).filter((l) => l.taker.toLowerCase() === TEST_ADDRESS).length;
    const afterOurNextFill = async (what: string) => {
      const before = await oursOnLedger();
      await waitUntil(async () => (await oursOnLedger()) > before, what, { timeoutMs: 300_000, intervalMs: 50 });
    };
    // Kill points: as soon as the first process's first order fills on the exchange (mid-copying, its
    // answer maybe not yet handled), the same for the second, and right away after a restart. Events,
    // not times: a slow machine only makes each process take longer to get there.
    const killPoints = [
      () => afterOurNextFill('a fill of the first process'),
      () => afterOurNextFill('a fill of the second process'),
      () => sleep(250),
    ];
    let next = launch(dataDir);
    for (const [i, killPoint] of killPoints.entries()) {
      const run = next;
      run.go();
      await run.started;
      // The last process runs 1 s, then reads the Data API once more and decides everything before it stops.
      next = launch(dataDir, i === killPoints.length - 1 ? ['1'] : []);
      await killPoint();
      run.child.kill('SIGKILL');
      expect(await run.exited).toBeNull();
    }
    // No target fill after this: the last process's final Data API read sees every fill there is.
    sb.flow.stop();
    const last = next;
    last.go();
    await last.started;
    expect(await last.exited).toBe(0);
    const out = last.output();

    const journalLines = readFileSync(join(dataDir, 'sessions/live.journal.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { t: string; atMs?: number });
    const runs = journalLines.filter((l) => l.t === 'run');
    expect(runs).toHaveLength(4);
    const truthFromMs = Math.ceil(runs[0]!.atMs! / 1000) * 1000 + 1000;
    const intents = FileIntentJournal.open(dataDir);
    const rows = await ledger(sb);
    const recording = await RecordingStore.open(
      join(dataDir, 'sessions', `live-${new Date(runs[0]!.atMs!).toISOString().slice(0, 10)}.duckdb`),
    );
    try {
      const audit = await auditSession({
        recording,
        ledger: rows,
        targets: [WHALE],
        sinceMs: truthFromMs,
        intents: intents.entries(),
        ourAddress: TEST_ADDRESS,
      });
      const context = `${JSON.stringify(audit)}\n${out.slice(-1500)}`;
      expect(audit.targetTrades, context).toBeGreaterThan(20);
      expect(audit.duplicates, context).toBe(0);
      expect(audit.unexplainedMissing, context).toBe(0);
      expect(audit.phantomCopies, context).toBe(0);
      expect(audit.ledgerMismatches, context).toBe(0);
      expect(rows.filter((l) => l.taker.toLowerCase() === TEST_ADDRESS).length).toBeGreaterThan(0);
      // Each order hash reached the exchange at most once per intent, and intents are unique per cause.
      const causes = intents
        .entries()
        .map((e) => e.intent.order.causeKey)
        .filter(Boolean);
      expect(new Set(causes).size).toBe(causes.length);
    } finally {
      intents.close();
      await recording.close();
    }
    // Four processes each load the SDKs (~3.5 s of CPU): ~30 s on a quiet 2-core machine, far more when
    // the whole suite shares it (one process took over 90 s to its first fill at a load average of 24).
    // Slowness only delays this test; it cannot make it pass wrongly.
  }, 900_000);
});
