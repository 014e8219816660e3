/**
 * Many replays over one read (replayMany) give, run by run, what each replay gives alone: the same
 * fills hash, P&L and decision count — on the bundled BTC recording (target-price, several wallets,
 * strategies and risk limits, whole and windowed) and on a generated recording with books (book-walk
 * with latency, top-of-book fades, resting GTC copies), where every run walks and rests on books
 * built from events the runs share. A config that cannot be built fails its own run only.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/config.ts';
import { runReplay } from '../../../src/modes/replay.ts';
import { replayMany, type PassRun } from '../../../src/modes/sweep/one-pass.ts';
import { runSweep } from '../../../src/modes/sweep/sweep.ts';
import { metricsOf } from '../../../src/modes/sweep/metrics.ts';
import type { RunSummary } from '../../../src/report/summary.ts';
import { RecordingStore } from '../../../src/store/index.ts';
import { BOOK_WALLETS, writeBookRecording } from '../../helpers/book-recording.ts';

const BTC = join(import.meta.dirname, '../../../recordings/btc-15m-2025-12-03.duckdb');
const RED = '0x05c1882212a41aa8d7df5b70eebe03d9319345b7';
const DJANGO = '0x0fd419c486d1f53c92cd09c3c52eca61d6367750';

let dir: string;
let books: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'polytail-one-pass-'));
  books = join(dir, 'books.duckdb');
  await writeBookRecording(books);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function middleOf(path: string): Promise<number> {
  const store = await RecordingStore.open(path, { readOnly: true });
  try {
    const range = (await store.timeRange())!;
    return Math.floor((range.fromMs + range.toMs) / 2);
  } finally {
    await store.close();
  }
}

/** Each run alone through runReplay, then all of them through replayMany: equal run by run. */
async function expectSameAsAlone(recording: string, runs: PassRun[]): Promise<RunSummary[]> {
  const together = await replayMany(recording, runs);
  expect(together).toHaveLength(runs.length);
  for (const [i, run] of runs.entries()) {
    const { summary } = await runReplay({
      recording,
      config: run.config,
      ...run.overrides,
      from: run.window?.from,
      to: run.window?.to,
      save: false,
    });
    const got = together[i]!;
    expect(got.error, `run ${i}`).toBeUndefined();
    expect({ run: i, hash: got.summary!.fillsHash, pnl: got.summary!.pnl.total, copies: got.summary!.copies }).toEqual({
      run: i,
      hash: summary.fillsHash,
      pnl: summary.pnl.total,
      copies: summary.copies,
    });
    // The whole report, metrics included: the capture ratios read the window's shared shadow of the targets.
    expect({ run: i, report: { ...got.summary!, run: undefined } }).toEqual({ run: i, report: { ...summary, run: undefined } });
    expect({ run: i, metrics: metricsOf(got.summary!) }).toEqual({ run: i, metrics: metricsOf(summary) });
  }
  // The runs differ, so equal results are not one run copied: at least two hashes differ.
  expect(new Set(together.map((r) => r.summary!.fillsHash)).size).toBeGreaterThan(1);
  return together.map((r) => r.summary!);
}

/** Capture ratios of every copy target (null where the target or we bought nothing). */
const capturesOf = (summaries: RunSummary[]) => summaries.flatMap((s) => s.byStrategy.map((t) => t.captureRatio));

describe('replayMany: many configurations over one read', () => {
  it('target-price runs on the bundled BTC recording, whole and windowed, equal each run alone', async () => {
    const mid = await middleOf(BTC);
    const base = parseConfig({});
    const limited = parseConfig({ risk: { maxOrderUsdc: 20, maxTotalExposureUsdc: 300, maxMarkets: 3 } });
    // One window holds runs watching RED, DJANGO and both: its shared target shadow books both wallets.
    const summaries = await expectSameAsAlone(BTC, [
      { config: base, overrides: { targets: [RED], multiplier: 0.5 } },
      { config: base, overrides: { targets: [DJANGO], multiplier: 1 } },
      { config: base, overrides: { targets: [RED, DJANGO], strategy: 'fade' } },
      { config: limited, overrides: { targets: [RED, DJANGO] } },
      { config: limited, overrides: { targets: [RED, DJANGO] }, window: { to: mid } },
      { config: base, overrides: { targets: [RED], multiplier: 2 }, window: { from: mid } },
    ]);
    // The capture ratios compared above are numbers, not only nulls (they come from the shadow ledgers).
    expect(capturesOf(summaries).filter((c) => c !== null).length).toBeGreaterThan(2);
  }, 180_000);

  it('book-walk, top-of-book and resting GTC runs on a recording with books equal each run alone', async () => {
    const [a, b] = BOOK_WALLETS;
    const mid = await middleOf(books);
    const fades = BOOK_WALLETS.map((wallet) => ({ wallet, strategy: 'fade', params: { maxSlippageBps: 1500 } }));
    await expectSameAsAlone(books, [
      { config: parseConfig({ fillModel: 'book-walk', latencyMs: 250 }), overrides: { targets: [a] } },
      {
        config: parseConfig({ fillModel: 'top-of-book', slippageTicks: 1, targets: fades }),
        overrides: { targets: [...BOOK_WALLETS] },
      },
      {
        config: parseConfig({ fillModel: 'book-walk', latencyMs: 100, targets: [{ wallet: b, params: { orderType: 'GTC' } }] }),
        overrides: { targets: [b] },
      },
      { config: parseConfig({ fillModel: 'book-walk' }), overrides: { targets: [...BOOK_WALLETS], multiplier: 2 }, window: { from: mid } },
    ]);
  }, 180_000);

  it('a configuration that cannot be built fails alone; the others still run', async () => {
    const results = await replayMany(BTC, [
      { config: parseConfig({}), overrides: { targets: [RED], strategy: 'no-such-strategy' } },
      { config: parseConfig({}), overrides: { targets: [RED] } },
    ]);
    expect(results[0]!.error).toMatch(/no-such-strategy/);
    expect(results[1]!.error).toBeUndefined();
    expect(results[1]!.summary!.copies.filled).toBeGreaterThan(0);
  }, 120_000);

  it('a sweep with two workers ranks the same results as one worker, each equal to its windows replayed alone', async () => {
    const sweep = (workers: number) =>
      runSweep({
        recording: BTC,
        config: parseConfig({}),
        overrides: { targets: [RED, DJANGO] },
        axes: [
          { key: 'multiplier', values: [0.5, 1, 2] },
          { key: 'risk.maxOrderUsdc', values: [10, 50] },
        ],
        train: 0.6,
        workers,
        objective: 'pnl',
        save: false,
      });
    const [one, two] = [await sweep(1), await sweep(2)];
    expect(one.errors).toEqual([]);
    expect(one.rows).toHaveLength(6);
    const view = (rows: typeof one.rows) =>
      rows.map((r) => ({ rank: r.rank, combo: r.combo, train: r.train.fillsHash, test: r.test.fillsHash }));
    expect(view(two.rows)).toEqual(view(one.rows));
    for (const row of one.rows.slice(0, 2)) {
      for (const [window, metrics] of [
        [one.windows.train, row.train],
        [one.windows.test, row.test],
      ] as const) {
        const { summary } = await runReplay({
          recording: BTC,
          config: parseConfig({ risk: { maxOrderUsdc: row.combo['risk.maxOrderUsdc'] } }),
          targets: [RED, DJANGO],
          multiplier: Number(row.combo.multiplier),
          from: window.from,
          to: window.to,
          save: false,
        });
        expect(metrics.fillsHash).toBe(summary.fillsHash);
      }
    }
  }, 240_000);
});
