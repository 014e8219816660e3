/**
 * The replay workflow as a user runs it: the real `bin/polytail` in a child process on the bundled
 * recordings and on a file a user brings (import → replay → report → sweep).
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ACTIVITY_0X0FD4 } from '../../helpers/fixtures.ts';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '../../../bin/polytail');
const BTC = join(import.meta.dirname, '../../../recordings/btc-15m-2025-12-03.duckdb');
const WALLET = '0x05c1882212a41aa8d7df5b70eebe03d9319345b7';

async function polytail(...args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, [BIN, ...args], { maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } });
}

describe('polytail replay / report / sweep / import', () => {
  it('prints one JSON object with the promised shape, and the same fills hash twice', async () => {
    const a = await polytail('replay', BTC, '--target', WALLET, '--multiplier', '0.5', '--json');
    const b = await polytail('replay', BTC, '--target', WALLET, '--multiplier', '0.5', '--json');
    expect(a.stdout.trim().split('\n')).toHaveLength(1);
    const s = JSON.parse(a.stdout);
    expect(Object.keys(s)).toEqual(
      expect.arrayContaining([
        'run',
        'events',
        'targetTrades',
        'copies',
        'pnl',
        'equity',
        'trades',
        'sharpe',
        'sortino',
        'captureRatio',
        'slippageBps',
        'positions',
        'fillsHash',
      ]),
    );
    expect(Object.keys(s.run)).toEqual(expect.arrayContaining(['id', 'fillModel', 'seed', 'config']));
    expect(Object.keys(s.copies)).toEqual(expect.arrayContaining(['submitted', 'filled', 'partial', 'rejected', 'skipped']));
    expect(Object.keys(s.pnl)).toEqual(expect.arrayContaining(['realized', 'unrealized', 'fees', 'total']));
    expect(Object.keys(s.equity)).toEqual(expect.arrayContaining(['start', 'end', 'maxDrawdownPct']));
    expect(Object.keys(s.positions[0])).toEqual(
      expect.arrayContaining(['tokenId', 'conditionId', 'outcome', 'size', 'avgPrice', 'realizedPnl', 'settled']),
    );
    // The bundled recording, config and seed fix every number; the fills hash is the one the bundled
    // recording has always given (a change here changes what users' replays produce).
    expect(s.targetTrades).toBe(1500);
    expect(s.copies).toMatchObject({ submitted: 741, filled: 736, partial: 0, rejected: 5, rejectedReasons: { no_match: 5 } });
    expect(s.copies.skipped).toEqual({ balance_reserve: 338, no_position_to_sell: 255, below_min_notional: 164, below_min_size: 2 });
    expect(s.pnl).toMatchObject({ realized: 396.774056, unrealized: 346.464467, fees: 0, total: 743.238523 });
    expect(s.equity).toMatchObject({ start: 1000, end: 1743.238523, maxDrawdownPct: 18.0993 });
    expect(s.trades).toEqual({ count: 355, winRate: 0.462, profitFactor: 1.728 });
    expect([s.sharpe, s.sortino]).toEqual([68.399, 187.339]);
    expect(s.fillsHash).toBe('caecc2efc73c15df47b2368696b2f8c6cbc2cbf34c0c09706416cd52fb5ec4b5');
    expect(JSON.parse(b.stdout).fillsHash).toBe(s.fillsHash);
    // Money as decimal numbers: total = realized + unrealized − fees.
    expect(s.pnl.total).toBeCloseTo(s.pnl.realized + s.pnl.unrealized - s.pnl.fees, 5);
  });

  it('asks which wallet when a recording holds several, listing the busiest', async () => {
    const failure = await polytail('replay', BTC, '--no-tui').catch((e: { code: number; stderr: string }) => e);
    expect((failure as { code: number }).code).toBe(2);
    expect((failure as { stderr: string }).stderr).toMatch(/--target ADDR/);
    expect((failure as { stderr: string }).stderr).toContain(WALLET);
  });

  it('imports a file a user brings, replays it, stores the run and reprints it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'polytail-cli-'));
    const rec = join(dir, 'mine.duckdb');
    const imported = await polytail('import', ACTIVITY_0X0FD4, '--out', rec);
    expect(imported.stdout).toMatch(/1,?500/);
    const replay = await polytail('replay', rec, '--no-tui', '--multiplier', '2');
    expect(replay.stdout).toMatch(/polytail replay report/);
    expect(replay.stdout).toMatch(/Skipped, by reason:/);
    expect(replay.stdout).toMatch(/Equity:/);
    const id = /run (run-[\w-]+)/.exec(replay.stdout)![1];
    const report = await polytail('report', rec);
    expect(report.stdout).toContain(id);
    expect(report.stderr).not.toMatch(/warning/);
    const hashLine = (t: string) => /fills hash (\w+)/.exec(t)![1];
    expect(hashLine(report.stdout)).toBe(hashLine(replay.stdout));
  });

  it('sweeps a grid with workers and ranks it with held-out results', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'polytail-sweep-'));
    const rec = join(dir, 'btc.duckdb');
    copyFileSync(BTC, rec);
    const { stdout, stderr } = await polytail(
      'sweep',
      rec,
      '--target',
      WALLET,
      '--grid',
      'multiplier=0.25,1',
      '--grid',
      'risk.maxOrderUsdc=20,100',
      '--workers',
      '2',
      '--json',
    );
    const rows = JSON.parse(stdout) as { rank: number; combo: Record<string, number>; train: { pnl: number }; test: { pnl: number } }[];
    expect(rows).toHaveLength(4);
    expect(rows.map((r) => r.rank)).toEqual([1, 2, 3, 4]);
    for (let i = 1; i < rows.length; i++) expect(rows[i - 1]!.train.pnl).toBeGreaterThanOrEqual(rows[i]!.train.pnl);
    expect(stderr).toMatch(/4\/4/);

    // Stored in the copy: `report` lists it and reprints it as the sweep printed it.
    const listed = await polytail('report', rec, '--list');
    const id = /^(sweep-\S+)\s.*4 combinations/m.exec(listed.stdout)?.[1];
    expect(id).toBeDefined();
    const again = await polytail('report', rec, '--sweep', id!, '--json');
    expect(JSON.parse(again.stdout)).toEqual(rows);
    const table = await polytail('report', rec, '--sweep');
    expect(table.stdout).toContain(`sweep ${id} — 4 combinations, stored `);
    expect(table.stdout).toMatch(/the targets' trades: \d+ in training, \d+ held out/);
  });
});
