/**
 * No write is ever lost by two commands on one recording. Every writer (import, replay --save, a
 * paper/live session, a sweep storing results) takes the recording's write lock: a second writer
 * waits and then writes, or fails naming the holder. Readers never block. Stale locks and leftovers
 * of killed processes are cleaned. Real DuckDB files; "another process" is a real child process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/config.ts';
import { importFiles } from '../../../src/import/import-files.ts';
import { openSessionFiles } from '../../../src/live/session-files.ts';
import { runReplay } from '../../../src/modes/replay.ts';
import { parseGrid } from '../../../src/modes/sweep/grid.ts';
import { runSweep } from '../../../src/modes/sweep/sweep.ts';
import { RecordingStore } from '../../../src/store/index.ts';
import { useTempDir } from '../../unit/store/helpers.ts';

const ROOT = join(import.meta.dirname, '../../..');
const FIX = join(ROOT, 'test/fixtures/import');
const A = join(FIX, 'wallet-a.json');
const B = join(FIX, 'wallet-b.json');
const WALLET_A = '0x6a72f61820b26b1fe4d956e17b6dc2a1ea3033ee';
const WALLET_B = '0x0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b';
const tempDir = useTempDir();
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
});

async function counts(path: string): Promise<{ a: number; b: number; runs: number; withSummary: number; sweeps: number }> {
  const s = await RecordingStore.open(path, { readOnly: true });
  try {
    const [t] = await s.query(
      `SELECT COUNT(*) FILTER (WHERE wallet = '${WALLET_A}') a, COUNT(*) FILTER (WHERE wallet = '${WALLET_B}') b FROM target_trades`,
    );
    const runs = await s.listRuns();
    const [sw] = await s.query(`SELECT COUNT(*) n FROM sweep_results`);
    return {
      a: Number(t!.a),
      b: Number(t!.b),
      runs: runs.length,
      withSummary: runs.filter((r) => r.summary).length,
      sweeps: Number(sw!.n),
    };
  } finally {
    await s.close();
  }
}

const replay = (recording: string, extra: Partial<Parameters<typeof runReplay>[0]> = {}) =>
  runReplay({ recording, config: parseConfig({}), targets: [WALLET_A], save: true, ...extra });

/** A child process holding the recording (polytail's lock, or DuckDB's own write lock). */
async function holder(path: string, mode: 'lock' | 'duckdb'): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/integration/store/hold-recording.ts', path, mode], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('held') && resolve());
    child.once('exit', (code) => reject(new Error(`holder exited with ${code}`)));
  });
  return child;
}

async function letGo(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.once('exit', r));
  child.stdin!.end();
  await exited;
}

describe('two writers on one recording: both writes survive', () => {
  it('import ∥ import', async () => {
    const out = join(tempDir(), 'rec.duckdb');
    await Promise.all([importFiles([A], out), importFiles([B], out)]);
    expect(await counts(out)).toMatchObject({ a: 3, b: 2 });
  });

  it('replay --save ∥ import', async () => {
    const out = join(tempDir(), 'rec.duckdb');
    await importFiles([A], out);
    await Promise.all([replay(out), importFiles([B], out)]);
    expect(await counts(out)).toMatchObject({ a: 3, b: 2, runs: 1, withSummary: 1 });
  });

  it('replay --save ∥ replay --save', async () => {
    const out = join(tempDir(), 'rec.duckdb');
    await importFiles([A], out);
    await Promise.all([replay(out), replay(out)]);
    expect(await counts(out)).toMatchObject({ runs: 2, withSummary: 2 });
  });

  it('sweep storing results ∥ import', async () => {
    const out = join(tempDir(), 'rec.duckdb');
    await importFiles([A], out);
    const sweep = runSweep({
      recording: out,
      config: parseConfig({}),
      overrides: { targets: [WALLET_A] },
      axes: parseGrid(['multiplier=0.5,1']),
      train: 0.7,
      workers: 1,
      objective: 'pnl',
      save: true,
    });
    await Promise.all([sweep, importFiles([B], out)]);
    expect(await counts(out)).toMatchObject({ a: 3, b: 2, sweeps: 2 });
  }, 60_000);
});

describe('a writer that cannot wait fails naming the holder', () => {
  it('replay --save on a live session recording: refused, the session named, --save false suggested', async () => {
    const dataDir = tempDir();
    const files = await openSessionFiles({ dataDir, mode: 'paper', name: 'paper-test' });
    try {
      await expect(replay(files.recordingPath, { lockWaitMs: 300 })).rejects.toThrow(
        /being written by this process \(polytail paper session\).*--save false/,
      );
    } finally {
      await files.close();
    }
  });

  it('import while another process holds the lock: waits, then fails with its PID; nothing written', async () => {
    const out = join(tempDir(), 'rec.duckdb');
    await importFiles([A], out);
    const child = await holder(out, 'lock');
    const notices: string[] = [];
    await expect(importFiles([B], out, { lockWaitMs: 500, onNotice: (m) => notices.push(m) })).rejects.toThrow(
      new RegExp(`being written by PID ${child.pid} \\(a test writer\\)`),
    );
    expect(notices.join('\n')).toMatch(new RegExp(`PID ${child.pid}.*waiting up to`));
    await letGo(child);
    expect(await counts(out)).toMatchObject({ a: 3, b: 0 });
    await importFiles([B], out);
    expect(await counts(out)).toMatchObject({ a: 3, b: 2 });
  }, 60_000);
});

describe('readers never block', () => {
  it('report/replay --save false read a recording another process is writing (its committed state)', async () => {
    const out = join(tempDir(), 'rec.duckdb');
    await importFiles([A], out);
    const child = await holder(out, 'duckdb');
    try {
      const { summary } = await replay(out, { save: false });
      expect(summary.targetTrades).toBe(3);
      const s = await RecordingStore.open(out, { readOnly: true });
      try {
        expect(s.isSnapshot).toBe(true);
        expect(await s.query(`SELECT condition_id FROM markets WHERE condition_id = '0xheld'`)).toHaveLength(1);
      } finally {
        await s.close();
      }
    } finally {
      await letGo(child);
    }
  }, 60_000);
});

describe('what killed processes leave behind', () => {
  it('a stale lock of a dead PID is taken over, with a message', async () => {
    const out = join(tempDir(), 'rec.duckdb');
    const dead = await deadPid();
    writeFileSync(`${out}.lock`, JSON.stringify({ pid: dead, command: 'polytail import', startedMs: 1, host: '', token: 'x' }));
    const notices: string[] = [];
    await importFiles([A], out, { onNotice: (m) => notices.push(m) });
    expect(notices.join('\n')).toContain(`left by PID ${dead} (polytail import), which is no longer running`);
    expect(existsSync(`${out}.lock`)).toBe(false);
    expect(await counts(out)).toMatchObject({ a: 3 });
  });

  it("a killed import's <out>.importing-<pid> is removed by the next import, only when that PID is gone", async () => {
    const dir = tempDir();
    const out = join(dir, 'rec.duckdb');
    await importFiles([A], out);
    const dead = await deadPid();
    copyFileSync(out, `${out}.importing-${dead}`);
    writeFileSync(`${out}.importing-${dead}.wal`, '');
    writeFileSync(`${out}.importing-${process.ppid}`, 'a live process is still writing this');
    await importFiles([B], out);
    expect(readdirSync(dir).sort()).toEqual(['rec.duckdb', `rec.duckdb.importing-${process.ppid}`]);
  });
});

/** A PID that was in use a moment ago and is not any more. */
function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  return new Promise((resolve) => child.once('exit', () => resolve(child.pid!)));
}
