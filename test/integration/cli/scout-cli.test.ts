/** `polytail scout` as a user runs it: the real bin on the bundled recordings; table, JSON, CSV, bad input. */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '../../../bin/polytail');
const BTC = join(import.meta.dirname, '../../../recordings/btc-15m-2025-12-03.duckdb');
const NOBEL = join(import.meta.dirname, '../../../recordings/nobel-peace-prize-2025.duckdb');
const RED = '0x05c1882212a41aa8d7df5b70eebe03d9319345b7';

async function polytail(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  return run(process.execPath, [BIN, ...args], { maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } }).then(
    (r) => ({ ...r, code: 0 }),
    (e: { stdout: string; stderr: string; code: number }) => e,
  );
}

describe('polytail scout', () => {
  it('prints the ranked table with every column and a delay chart', async () => {
    const { stdout, code } = await polytail('scout', NOBEL, '--top', '4', '--delays', '0,5,30');
    expect(code).toBe(0);
    for (const column of [
      'target PnL',
      '@0s',
      '@5s',
      '@30s',
      'capture',
      'cost bps',
      'max DD',
      'trades/day',
      '<min',
      'top mkt',
      'half-life',
      'trades',
      'fills',
    ])
      expect(stdout).toContain(column);
    const rows = stdout.split('\n').filter((l) => /^\s*\d+\s+0x[0-9a-f]{40}/.test(l));
    expect(rows).toHaveLength(4);
    expect(stdout).toContain('follower PnL (held out) against detection delay');
  }, 120_000);

  it('--json: one object; --csv: a header and a line per wallet; wallets from a file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'polytail-scout-'));
    const file = join(dir, 'wallets.txt');
    writeFileSync(file, `# the two wallets of the recording\n${RED}\n0x0fd419c486d1f53c92cd09c3c52eca61d6367750\n`);
    const json = await polytail('scout', BTC, '--wallet', RED, '--delays', '0,2', '--json');
    expect(json.code).toBe(0);
    expect(json.stdout.trim().split('\n')).toHaveLength(1);
    const result = JSON.parse(json.stdout);
    expect(result).toMatchObject({ candidates: 'given', delaysS: [0, 2], rankDelayS: 2, fillModel: 'print-book' });
    expect(result.rows).toHaveLength(1);
    expect(result.rows[0].wallet).toBe(RED);
    expect(result.rows[0].train.trades + result.rows[0].test.trades).toBe(1500);
    const csv = await polytail('scout', BTC, '--wallets-file', file, '--delays', '0,2', '--csv');
    expect(csv.code).toBe(0);
    const lines = csv.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^rank,wallet,train_score,test_target_pnl,test_follower_pnl_0s,test_follower_pnl_2s,/);
    expect(lines).toHaveLength(3);
  }, 120_000);

  it('refuses bad input with what to fix (exit 2)', async () => {
    const delays = await polytail('scout', BTC, '--delays', '0,soon');
    expect(delays.code).toBe(2);
    expect(delays.stderr).toMatch(/--delays 0,soon: "soon" is not a delay in seconds/);
    const wallet = await polytail('scout', BTC, '--wallet', '0x123');
    expect(wallet.code).toBe(2);
    expect(wallet.stderr).toMatch(/wallet "0x123": expected a 0x address with 40 hex digits/);
    const rank = await polytail('scout', BTC, '--delays', '0,10', '--rank-delay', '5');
    expect(rank.code).toBe(2);
    expect(rank.stderr).toMatch(/--rank-delay 5: it must be one of --delays \(0,10\)/);
    const absent = await polytail('scout', BTC, '--wallet', '0x' + '9'.repeat(40));
    expect(absent.code).toBe(2);
    expect(absent.stderr).toContain(`holds no trades of 0x${'9'.repeat(40)}`);
  }, 120_000);
});
