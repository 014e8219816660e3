/**
 * `npm run chaos -- --kills 100 [--json] [--seed 5]`: a live session against an in-process sandbox is
 * SIGKILLed at N moments and restarted each time, then audited like the fault run. The moments
 * rotate: a random time, right after an order's intent is journalled (between sign and POST), while
 * a POST is in flight, and halfway through a journal write (a torn line). Each process is a child
 * (scripts/chaos-child.ts) loaded ahead of time, so a restart costs little more than the session's
 * own start-up. A process that exits by itself (an error) instead of being killed fails the run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileIntentJournal } from '../src/exec/clob/intent-journal.ts';
import { auditSession, type LedgerRow } from '../test/helpers/session-audit.ts';
import { startSandbox } from '../src/sandbox/index.ts';
import { RecordingStore } from '../src/store/index.ts';
import { chaosScenario } from './chaos-scenario.ts';

type Moment = 'time' | 'after-sign' | 'in-post' | 'mid-journal';
const MOMENTS: Moment[] = ['time', 'after-sign', 'in-post', 'mid-journal'];

export interface KillOptions {
  kills: number;
  seed: number;
  json: boolean;
  say: (line: string) => void;
}

const TARGETS = ['0x1111111111111111111111111111111111111111', '0x2222222222222222222222222222222222222222'];
const ME = '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266'; // the sandbox test key's address

interface Child {
  proc: ChildProcess;
  moment: Moment | 'final';
  ready: Promise<void>;
  started: Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output: () => string;
}

export async function runKills(o: KillOptions): Promise<Record<string, unknown>> {
  let rng = o.seed >>> 0 || 1;
  const random = () => (rng = (rng * 1664525 + 1013904223) >>> 0) / 2 ** 32;
  const scenario = chaosScenario({
    seed: o.seed,
    clockSpeed: 5,
    targets: TARGETS,
    ratePerMinute: 30,
    marketPrefix: 'kill',
    traderPrefix: 'k',
  });
  const sb = await startSandbox({ port: 0, scenario });
  const dataDir = mkdtempSync(join(tmpdir(), 'polytail-chaos-kills-'));
  const startMs = Date.now();
  o.say(`live session killed ${o.kills} times; data in ${dataDir}; sandbox ${sb.urls.clob}`);

  const launch = (moment: Moment | 'final'): Child => {
    const n = moment === 'mid-journal' ? 1 + Math.floor(random() * 40) : 1 + Math.floor(random() * 6);
    const plan = JSON.stringify({ kind: moment, n, wallets: TARGETS });
    const proc = spawn(process.execPath, ['--import', 'tsx', 'scripts/chaos-child.ts', sb.urls.clob, dataDir, plan], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    const seen = (pattern: RegExp) =>
      new Promise<void>((resolve, reject) => {
        const check = () => pattern.test(out) && resolve();
        proc.stdout!.on('data', check);
        proc.once('exit', () => (pattern.test(out) ? resolve() : reject(new Error(`exited before ${pattern}`))));
      });
    proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const ready = seen(/^ready$/m);
    const started = seen(/live session run-/);
    ready.catch(() => undefined);
    started.catch(() => undefined);
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      proc.once('exit', (code, signal) => resolve({ code, signal })),
    );
    return { proc, moment, ready, started, exited, output: () => out };
  };

  const killsByMoment: Record<string, number> = {};
  // Signed orders a restart found missing on the exchange and posted again (from each process's log).
  let resent = 0;
  const countResent = (c: Child) => {
    for (const m of c.output().matchAll(/(\d+) signed but never sent, sent now/g)) resent += Number(m[1]);
  };
  const unexpected: string[] = [];
  let next = launch(MOMENTS[0]!);
  let kills = 0;
  for (let i = 0; kills < o.kills; i++) {
    const run = next;
    if (
      !(await run.ready.then(
        () => true,
        () => false,
      ))
    ) {
      // Died while loading (before the session started): a failure of its own, reported with its output.
      unexpected.push(`process ${i + 1} (${run.moment}) exited before it was ready:\n${run.output().slice(-1500)}`);
      if (unexpected.length >= 3) break;
      next = launch(run.moment);
      continue;
    }
    run.proc.stdin!.write('go\n');
    // Loaded while this one runs; started only after it is gone (one process per journal).
    next = launch(kills + 1 < o.kills ? MOMENTS[(i + 1) % MOMENTS.length]! : 'final');
    let killedBy: string = run.moment;
    let timer: NodeJS.Timeout | undefined;
    if (run.moment === 'time') {
      // A random moment of the running session.
      await run.started.catch(() => undefined);
      await new Promise((r) => setTimeout(r, 200 + random() * 2800));
      run.proc.kill('SIGKILL');
    } else {
      // The process kills itself at its moment (which may come during start-up); if none comes within
      // 10 s of the session running, we do.
      await Promise.race([run.started, run.exited]).catch(() => undefined);
      timer = setTimeout(() => {
        killedBy = `time (no ${run.moment} moment came)`;
        run.proc.kill('SIGKILL');
      }, 10_000);
    }
    const { code, signal } = await run.exited;
    clearTimeout(timer);
    countResent(run);
    if (signal === 'SIGKILL') {
      kills++;
      killsByMoment[killedBy] = (killsByMoment[killedBy] ?? 0) + 1;
    } else {
      unexpected.push(`process ${i + 1} (${run.moment}) exited by itself with code ${code}:\n${run.output().slice(-1500)}`);
      if (unexpected.length >= 3) break;
    }
    if (kills % 10 === 0 && signal === 'SIGKILL') o.say(`${kills}/${o.kills} kills (${JSON.stringify(killsByMoment)})`);
  }

  // No target trade after this: the last process's final Data API read sees every fill there is.
  sb.flow.stop();
  await new Promise((r) => setTimeout(r, 2000));
  const last = next.moment === 'final' ? next : launch('final');
  if (last !== next) next.proc.kill('SIGKILL');
  if (
    await last.ready.then(
      () => true,
      () => false,
    )
  ) {
    last.proc.stdin!.write('go\n');
    const end = await last.exited;
    countResent(last);
    if (end.code !== 0) unexpected.push(`the final process exited with ${end.code ?? end.signal}:\n${last.output().slice(-1500)}`);
  } else unexpected.push(`the final process exited before it was ready:\n${last.output().slice(-1500)}`);

  const runs = readFileSync(join(dataDir, 'sessions/live.journal.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.includes('"t":"run"'))
    .map((l) => JSON.parse(l) as { atMs: number });
  const ledger = (await (await fetch(`${sb.urls.admin}/ledger`)).json()) as LedgerRow[];
  const intents = FileIntentJournal.open(dataDir);
  const recording = await RecordingStore.open(
    join(dataDir, 'sessions', `live-${new Date(runs[0]!.atMs).toISOString().slice(0, 10)}.duckdb`),
    {
      readOnly: true,
    },
  );
  const audit = await auditSession({
    recording,
    ledger,
    targets: TARGETS,
    sinceMs: Math.ceil(runs[0]!.atMs / 1000) * 1000 + 1000,
    intents: intents.entries(),
    ourAddress: ME,
  });
  await recording.close();
  // Every signed order and what became of it: `not_found` never reached the exchange (with the reason it was not sent).
  const intentOutcomes: Record<string, number> = {};
  for (const e of intents.entries()) {
    const k = e.outcome ? `${e.outcome.status}${e.outcome.reason ? `:${e.outcome.reason}` : ''}` : 'pending';
    intentOutcomes[k] = (intentOutcomes[k] ?? 0) + 1;
  }
  const signedOrders = intents.entries().length;
  intents.close();
  for (const c of [next, last]) if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill('SIGKILL');
  await sb.stop();
  return {
    kills,
    killsByMoment,
    processes: runs.length,
    targetTrades: audit.targetTrades,
    copied: audit.copied,
    skipped: audit.skipped,
    duplicates: audit.duplicates,
    unexplainedMissing: audit.unexplainedMissing,
    phantomCopies: audit.phantomCopies,
    ledgerMismatches: audit.ledgerMismatches,
    unexpectedExits: unexpected.length,
    mode: 'live',
    seconds: Math.round((Date.now() - startMs) / 1000),
    signedOrders,
    signedNeverOnExchange: Object.entries(intentOutcomes)
      .filter(([k]) => k.startsWith('not_found') || k === 'pending')
      .reduce((n, [, v]) => n + v, 0),
    resentAfterRestart: resent,
    intentOutcomes,
    ourLedgerFills: ledger.filter((l) => l.taker.toLowerCase() === ME || l.maker.toLowerCase() === ME).length,
    skipReasons: audit.skipReasons,
    examples: { ...audit.examples, unexpected: unexpected.map((u) => u.slice(0, 600)) },
  };
}
