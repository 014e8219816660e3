/**
 * One writer per recording. Every command that writes a recording (import, replay/run with --save,
 * paper and live sessions, sweeps storing results) first creates `<recording>.lock` exclusively,
 * holding the writer's PID, command and start time. A second writer waits (saying who it waits for)
 * and then fails naming that PID; it never writes alongside and never renames a file over another
 * writer's work. Readers take no lock (see snapshot-open.ts).
 *
 * A lock whose process is gone (kill -9, power cut) is stale and taken over. Breaking a stale lock
 * is itself guarded by `<recording>.lock.break`, so two processes cannot both break it and both win.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { isProcessAlive, processStartTicks } from './process-alive.ts';

export interface LockHolder {
  pid: number;
  /** What holds it, in words: "polytail import", "polytail live session". */
  command: string;
  startedMs: number;
  host: string;
  /** /proc start time of the holder, to tell a reused PID from the holder itself (Linux). */
  startTicks?: string;
  token: string;
}

export interface LockOptions {
  /** What this writer is, for the message another writer prints. */
  command: string;
  /** How long to wait for another writer before failing (default 0: fail at once). */
  waitMs?: number;
  /** Told once when this writer starts waiting (print it). */
  onWait?: (message: string) => void;
  /** Told when a stale lock of a dead process was taken over. */
  onStale?: (message: string) => void;
  /** What to suggest in the failure message (default: "retry when it has finished"). */
  hint?: string;
  pollMs?: number;
}

/** Another process (or another writer in this one) is writing the recording. */
export class RecordingBusyError extends Error {
  override name = 'RecordingBusyError';
  constructor(
    message: string,
    readonly holder: LockHolder,
  ) {
    super(message);
  }
}

export interface RecordingLock {
  readonly path: string;
  readonly holder: LockHolder;
  release(): void;
}

export function lockPathOf(recording: string): string {
  return `${recording}.lock`;
}

/** Takes the recording's write lock, waiting up to `waitMs` for another writer. */
export async function lockRecording(recording: string, o: LockOptions): Promise<RecordingLock> {
  const path = lockPathOf(recording);
  const me: LockHolder = {
    pid: process.pid,
    command: o.command,
    startedMs: Date.now(),
    host: hostname(),
    startTicks: processStartTicks(process.pid),
    token: randomBytes(8).toString('hex'),
  };
  const deadline = Date.now() + (o.waitMs ?? 0);
  let told = false;
  for (;;) {
    if (tryCreate(path, me)) return held(path, me);
    const holder = readHolder(path);
    if (holder === 'gone') continue;
    if (holder === 'unreadable' || !isHolderAlive(holder)) {
      breakStale(path, holder, o);
      continue;
    }
    const busy = describeHolder(recording, holder);
    if (Date.now() >= deadline) throw new RecordingBusyError(`${busy}; ${o.hint ?? 'retry when it has finished'}`, holder);
    if (!told) {
      told = true;
      o.onWait?.(`${busy}; waiting up to ${Math.round((deadline - Date.now()) / 1000)} s for it to finish`);
    }
    await new Promise((r) => setTimeout(r, Math.min(o.pollMs ?? 200, Math.max(1, deadline - Date.now()))));
  }
}

/** Who holds the lock right now, if anyone alive does. */
export function currentHolder(recording: string): LockHolder | undefined {
  const h = readHolder(lockPathOf(recording));
  return typeof h === 'object' && isHolderAlive(h) ? h : undefined;
}

export function describeHolder(recording: string, h: LockHolder): string {
  const since = new Date(h.startedMs).toISOString().replace('T', ' ').slice(0, 19);
  const who = h.pid === process.pid ? `this process (${h.command})` : `PID ${h.pid} (${h.command})`;
  return `recording ${recording} is being written by ${who} since ${since} UTC`;
}

function tryCreate(path: string, me: LockHolder): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  try {
    writeSync(fd, JSON.stringify(me) + '\n');
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return true;
}

function readHolder(path: string): LockHolder | 'gone' | 'unreadable' {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw err;
  }
  try {
    const h = JSON.parse(text) as LockHolder;
    if (typeof h.pid === 'number' && typeof h.token === 'string') return h;
  } catch {
    // written by a process killed between create and write, or half-written right now
  }
  // A lock being written this very moment is younger than a second; give its writer time.
  return ageMs(path) < 2000
    ? { pid: process.pid, command: 'a writer starting up', startedMs: Date.now(), host: '', token: '' }
    : 'unreadable';
}

function isHolderAlive(h: LockHolder): boolean {
  if (h.host && h.host !== hostname()) return true; // another machine (shared folder): never assume it is dead
  if (!isProcessAlive(h.pid)) return false;
  const ticks = processStartTicks(h.pid);
  return h.startTicks === undefined || ticks === undefined || ticks === h.startTicks;
}

function breakStale(path: string, seen: LockHolder | 'unreadable', o: LockOptions): void {
  const guard = `${path}.break`;
  if (existsSync(guard) && ageMs(guard) > 10_000) rmSync(guard, { force: true }); // its breaker died too
  let fd: number;
  try {
    fd = openSync(guard, 'wx', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return; // someone else is breaking it; retry
    throw err;
  }
  try {
    // Still the same stale lock? (Another process may have broken it and locked since we looked.)
    const now = readHolder(path);
    const same =
      now === 'unreadable' ? seen === 'unreadable' : typeof now === 'object' && typeof seen === 'object' && now.token === seen.token;
    if (!same) return;
    rmSync(path, { force: true });
    o.onStale?.(
      typeof seen === 'object'
        ? `took over the lock of ${path.replace(/\.lock$/, '')} left by PID ${seen.pid} (${seen.command}), which is no longer running`
        : `removed an unreadable lock file ${path} left by a process that died while taking it`,
    );
  } finally {
    closeSync(fd);
    rmSync(guard, { force: true });
  }
}

function held(path: string, me: LockHolder): RecordingLock {
  let released = false;
  return {
    path,
    holder: me,
    release() {
      if (released) return;
      released = true;
      const now = readHolder(path);
      if (typeof now === 'object' && now.token === me.token) rmSync(path, { force: true });
    },
  };
}

function ageMs(path: string): number {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}
