/**
 * Readers never wait for writers. DuckDB lets one process write a file and nobody else open it, even
 * read-only, while it does. A reader that meets that lock (a session recording right now, a replay
 * storing its run) copies the file and its write-ahead log to a temp folder and reads the copy: the
 * state as of the writer's last commit. Copying the file before its log means a checkpoint racing the
 * copy can only make the snapshot older, never mix two states; a copy that still does not open is
 * taken again.
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

export function isLockConflict(err: unknown): boolean {
  return /could not set lock|conflicting lock/i.test(String((err as Error)?.message ?? err));
}

export interface Snapshot {
  path: string;
  remove(): void;
}

/** Copies `path` (and `path.wal`) into a fresh temp folder. */
export function snapshotOf(path: string): Snapshot {
  const dir = mkdtempSync(join(tmpdir(), 'polytail-snapshot-'));
  const copy = join(dir, basename(path));
  try {
    copyFileSync(path, copy);
    if (existsSync(`${path}.wal`)) copyFileSync(`${path}.wal`, `${copy}.wal`);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return { path: copy, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Opens a snapshot with `open`, taking a fresh copy if one does not open (up to `attempts`). */
export async function openFromSnapshot<T>(
  path: string,
  open: (copy: string) => Promise<T>,
  attempts = 3,
): Promise<{ value: T; snapshot: Snapshot }> {
  let last: unknown;
  for (let i = 0; i < attempts; i++) {
    const snapshot = snapshotOf(path);
    try {
      return { value: await open(snapshot.path), snapshot };
    } catch (err) {
      snapshot.remove();
      last = err;
    }
  }
  throw last;
}
