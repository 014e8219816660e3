/**
 * Where an import writes: `--out` checked before anything is written (a missing folder, a folder, a
 * file that is not a polytail recording are each a message), the recording's write lock taken for
 * the whole import, leftovers of killed imports cleaned, then a copy written and renamed over `out`
 * only when complete. With the lock held, no other writer can store a run into `out` while the copy
 * is being written, so nothing is lost by the rename.
 */
import { copyFileSync, existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { lockRecording, NotARecordingError, RecordingBusyError, RecordingStore, type RecordingLock } from '../store/index.ts';
import { isProcessAlive } from '../store/process-alive.ts';
import { ImportError } from './import-error.ts';

export interface ImportTarget {
  /** The temp copy to write into. */
  tmp: string;
  /** Leftovers of killed imports that were removed. */
  cleaned: string[];
  /** Renames the finished copy over `out`. */
  commit(): void;
  /** Removes the temp copy and releases the lock (always call, also after commit). */
  dispose(): void;
}

export interface TargetOptions {
  /** How long to wait for another writer of `out` (default 30 s). */
  waitMs?: number;
  onNotice?: (message: string) => void;
}

export function checkOutPath(out: string): void {
  const dir = dirname(resolve(out));
  if (!existsSync(dir)) throw new ImportError(out, undefined, undefined, `--out: folder ${dirname(out)} does not exist; create it first`);
  if (!statSync(dir).isDirectory()) throw new ImportError(out, undefined, undefined, `--out: ${dirname(out)} is not a folder`);
  if (existsSync(out) && statSync(out).isDirectory())
    throw new ImportError(
      out,
      undefined,
      undefined,
      `--out: ${out} is a folder; give a file name such as ${join(out, 'recording.duckdb')}`,
    );
}

export async function openImportTarget(out: string, o: TargetOptions = {}): Promise<ImportTarget> {
  checkOutPath(out);
  let lock: RecordingLock;
  try {
    lock = await lockRecording(out, { command: 'polytail import', waitMs: o.waitMs ?? 30_000, onWait: o.onNotice, onStale: o.onNotice });
  } catch (err) {
    if (err instanceof RecordingBusyError) throw new ImportError(out, undefined, undefined, `nothing was written: ${err.message}`);
    throw err;
  }
  const tmp = `${out}.importing-${process.pid}`;
  try {
    const cleaned = cleanLeftovers(out);
    if (cleaned.length)
      o.onNotice?.(`removed ${cleaned.length} leftover(s) of killed imports: ${cleaned.map((p) => basename(p)).join(', ')}`);
    if (existsSync(out)) await checkRecording(out);
    removeDb(tmp);
    if (existsSync(out)) {
      copyFileSync(out, tmp);
      if (existsSync(`${out}.wal`)) copyFileSync(`${out}.wal`, `${tmp}.wal`);
    }
    return {
      tmp,
      cleaned,
      commit() {
        if (existsSync(`${tmp}.wal`)) throw new Error(`checkpoint left ${tmp}.wal behind`);
        renameSync(tmp, out);
        removeDb(`${out}.wal`, true);
      },
      dispose() {
        removeDb(tmp);
        lock.release();
      },
    };
  } catch (err) {
    removeDb(tmp);
    lock.release();
    throw err;
  }
}

/** `<out>.importing-<pid>` files whose process is gone (a killed import), removed. */
function cleanLeftovers(out: string): string[] {
  const dir = dirname(resolve(out));
  const prefix = `${basename(out)}.importing-`;
  const removed: string[] = [];
  for (const name of readdirSync(dir)) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(/^(\d+)/.exec(name.slice(prefix.length))?.[1]);
    if (!Number.isInteger(pid) || isProcessAlive(pid)) continue;
    rmSync(join(dir, name), { force: true });
    if (!name.endsWith('.wal')) removed.push(join(dir, name));
  }
  return removed;
}

async function checkRecording(out: string): Promise<void> {
  let store: RecordingStore;
  try {
    store = await RecordingStore.open(out, { readOnly: true });
  } catch (err) {
    const text = (err as Error).message;
    if (err instanceof NotARecordingError) throw new ImportError(out, undefined, undefined, `--out: ${text}`);
    if (/not a valid DuckDB database file|not a valid duckdb/i.test(text))
      throw new ImportError(
        out,
        undefined,
        undefined,
        `--out: ${out} exists but is not a DuckDB file; give a new file name or a polytail recording`,
      );
    throw new ImportError(out, undefined, undefined, `--out: ${text}`);
  }
  await store.close();
}

function removeDb(path: string, walOnly = false): void {
  if (!walOnly) rmSync(path, { force: true });
  rmSync(path.endsWith('.wal') ? path : `${path}.wal`, { force: true });
}
