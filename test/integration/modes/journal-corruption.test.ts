/**
 * Corrupted state is loud. A torn LAST line of the session journal or the intent journal (a crash
 * mid-write) is tolerated and cut off, so later records never land behind it; an unreadable line in
 * the MIDDLE stops the session with an error naming the file and the line — skipping it could mean
 * forgetting a decided trade and copying it twice.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JournalCorruptError } from '../../../src/core/journal-lines.ts';
import { FileIntentJournal } from '../../../src/exec/clob/intent-journal.ts';
import { DurableState } from '../../../src/live/durable-state.ts';
import type { Sandbox } from '../../../src/sandbox/index.ts';
import { spawnCli } from './cli-session.ts';
import { SELLER, startFastSandbox, tempDataDir } from './helpers.ts';

const key = (k: string, ts: number) => JSON.stringify({ t: 'key', key: k, ts });
const run = (id: string) => JSON.stringify({ t: 'run', runId: id, atMs: 1 });

function journalWith(lines: string[], ending = '\n'): string {
  const dir = join(tempDataDir(), 'sessions');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'paper.journal.jsonl');
  writeFileSync(path, lines.join('\n') + ending);
  return path;
}

describe('the session journal', () => {
  it('tolerates a torn last line, cuts it off, and stays readable through later restarts', () => {
    const path = journalWith([run('r1'), key('a#1', 10), key('b#1', 20), '{"t":"key","key":"c#1","t'], '');
    const first = new DurableState(path);
    expect([...first.snapshot.keys.keys()]).toEqual(['a#1', 'b#1']);
    first.recordKey('d#1', 30);
    first.close();
    // The fragment is gone: the record written after it is on a line of its own, and a second restart reads everything.
    expect(readFileSync(path, 'utf8')).not.toContain('c#1');
    const second = new DurableState(path);
    expect([...second.snapshot.keys.keys()]).toEqual(['a#1', 'b#1', 'd#1']);
    second.close();
  });

  it('refuses an unreadable line in the middle, naming the file and the line', () => {
    const path = journalWith([run('r1'), key('a#1', 10), '{"t":"key","key":"b#1" garbage', key('c#1', 30)]);
    expect(() => new DurableState(path)).toThrow(JournalCorruptError);
    expect(() => new DurableState(path)).toThrow(new RegExp(`${path} line 3 is not a journal record`));
  });
});

describe('the intent journal', () => {
  it('tolerates a torn last line and refuses a damaged middle one', () => {
    const dir = tempDataDir();
    const intent = (id: string) => JSON.stringify({ t: 'outcome', clientOrderId: id, outcome: { status: 'filled', atMs: 1 } });
    writeFileSync(join(dir, 'live-intents.jsonl'), [intent('o-1'), intent('o-2'), '{"t":"intent","intent":{"client'].join('\n'));
    FileIntentJournal.open(dir).close();
    // The records end at the preallocated zeros.
    expect(readFileSync(join(dir, 'live-intents.jsonl'), 'utf8').replace(/\0+$/, '')).toBe(
      [intent('o-1'), intent('o-2')].join('\n') + '\n',
    );
    writeFileSync(join(dir, 'live-intents.jsonl'), [intent('o-1'), 'not json at all', intent('o-2')].join('\n') + '\n');
    expect(() => FileIntentJournal.open(dir)).toThrow(/live-intents\.jsonl line 2 is not a journal record/);
  });
});

describe('the preallocated intent journal', () => {
  const outcome = (id: string) => ({ status: 'filled' as const, venueOrderId: id, atMs: 1 });

  it('keeps its records across restarts and growth, each ending where the zeros start', () => {
    const dir = tempDataDir();
    const path = join(dir, 'live-intents.jsonl');
    const first = FileIntentJournal.open(dir);
    // Zeros written ahead of the first record, so records overwrite allocated blocks.
    expect(readFileSync(path).length).toBeGreaterThanOrEqual(1 << 19);
    first.recordOutcome('o-1', outcome('o-1'));
    first.close();
    const second = FileIntentJournal.open(dir);
    // Enough records to outgrow the first preallocation (each outcome line is about 100 bytes).
    const long = 'x'.repeat(2000);
    for (let i = 2; i <= 800; i++) second.recordOutcome(`o-${i}`, { ...outcome(`o-${i}`), reason: long });
    second.close();
    const text = readFileSync(path, 'utf8');
    expect(text.length).toBeGreaterThan(800 * 2000);
    const lines = text.replace(/\0+$/, '').trimEnd().split('\n');
    expect(lines.length).toBe(800);
    expect(lines.map((l) => (JSON.parse(l) as { clientOrderId: string }).clientOrderId)).toEqual(
      Array.from({ length: 800 }, (_, i) => `o-${i + 1}`),
    );
  });

  it('zeros a torn record whose later page reached the disk past the zeros, and appends after the good ones', () => {
    const dir = tempDataDir();
    const path = join(dir, 'live-intents.jsonl');
    const good = JSON.stringify({ t: 'outcome', clientOrderId: 'o-1', outcome: outcome('o-1') }) + '\n';
    // A crash mid-write: the record's first bytes never landed (zeros), a fragment of its end did.
    writeFileSync(
      path,
      Buffer.concat([Buffer.from(good), Buffer.alloc(100), Buffer.from('ome":{"status":"filled"}}\n'), Buffer.alloc(5000)]),
    );
    const reopened = FileIntentJournal.open(dir);
    reopened.recordOutcome('o-2', outcome('o-2'));
    reopened.close();
    const text = readFileSync(path, 'utf8');
    expect(text).not.toContain('ome":{"status":"filled"}}');
    expect(FileIntentJournal.open(dir).entries()).toEqual([]); // outcomes of unknown intents are not entries
    const lines = text.replace(/\0+$/, '').trimEnd().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { clientOrderId: string }).clientOrderId)).toEqual(['o-1', 'o-2']);
  });
});

describe('polytail paper with a damaged journal', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await startFastSandbox();
  });
  afterAll(async () => {
    await sb.stop();
  });

  it('stops at start with the file and line, exit code 1, no stack trace', async () => {
    const path = journalWith([run('r1'), '{oops', key('a#1', 10)]);
    const dataDir = join(path, '../..');
    const cli = spawnCli(['paper', '--sandbox', sb.urls.clob, '--target', SELLER, '--json', '--data-dir', dataDir]);
    expect(await cli.exited).toBe(1);
    expect(cli.output()).toContain(`${path} line 2 is not a journal record`);
    expect(cli.output()).not.toMatch(/\n\s+at /);
  }, 120_000);
});
