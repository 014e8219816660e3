/**
 * `polytail live|paper` as a user runs it: the real CLI in a child process, logging JSON lines, so a
 * test sees exactly what a user would (and an exit with code 13 shows as one).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '../../..');

export interface CliSession {
  child: ChildProcess;
  /** Every stdout line that parsed as JSON, in order. */
  lines: Record<string, unknown>[];
  output(): string;
  exited: Promise<number | null>;
  /** Resolves with the first line matching `pred` (seen before or after the call); rejects on exit or deadline. */
  waitForLine(pred: (l: Record<string, unknown>) => boolean, timeoutMs: number, what: string): Promise<Record<string, unknown>>;
  running(): boolean;
}

export function spawnCli(args: string[], env: NodeJS.ProcessEnv = {}): CliSession {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  delete childEnv.POLYTAIL_PRIVATE_KEY;
  const child = spawn(process.execPath, ['bin/polytail', ...args], { cwd: ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: Record<string, unknown>[] = [];
  let out = '';
  let partial = '';
  const waiters = new Set<() => void>();
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
    partial += d.toString();
    const parts = partial.split('\n');
    partial = parts.pop()!;
    for (const p of parts) {
      try {
        lines.push(JSON.parse(p) as Record<string, unknown>);
      } catch {
        // not a JSON line
      }
    }
    for (const w of waiters) w();
  });
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let done = false;
  void exited.then(() => {
    done = true;
    for (const w of waiters) w();
  });
  return {
    child,
    lines,
    output: () => out,
    exited,
    running: () => !done,
    waitForLine(pred, timeoutMs, what) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const hit = lines.find(pred);
          if (hit) return finish(() => resolve(hit));
          if (done) return finish(() => reject(new Error(`polytail exited (code ${child.exitCode}) before ${what}:\n${out.slice(-3000)}`)));
        };
        const timer = setTimeout(
          () => finish(() => reject(new Error(`no ${what} within ${timeoutMs} ms:\n${out.slice(-3000)}`))),
          timeoutMs,
        );
        const finish = (fn: () => void) => {
          clearTimeout(timer);
          waiters.delete(check);
          fn();
        };
        waiters.add(check);
        check();
      });
    },
  };
}

export const isAlert = (code: string, feed?: string) => (l: Record<string, unknown>) =>
  l.type === 'alert' && l.code === code && (feed === undefined || (l.details as { feed?: string } | undefined)?.feed === feed);

export const isLog = (pattern: RegExp) => (l: Record<string, unknown>) => l.type === 'log' && pattern.test(String(l.message));
