/**
 * The records of an append-only JSON-lines journal. A crash mid-write leaves a torn last line: it is
 * skipped, never an error, because everything before it was fsynced whole.
 */
export function journalLines<T>(text: string): T[] {
  const out: T[] = [];
  for (const raw of text.split('\n')) {
    if (!raw.trim()) continue;
    try {
      out.push(JSON.parse(raw) as T);
    } catch {
      // a torn write from a crash
    }
  }
  return out;
}
