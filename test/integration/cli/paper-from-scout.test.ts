/**
 * `polytail paper --from-scout FILE` as a real process against the sandbox: it follows the scout file's
 * top N wallets (and only those), says so, and copies their trades.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../../src/sandbox/index.ts';
import { SELLER, WHALE, startFastSandbox, tempDataDir } from '../modes/helpers.ts';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '../../../bin/polytail');

let sb: Sandbox;
beforeAll(async () => {
  sb = await startFastSandbox();
});
afterAll(async () => {
  await sb?.stop();
});

const scored = (rank: number, wallet: string) => ({
  rank,
  wallet,
  test: { followerPnl: [{ delayS: 2, pnl: 10 / rank }], captureRatio: 0.8, halfLife: '5s', trades: 12 },
});

describe('polytail paper --from-scout', () => {
  it("follows the scout's top N and nobody else", async () => {
    const dataDir = tempDataDir();
    const file = join(dataDir, 'scout.json');
    writeFileSync(file, JSON.stringify({ rankDelayS: 2, rows: [scored(2, SELLER), scored(1, WHALE)] }));
    const { stdout } = await run(
      process.execPath,
      [
        BIN,
        'paper',
        '--sandbox',
        sb.urls.clob,
        '--from-scout',
        file,
        '--scout-top',
        '1',
        '--json',
        '--data-dir',
        dataDir,
        '--poll-ms',
        '500',
        '--run-seconds',
        '12',
      ],
      { maxBuffer: 64 * 1024 * 1024, timeout: 120_000 },
    );
    const lines = stdout
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { type: string; message?: string; wallet?: string });
    expect(lines.some((l) => l.type === 'log' && l.message?.includes(`following the scout's top 1: #1 ${WHALE}`))).toBe(true);
    const decided = new Set(lines.filter((l) => l.type === 'decision').map((l) => l.wallet));
    expect(decided).toEqual(new Set([WHALE]));
  }, 150_000);
});
