/** `paper --from-scout FILE`: the top N wallets of a scout JSON file, and clear errors for anything else. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readScoutFile } from '../../../src/modes/scout/scout-file.ts';

const dir = mkdtempSync(join(tmpdir(), 'polytail-scout-file-'));
const row = (rank: number, digit: string, pnl: number) => ({
  rank,
  wallet: '0x' + digit.repeat(40),
  test: {
    followerPnl: [
      { delayS: 0, pnl: pnl * 2 },
      { delayS: 2, pnl },
    ],
    captureRatio: 0.5,
    halfLife: '2s',
    trades: 10 * rank,
  },
});

function file(name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, body);
  return path;
}

describe('readScoutFile', () => {
  it('takes the top N by rank, with the held-out PnL at the rank delay', () => {
    const path = file('ok.json', JSON.stringify({ rankDelayS: 2, rows: [row(2, 'b', -1), row(1, 'A', 7), row(3, 'c', 3)] }));
    expect(readScoutFile(path, 2)).toEqual([
      { wallet: '0x' + 'a'.repeat(40), rank: 1, followerPnlUsdc: 7, captureRatio: 0.5, halfLife: '2s', trades: 10 },
      { wallet: '0x' + 'b'.repeat(40), rank: 2, followerPnlUsdc: -1, captureRatio: 0.5, halfLife: '2s', trades: 20 },
    ]);
  });

  it('says what is wrong with a missing file, non-JSON, another JSON and a bad count', () => {
    expect(() => readScoutFile(join(dir, 'none.json'), 3)).toThrow(/file not found \(write one with `polytail scout REC --json >/);
    expect(() => readScoutFile(file('text.json', 'rank,wallet'), 3)).toThrow(/not JSON/);
    expect(() => readScoutFile(file('other.json', JSON.stringify({ rows: [{ rank: 1 }] })), 3)).toThrow(
      /not the output of `polytail scout --json` \(rankDelayS: /,
    );
    expect(() => readScoutFile(file('empty.json', JSON.stringify({ rankDelayS: 2, rows: [] })), 3)).toThrow(/scored no wallets/);
    expect(() => readScoutFile(file('ok2.json', JSON.stringify({ rankDelayS: 2, rows: [row(1, 'a', 1)] })), 0)).toThrow(/--scout-top 0/);
  });
});
