/**
 * Scouting's one pass (every wallet × window × delay over one walk of the events) gives what one
 * replay per run gives: the same score for every wallet, window and delay — PnL, costs, counts, and
 * each run's fills hash — on the bundled Nobel recording (print books) with four wallets.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/config.ts';
import { withPrintBooks, DEFAULT_PRINT_BOOK } from '../../../src/modes/scout/print-books.ts';
import { busiestWallets, loadRecording, walletWindows } from '../../../src/modes/scout/scout.ts';
import { scoreWallets, scoreWalletsOneByOne } from '../../../src/modes/scout/score-wallets.ts';

const NOBEL = join(import.meta.dirname, '../../../recordings/nobel-peace-prize-2025.duckdb');

describe('scoreWallets in one pass', () => {
  it('scores every run exactly as a replay of that run alone', async () => {
    const loaded = await loadRecording(NOBEL);
    const events = withPrintBooks(loaded.events, DEFAULT_PRINT_BOOK);
    const wallets = busiestWallets(loaded.events, 4);
    const span = { from: loaded.fromMs, to: loaded.toMs + 1 };
    const options = {
      config: parseConfig({ startingCashUsdc: 1000 }),
      windowsOf: (w: string) => walletWindows(loaded.events, w, span, 0.7),
    };
    const delays = [0, 2_000, 30_000];
    const progress: number[] = [];
    const onePass = await scoreWallets({ events }, wallets, delays, { ...options, onRunDone: (done) => progress.push(done) });
    const alone = await scoreWalletsOneByOne({ events }, wallets, delays, options);
    expect(onePass).toEqual(alone);
    // Not vacuous: followers filled, and the delays changed what they made.
    const runs = onePass.flatMap((s) => [...s.train.runs, ...s.test.runs]);
    expect(runs).toHaveLength(wallets.length * 2 * delays.length);
    expect(runs.filter((r) => r.fills > 0).length).toBeGreaterThan(runs.length / 2);
    expect(new Set(runs.map((r) => r.fillsHash)).size).toBeGreaterThan(wallets.length * 2);
    // Progress moves forward and ends at the total.
    expect(progress.at(-1)).toBe(runs.length);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
  }, 300_000);
});
