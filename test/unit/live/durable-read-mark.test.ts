/**
 * The session journal's read mark: where the Data API had been read for every target. A restart resumes
 * from it, not from the newest fill seen (RTDS delivers that at once, ahead of fills nobody read yet).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DurableState } from '../../../src/live/durable-state.ts';

describe('session journal read mark', () => {
  it('keeps the furthest mark across processes and is independent of the newest fill seen', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'polytail-read-mark-')), 'live.journal.jsonl');
    const first = new DurableState(path);
    expect(first.snapshot.readUpToMs).toBe(0);
    first.recordRun('run-a', 1_000);
    first.recordReadUpTo(5_000);
    first.recordReadUpTo(4_000); // an older round finishing late never moves it back
    first.recordKey('0xabc:tok:BUY:1:500000#1', 90_000); // a fill RTDS delivered far ahead of the poll
    first.close();
    const second = new DurableState(path);
    expect(second.snapshot.readUpToMs).toBe(5_000);
    expect(second.snapshot.lastEventMs).toBe(90_000);
    second.close();
  });
});
