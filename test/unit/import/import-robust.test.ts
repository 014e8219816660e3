/**
 * Import is idempotent, never stores impossible values, settles resolutions whatever the order of
 * commands, explains every file it cannot use, and reads trade rows however their columns are named.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/config.ts';
import { parseColumnMap } from '../../../src/import/field-map.ts';
import { ImportError } from '../../../src/import/import-error.ts';
import { importFiles } from '../../../src/import/import-files.ts';
import { runReplay } from '../../../src/modes/replay.ts';
import { RecordingStore } from '../../../src/store/recording-store.ts';
import { useTempDir } from '../store/helpers.ts';

const FIX = join(import.meta.dirname, '../../fixtures/import');
const A = join(FIX, 'wallet-a.json');
const WALLET = '0x6a72f61820b26b1fe4d956e17b6dc2a1ea3033ee';
const tempDir = useTempDir();

async function totals(path: string): Promise<Record<string, number>> {
  const s = await RecordingStore.open(path, { readOnly: true });
  try {
    return await s.counts();
  } finally {
    await s.close();
  }
}

async function rows(path: string, sql: string) {
  const s = await RecordingStore.open(path, { readOnly: true });
  try {
    return await s.query(sql);
  } finally {
    await s.close();
  }
}

function write(dir: string, name: string, text: string | Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe('importing the same data again changes nothing', () => {
  const files = () => [A, join(FIX, 'frames.jsonl'), join(FIX, 'bare-resolutions.json')];

  it('in a second command: no table grows, resolutions, activity_other and book rows included', async () => {
    const out = join(tempDir(), 'rec.duckdb');
    await importFiles(files(), out);
    const first = await totals(out);
    expect(first).toMatchObject({ target_trades: 3, activity_other: 1, book_snapshots: 1, book_changes: 1, resolutions: 1 });
    const again = await importFiles(files(), out);
    expect(again.added).toEqual({});
    expect(await totals(out)).toEqual(first);
  });

  it('into a recording whose keys were written before keys named the wallet (tx:token:side:size:price#n)', async () => {
    const out = join(tempDir(), 'rec.duckdb');
    await importFiles([A], out);
    const instance = await DuckDBInstance.create(out);
    const c = await instance.connect();
    await c.run(`UPDATE target_trades SET dedup_key = replace(dedup_key, ':' || wallet || ':', ':')`);
    c.closeSync();
    instance.closeSync();
    const old = await rows(out, 'SELECT dedup_key FROM target_trades');
    expect(old.every((r) => !String(r.dedup_key).includes(WALLET))).toBe(true);
    expect((await importFiles([A], out)).added).toEqual({});
  });

  it('in one command that names every file twice', async () => {
    const out = join(tempDir(), 'rec.duckdb');
    await importFiles([...files(), ...files()], out);
    expect(await totals(out)).toMatchObject({
      target_trades: 3,
      activity_other: 1,
      book_snapshots: 1,
      book_changes: 1,
      resolutions: 1,
      markets: 1,
    });
  });
});

describe('impossible values: a message naming file, line and field, and nothing written', () => {
  it.each([
    ['price 1.5', '"price":0.6', '"price":1.5', /field "price": expected a price between 0 and 1/],
    ['price 0', '"price":0.6', '"price":0', /field "price": expected a price between 0 and 1/],
    ['size 0', '"size":10,"usdcSize":6', '"size":0,"usdcSize":6', /field "size": expected a size above 0/],
    ['a negative size', '"size":10,"usdcSize":6', '"size":-5,"usdcSize":6', /field "size": expected a size above 0/],
    ['size 1e13', '"size":10,"usdcSize":6', '"size":1e13,"usdcSize":6', /field "size": expected a size of at most 1,000,000,000/],
  ])('%s', async (_, from, to, message) => {
    const dir = tempDir();
    const bad = write(dir, 'bad.json', readFileSync(A, 'utf8').replace(from, to));
    const out = join(dir, 'rec.duckdb');
    const err = await importFiles([bad], out).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportError);
    expect((err as Error).message).toMatch(new RegExp(`^${bad}:3: activity TRADE row: `));
    expect((err as Error).message).toMatch(message);
    expect(readdir(dir)).toEqual(['bad.json']);
  });
});

describe('resolutions imported in a command of their own still settle', () => {
  it('a date-only resolution after the trades: placed after the market’s last event, the replay settles', async () => {
    const out = join(tempDir(), 'rec.duckdb');
    await importFiles([A], out);
    await importFiles([join(FIX, 'bare-resolutions.json')], out);
    const [r] = await rows(out, `SELECT ts_recv, payouts FROM resolutions`);
    const [last] = await rows(out, `SELECT MAX(ts_recv) t FROM target_trades`);
    expect(Number(r!.ts_recv)).toBe(Number(last!.t) + 1);
    const { summary } = await runReplay({ recording: out, config: parseConfig({}), targets: [WALLET], save: false });
    expect(summary.positions.every((p) => p.settled)).toBe(true);
  });

  it('a resolution imported before the trades is moved after them when they arrive', async () => {
    const dir = tempDir();
    const out = join(dir, 'rec.duckdb');
    const res = write(
      dir,
      'res.json',
      JSON.stringify({
        resolvedAt: '2026-04-25',
        markets: [{ conditionId: '0x0044', winningOutcome: 'Ducks', tokensSeenInTape: [{ tokenId: '315', outcome: 'Ducks', payout: 1 }] }],
      }),
    );
    await importFiles([res], out);
    await importFiles([A], out);
    const [r] = await rows(out, `SELECT ts_recv FROM resolutions`);
    const [last] = await rows(out, `SELECT MAX(ts_recv) t FROM target_trades`);
    expect(Number(r!.ts_recv)).toBeGreaterThan(Number(last!.t));
    const { summary } = await runReplay({ recording: out, config: parseConfig({}), targets: [WALLET], save: false });
    expect(summary.positions.length).toBeGreaterThan(0);
    expect(summary.positions.every((p) => p.settled)).toBe(true);
  });
});

describe('files and targets that cannot be used: one message naming the file', () => {
  it.each([
    ['not gzip at all', Buffer.from('plain text'), /bad\.json\.gz: named \.gz but it is not gzip data/],
    ['a truncated archive', gzipSync(readFileSync(A)).subarray(0, 40), /bad\.json\.gz: cannot decompress: the archive is truncated/],
    [
      'a corrupt archive',
      Buffer.concat([gzipSync(readFileSync(A)).subarray(0, 12), Buffer.alloc(200, 7)]),
      /bad\.json\.gz: cannot decompress: the archive is damaged/,
    ],
  ])('.gz that is %s', async (_, bytes, message) => {
    const dir = tempDir();
    const err = await importFiles([write(dir, 'bad.json.gz', bytes)], join(dir, 'rec.duckdb')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportError);
    expect((err as Error).message).toMatch(message);
  });

  it('--out in a missing folder, a folder, a file that is not DuckDB, a DuckDB that is not a recording', async () => {
    const dir = tempDir();
    await expect(importFiles([A], join(dir, 'nowhere/rec.duckdb'))).rejects.toThrow(/--out: folder .*nowhere does not exist/);
    mkdirSync(join(dir, 'folder'));
    await expect(importFiles([A], join(dir, 'folder'))).rejects.toThrow(/--out: .*folder is a folder; give a file name/);
    const text = write(dir, 'notes.duckdb', 'just notes');
    await expect(importFiles([A], text)).rejects.toThrow(/notes\.duckdb exists but is not a DuckDB file/);
    const other = await foreignDb(dir);
    const before = readFileSync(other);
    await expect(importFiles([A], other)).rejects.toThrow(ImportError);
    await expect(importFiles([A], other)).rejects.toThrow(/not a polytail recording \(its tables: mine\)/);
    expect(readFileSync(other).equals(before)).toBe(true);
    expect(readdir(dir).sort()).toEqual(['folder', 'notes.duckdb', 'other.duckdb']);
  });

  it('replay --save on a DuckDB that is not a recording refuses before writing anything', async () => {
    const dir = tempDir();
    const other = await foreignDb(dir);
    const before = readFileSync(other);
    await expect(runReplay({ recording: other, config: parseConfig({}), targets: [WALLET], save: true })).rejects.toThrow(
      /not a polytail recording \(its tables: mine\); nothing was written/,
    );
    expect(readFileSync(other).equals(before)).toBe(true);
  });
});

describe('trade rows however their columns are named', () => {
  it('synonyms, ISO times without a zone (UTC), unix ms, and rows without a tx hash (kept apart by occurrence)', async () => {
    const dir = tempDir();
    const csv = write(
      dir,
      'mine.csv',
      [
        'wallet,token,side,qty,px,time',
        `${WALLET},315,BUY,10,0.5,2026-04-25T05:19:34`,
        `${WALLET},315,BUY,10,0.5,2026-04-25T05:19:34`,
        `${WALLET},315,SELL,4,0.7,1777094500123`,
      ].join('\n'),
    );
    const out = join(dir, 'rec.duckdb');
    const s = await importFiles([csv], out);
    expect(s.added.target_trades).toBe(3);
    const stored = await rows(out, `SELECT ts_recv, dedup_key, condition_id FROM target_trades ORDER BY seq`);
    expect(stored.map((r) => Number(r.ts_recv))).toEqual([
      Date.parse('2026-04-25T05:19:34Z'),
      Date.parse('2026-04-25T05:19:34Z'),
      1777094500123,
    ]);
    expect(stored.map((r) => String(r.dedup_key).split('#')[1])).toEqual(['1', '2', '1']);
    expect((await importFiles([csv], out)).added).toEqual({});
  });

  it('a Data API v2 page ({data, pagination}, snake_case) imports as v1 does', async () => {
    const dir = tempDir();
    const v1 = JSON.parse(readFileSync(A, 'utf8')) as Record<string, unknown>[];
    const snake = (o: Record<string, unknown>) =>
      Object.fromEntries(Object.entries(o).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), v]));
    const v2 = write(dir, 'v2.json', JSON.stringify({ data: v1.map(snake), pagination: { next_cursor: null } }));
    const a = join(dir, 'a.duckdb');
    const b = join(dir, 'b.duckdb');
    await importFiles([A], a);
    await importFiles([v2], b);
    const keys = (p: string) => rows(p, `SELECT wallet, dedup_key, ts_recv, price_micros, size_micros FROM target_trades ORDER BY seq`);
    expect(await keys(b)).toEqual(await keys(a));
    expect((await totals(b)).activity_other).toBe(1);
  });

  it('--map their_column=field for names nobody could guess', async () => {
    const dir = tempDir();
    const csv = write(dir, 'odd.csv', ['acct,instrument,direction,units,fill_px,epoch', `${WALLET},315,buy,10,0.5,1777091974`].join('\n'));
    const out = join(dir, 'rec.duckdb');
    await expect(importFiles([csv], out)).rejects.toThrow(/missing fields: wallet .*token .*side .*size .*price .*time/);
    const map = parseColumnMap(['acct=wallet', 'instrument=token', 'direction=side', 'units=size', 'fill_px=price', 'epoch=time']);
    expect((await importFiles([csv], out, { map })).added.target_trades).toBe(1);
    expect(() => parseColumnMap(['units=volume'])).toThrow(/field one of wallet, token, side/);
  });

  it('a file that cannot be imported lists the missing fields, not only the columns seen', async () => {
    const dir = tempDir();
    const csv = write(dir, 'few.csv', `proxyWallet,asset,side\n${WALLET},315,BUY\n`);
    await expect(importFiles([csv], join(dir, 'rec.duckdb'))).rejects.toThrow(
      /few\.csv:1: cannot import these CSV columns \(proxyWallet,asset,side\): missing fields: size \(size, shares.*price \(price, px\), time \(timestamp/,
    );
  });
});

function readdir(dir: string): string[] {
  return readdirSync(dir).sort();
}

/** A DuckDB file of someone else's, with one table `mine`. */
async function foreignDb(dir: string): Promise<string> {
  const path = join(dir, 'other.duckdb');
  const instance = await DuckDBInstance.create(path);
  const c = await instance.connect();
  await c.run('CREATE TABLE mine (x INTEGER)');
  await c.run('INSERT INTO mine VALUES (42)');
  c.closeSync();
  instance.closeSync();
  return path;
}
