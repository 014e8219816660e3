/**
 * A large synthetic recording in the real schema, built inside DuckDB (INSERT … SELECT FROM range())
 * so a million trades take seconds, not minutes. Cached under os.tmpdir()/polytail-bench and reused
 * while the recording format, the table layout and this generator are unchanged (the cache key
 * hashes all three).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FORMAT_VERSION, RecordingStore, TABLES } from '../../src/store/index.ts';

/** Bump when the generated data change shape. Keys are numbered from 1, as imports and the poller number them. */
const GENERATOR_VERSION = 3;

export const BENCH_DIR = join(tmpdir(), 'polytail-bench');
export const SYNTHETIC_T0 = 1_760_000_000_000;
/** Trades are spaced this far apart in event time. */
export const SYNTHETIC_STEP_MS = 50;

export interface SyntheticSpec {
  trades: number;
  wallets: number;
  markets: number;
}

export interface SyntheticRecording extends SyntheticSpec {
  path: string;
  /** Every wallet in the recording; wallets[0] trades 1/wallets of the tape. */
  walletList: string[];
  events: number;
  generatedNow: boolean;
}

export const walletAt = (i: number): string => '0x' + (0xb0 + i).toString(16).repeat(20);

export async function syntheticRecording(
  spec: SyntheticSpec = { trades: 1_000_000, wallets: 4, markets: 300 },
): Promise<SyntheticRecording> {
  const key = createHash('sha256').update(JSON.stringify({ FORMAT_VERSION, TABLES, GENERATOR_VERSION, spec })).digest('hex').slice(0, 12);
  mkdirSync(BENCH_DIR, { recursive: true });
  const path = join(BENCH_DIR, `synthetic-${spec.trades}-v${FORMAT_VERSION}-${key}.duckdb`);
  const walletList = Array.from({ length: spec.wallets }, (_, i) => walletAt(i));
  const result = { ...spec, path, walletList, events: spec.trades + spec.markets, generatedNow: false };
  if (existsSync(path)) return result;
  // Build under another name and rename, so an interrupted run never leaves a half-filled cache.
  const building = `${path}.building-${process.pid}`;
  rmSync(building, { force: true });
  rmSync(`${building}.wal`, { force: true });
  const store = await RecordingStore.open(building);
  try {
    await fillSynthetic(store, spec, walletList);
  } finally {
    await store.close();
  }
  renameSync(building, path);
  return { ...result, generatedNow: true };
}

async function fillSynthetic(store: RecordingStore, spec: SyntheticSpec, wallets: string[]): Promise<void> {
  await insertMarkets(store, spec.markets);
  // Wallet, market, outcome, side, size and price from a hash of the row number (stable across runs).
  await insertTrades(store, spec, wallets, { stepMs: SYNTHETIC_STEP_MS, price: '(5 + (h >> 24) % 91) * 10000' });
  await store.setMeta('bench_generator', JSON.stringify({ GENERATOR_VERSION, spec }));
}

/** Markets: two tokens each, with metadata, all known before the first trade. */
async function insertMarkets(store: RecordingStore, markets: number): Promise<void> {
  const t0 = SYNTHETIC_T0;
  await store.connection.run(`
    INSERT INTO markets
    SELECT m + 1, ${t0}, ${t0},
      printf('0x%064x', 1000000 + m), 'bench-market-' || m, 'Will bench outcome ' || m || ' happen?',
      '[{"tokenId":"' || (71000000000000 + 2 * m) || '","outcome":"Yes"},{"tokenId":"' || (71000000000000 + 2 * m + 1) || '","outcome":"No"}]',
      false, 10000, 5000000, ${t0 + 30 * 86_400_000}, NULL, NULL, false, false, 'bench', NULL
    FROM range(${markets}) r(m)`);
}

/** Target trades `stepMs` apart; `price` is SQL over the row's hash `h` and `side` ('BUY'/'SELL'). */
async function insertTrades(
  store: RecordingStore,
  spec: SyntheticSpec,
  wallets: string[],
  shape: { stepMs: number; price: string },
): Promise<void> {
  const t0 = SYNTHETIC_T0;
  const walletCase = `CASE h % ${spec.wallets} ${wallets.map((w, i) => `WHEN ${i} THEN '${w}'`).join(' ')} END`;
  await store.connection.run(`
    INSERT INTO target_trades
    SELECT i + 1, ts - 300, ts, 'import:bench', i + 1,
      tx || ':' || wallet || ':' || token || ':' || side || ':' || size || ':' || price || '#1',
      wallet, tx, token, printf('0x%064x', 1000000 + m), side, size, price, size * price // 1000000,
      CASE WHEN yes THEN 'Yes' ELSE 'No' END, CASE WHEN yes THEN 0 ELSE 1 END,
      'bench-market-' || m, 'bench-event', 'Will bench outcome ' || m || ' happen?', NULL
    FROM (
      SELECT *, ${shape.price} AS price FROM (
        SELECT i, h, ${t0} + 1000 + i * ${shape.stepMs} AS ts, ${walletCase} AS wallet, printf('0x%064x', i) AS tx,
          m, yes, (71000000000000 + 2 * m + CASE WHEN yes THEN 0 ELSE 1 END)::VARCHAR AS token,
          CASE WHEN (h >> 8) % 10 < 3 THEN 'SELL' ELSE 'BUY' END AS side,
          (5 + (h >> 16) % 96) * 1000000 AS size
        FROM (SELECT i, h, (h >> 32) % ${spec.markets} AS m, (h >> 40) % 2 = 0 AS yes FROM (SELECT range AS i, hash(range) AS h FROM range(${spec.trades})))
      )
    )`);
}

/** Bump when the generated book data change shape. */
const BOOK_GENERATOR_VERSION = 1;
/** Book frames are spaced this far apart in event time (two rows each: one bid level, one ask level). */
export const BOOK_FRAME_STEP_MS = 20;

export interface BookSyntheticSpec extends SyntheticSpec {
  /** book_changes rows (two per frame). */
  changes: number;
}

/**
 * A book-heavy recording: every token opens with a 10-level book on each side (bids 0.40–0.49, asks
 * 0.51–0.60, from one snapshot each), then `changes` level updates in frames of two (a bid and an ask level
 * of one token; one in ten removes its level), and `trades` target trades spread over the same time, BUYs
 * at 0.51–0.55 and SELLs at 0.45–0.49 so a book-walk copy crosses the book. Cached like `syntheticRecording`.
 */
export async function bookSyntheticRecording(
  spec: BookSyntheticSpec = { changes: 5_000_000, trades: 100_000, wallets: 4, markets: 50 },
): Promise<SyntheticRecording & { changes: number }> {
  const key = createHash('sha256')
    .update(JSON.stringify({ FORMAT_VERSION, TABLES, GENERATOR_VERSION, BOOK_GENERATOR_VERSION, spec }))
    .digest('hex')
    .slice(0, 12);
  mkdirSync(BENCH_DIR, { recursive: true });
  const path = join(BENCH_DIR, `synthetic-book-${spec.changes}-${spec.trades}-v${FORMAT_VERSION}-${key}.duckdb`);
  const walletList = Array.from({ length: spec.wallets }, (_, i) => walletAt(i));
  const frames = Math.ceil(spec.changes / 2);
  const result = { ...spec, path, walletList, events: spec.markets * 3 + frames + spec.trades, generatedNow: false };
  if (existsSync(path)) return result;
  const building = `${path}.building-${process.pid}`;
  rmSync(building, { force: true });
  rmSync(`${building}.wal`, { force: true });
  const store = await RecordingStore.open(building);
  try {
    await insertMarkets(store, spec.markets);
    await insertBooks(store, spec);
    const stepMs = Math.max(1, Math.floor((frames * BOOK_FRAME_STEP_MS) / spec.trades));
    const price = `CASE WHEN side = 'BUY' THEN 510000 + ((h >> 24) % 5) * 10000 ELSE 450000 + ((h >> 24) % 5) * 10000 END`;
    await insertTrades(store, spec, walletList, { stepMs, price });
    await store.setMeta('bench_generator', JSON.stringify({ GENERATOR_VERSION, BOOK_GENERATOR_VERSION, spec }));
  } finally {
    await store.close();
  }
  renameSync(building, path);
  return { ...result, generatedNow: true };
}

async function insertBooks(store: RecordingStore, spec: BookSyntheticSpec): Promise<void> {
  const run = (sql: string) => store.connection.run(sql);
  const t0 = SYNTHETIC_T0;
  const tokens = spec.markets * 2;
  const levels = (from: number) =>
    `'[' || (SELECT string_agg('[' || (${from} + l * 10000) || ',1000000000]', ',') FROM range(10) r(l)) || ']'`;
  await run(`
    INSERT INTO book_snapshots (seq, ts_event, ts_recv, token_id, condition_id, bids, asks)
    SELECT k + 1, ${t0 + 500}, ${t0 + 500}, (71000000000000 + k)::VARCHAR, printf('0x%064x', 1000000 + k // 2), ${levels(400000)}, ${levels(510000)}
    FROM range(${tokens}) r(k)`);
  // Row j: frame j // 2 of a token from the frame's hash; even rows move a bid level, odd rows an ask level.
  await run(`
    INSERT INTO book_changes (seq, ts_event, ts_recv, frame, token_id, side, price_micros, size_micros)
    SELECT j + 1, ts - 50, ts, f + 1, (71000000000000 + h % ${tokens})::VARCHAR,
      CASE WHEN j % 2 = 0 THEN 'BUY' ELSE 'SELL' END,
      CASE WHEN j % 2 = 0 THEN 400000 ELSE 510000 END + ((h >> (16 + 4 * (j % 2))) % 10) * 10000,
      CASE WHEN (hash(j) % 10) = 0 THEN 0 ELSE (1 + hash(j) % 2000) * 1000000 END
    FROM (SELECT j, j // 2 AS f, hash(j // 2) AS h, ${t0} + 1000 + (j // 2) * ${BOOK_FRAME_STEP_MS} AS ts FROM range(${spec.changes}) r(j))`);
}
