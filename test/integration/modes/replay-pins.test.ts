/**
 * Pinned replay outputs: the bundled recordings' fills hashes (the commands in the README and
 * docs/replay.md), and a generated recording with books replayed with book-walk + latency,
 * top-of-book, resting GTC orders and every risk limit. A change that moves one of these changed
 * which orders were sent or how they filled; one that moves the stored decision rows changed what a
 * user reads about why. Either must be on purpose.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/config.ts';
import { runReplay, type ReplayOptions } from '../../../src/modes/replay.ts';
import { RecordingStore } from '../../../src/store/index.ts';
import { BOOK_WALLETS, writeBookRecording } from '../../helpers/book-recording.ts';

const ROOT = join(import.meta.dirname, '../../..');
const NOBEL = join(ROOT, 'recordings/nobel-peace-prize-2025.duckdb');
const BTC = join(ROOT, 'recordings/btc-15m-2025-12-03.duckdb');
const RED = '0x05c1882212a41aa8d7df5b70eebe03d9319345b7';
const DJANGO = '0x0fd419c486d1f53c92cd09c3c52eca61d6367750';

const RISK_ALL = {
  minOrderUsdc: 1,
  maxOrderUsdc: 20,
  maxTotalExposureUsdc: 300,
  maxPositionPerMarketUsdc: 120,
  maxMarkets: 3,
  maxSlippageBps: 300,
  maxDailyTrades: 400,
  maxDailyLossUsdc: 200,
  maxDrawdownPct: 40,
  balanceReserve: 1.1,
};

let dir: string;
let copies = 0;
let books: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'polytail-pins-'));
  books = join(dir, 'books.duckdb');
  await writeBookRecording(books);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function fillsHash(recording: string, config: Record<string, unknown>, overrides: Partial<ReplayOptions>) {
  const { summary } = await runReplay({ recording, config: parseConfig(config), ...overrides, save: false });
  return summary.fillsHash;
}

/** sha256 of the run's stored decision rows (every column but the run id), in order. */
async function storedDecisions(recording: string, config: Record<string, unknown>, targets: string[], multiplier?: number) {
  const copy = join(dir, `copy-${++copies}.duckdb`);
  copyFileSync(recording, copy);
  await runReplay({ recording: copy, config: parseConfig(config), targets, multiplier, save: true, runId: 'pinned' });
  const store = await RecordingStore.open(copy, { readOnly: true });
  try {
    const rows = await store.query(`SELECT * EXCLUDE (run_id) FROM decisions WHERE run_id = 'pinned' ORDER BY seq`);
    return {
      count: rows.length,
      hash: createHash('sha256')
        .update(rows.map((r) => JSON.stringify(r)).join('\n'))
        .digest('hex'),
    };
  } finally {
    await store.close();
  }
}

describe('pinned replay results', () => {
  it('bundled recordings: the README and docs commands', async () => {
    const nobelTargets = ['0xe8dd7741ccb12350957ec71e9ee332e0d1e6ec86', '0xd218e474776403a330142299f7796e8ba32eb5c9'];
    expect(await fillsHash(NOBEL, { startingCashUsdc: 10_000 }, { targets: nobelTargets, multiplier: 0.5 })).toBe(
      '27308b12874bfaae2a092fd73fb0ca37256c5a25dcfa77379bd19cf535049f2b',
    );
    expect(await fillsHash(BTC, {}, { targets: [RED], multiplier: 0.5 })).toBe(
      'caecc2efc73c15df47b2368696b2f8c6cbc2cbf34c0c09706416cd52fb5ec4b5',
    );
    expect(await fillsHash(BTC, {}, { targets: [DJANGO], multiplier: 1 })).toBe(
      '0992d9e9b97a69f29135b22d94ebfe61ff56f3409eb8a8b03635a5c4e6b81ecb',
    );
    expect(await fillsHash(BTC, {}, { targets: [RED, DJANGO], strategy: 'fade' })).toBe(
      '3afc8b1c80b8269333146e80fa051bdb93807dd0077e6653713f401618a2ed6c',
    );
    expect(await fillsHash(BTC, { risk: RISK_ALL }, { targets: [RED, DJANGO] })).toBe(
      '30277153415e359cf1b557319eaa8e53c6652e43fbe15e568decb37a1ba0f40f',
    );
  }, 120_000);

  it('a recording with books: book-walk with latency, top-of-book fades, resting GTC copies, every risk limit', async () => {
    const [a, b] = BOOK_WALLETS;
    expect(await fillsHash(books, { fillModel: 'book-walk', latencyMs: 250 }, { targets: [a] })).toBe(
      '8a0f3eac5410079bfbc61df12e7bbae689feb03a0b1f1a06c86334a5cd0894b5',
    );
    const fades = BOOK_WALLETS.map((wallet) => ({ wallet, strategy: 'fade', params: { maxSlippageBps: 1500 } }));
    expect(await fillsHash(books, { fillModel: 'top-of-book', slippageTicks: 1, targets: fades }, { targets: [...BOOK_WALLETS] })).toBe(
      'b30488c98a117ba186a5f7cbd4eb44b944e850dec6e3a227b91e5499e70ea2ba',
    );
    const gtc = [{ wallet: b, params: { orderType: 'GTC' } }];
    expect(await fillsHash(books, { fillModel: 'book-walk', latencyMs: 100, targets: gtc }, { targets: [b] })).toBe(
      '2f10e65893332e9f0b9caf0b6a67442423382f46cfb8d33eddba056103accd43',
    );
    const risky = { fillModel: 'book-walk', startingCashUsdc: 500, risk: { ...RISK_ALL, minLiquidityUsdc: 5, maxSpread: 0.05 } };
    expect(await fillsHash(books, risky, { targets: [...BOOK_WALLETS], multiplier: 2 })).toBe(
      '34c87b2a49253de79d502159480d9b977b2f2e49001f58b5811b27d14983a9b9',
    );
  }, 120_000);

  it('stored decision rows: reason codes, messages, details and checks as a user reads them', async () => {
    const risky = { fillModel: 'book-walk', startingCashUsdc: 500, risk: { ...RISK_ALL, minLiquidityUsdc: 5, maxSpread: 0.05 } };
    expect(await storedDecisions(books, risky, [...BOOK_WALLETS], 2)).toEqual({
      count: 1023,
      hash: 'b982eda48800f299fec0adc8a052dc87b55669e337a1e25c32771c5fad23b6d0',
    });
    expect(await storedDecisions(BTC, { risk: RISK_ALL }, [RED, DJANGO])).toEqual({
      count: 3000,
      hash: 'e0982fee44fd497b3df41b4cc4498ae644df08b823811042cc6060e2349d1e2a',
    });
  }, 120_000);
});
