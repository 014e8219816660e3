/**
 * The records of an append-only JSON-lines journal. A crash mid-write can only tear the LAST line
 * (every record before it was written, and fsynced, whole): that line is dropped, and the caller
 * truncates the file back to `validBytes` so the fragment never ends up in the middle of the file.
 * An unreadable line with records after it is something else — a damaged or edited file — and
 * skipping it could mean forgetting a decided trade and copying it twice: it is an error naming the
 * file and the line.
 */
export class JournalCorruptError extends Error {
  override name = 'JournalCorruptError';
  constructor(
    readonly path: string,
    readonly line: number,
    detail: string,
  ) {
    super(
      `${path} line ${line} is not a journal record (${detail}), and records follow it, so it is not a crash's torn last write. ` +
        'The session stops rather than guess what it held; restore the file from a backup, or remove that line if you know it is safe',
    );
  }
}

export interface JournalRead<T> {
  records: T[];
  /** Length in bytes of the file up to the end of its last good record (where a torn tail starts). */
  validBytes: number;
  /** The last line was unreadable (a crash mid-write) and was dropped. */
  torn: boolean;
}

export function readJournal<T>(text: string, path: string): JournalRead<T> {
  const records: T[] = [];
  let offset = 0;
  let validBytes = 0;
  let bad: { line: number; detail: string } | undefined;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const end = offset + Buffer.byteLength(raw, 'utf8') + (i < lines.length - 1 ? 1 : 0);
    if (raw.trim() !== '') {
      if (bad) throw new JournalCorruptError(path, bad.line, bad.detail);
      try {
        const value: unknown = JSON.parse(raw);
        if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('not a JSON object');
        records.push(value as T);
        validBytes = end;
      } catch (err) {
        bad = { line: i + 1, detail: (err as Error).message.split('\n')[0]!.slice(0, 80) };
      }
    } else if (!bad) {
      validBytes = end;
    }
    offset = end;
  }
  return { records, validBytes, torn: bad !== undefined };
}
