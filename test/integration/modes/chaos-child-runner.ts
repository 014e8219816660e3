/**
 * Session processes for the crash tests: each runs scripts/chaos-child.ts against a sandbox with a kill
 * plan, and the test reads what it left (its intent journal) after it exits or is killed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { FileIntentJournal, type JournalEntry } from '../../../src/exec/clob/intent-journal.ts';
import { WHALE } from './helpers.ts';

const ROOT = join(import.meta.dirname, '../../..');

export interface ChildExit {
  code: number | null;
  signal: string | null;
  out: string;
}

/** Runs children against the sandbox at `clobUrl()`; `killAll` (for afterAll) ends any still running. */
export function chaosChildRunner(clobUrl: () => string): {
  run(dataDir: string, plan: Record<string, unknown>): Promise<ChildExit>;
  killAll(): void;
} {
  const children: ChildProcess[] = [];
  return {
    /** One session process with `plan`, to its end: its exit code or signal, and what it printed. */
    run(dataDir, plan) {
      const env: NodeJS.ProcessEnv = { ...process.env };
      delete env.POLYTAIL_PRIVATE_KEY;
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', 'scripts/chaos-child.ts', clobUrl(), dataDir, JSON.stringify({ n: 1, wallets: [WHALE], ...plan })],
        { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] },
      );
      children.push(child);
      let out = '';
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (/^ready$/m.test(out) && child.stdin!.writable) child.stdin!.end('go\n');
      });
      child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
      return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal, out })));
    },
    killAll() {
      for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    },
  };
}

/** The intent journal of a data dir, as a restart would read it. */
export function journalEntries(dataDir: string): JournalEntry[] {
  const j = FileIntentJournal.open(dataDir);
  try {
    return j.entries();
  } finally {
    j.close();
  }
}
