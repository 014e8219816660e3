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
  const run = (sql: string) => store.connection.run(sql);
  const t0 = SYNTHETIC_T0;
  // Markets: two tokens each, with metadata, all known before the first trade.
  await run(`
    INSERT INTO markets
    SELECT m + 1, ${t0}, ${t0},
      printf('0x%064x', 1000000 + m), 'bench-market-' || m, 'Will bench outcome ' || m || ' happen?',
      '[{"tokenId":"' || (71000000000000 + 2 * m) || '","outcome":"Yes"},{"tokenId":"' || (71000000000000 + 2 * m + 1) || '","outcome":"No"}]',
      false, 10000, 5000000, ${t0 + 30 * 86_400_000}, NULL, NULL, false, false, 'bench', NULL
    FROM range(${spec.markets}) r(m)`);
  const walletCase = `CASE h % ${spec.wallets} ${wallets.map((w, i) => `WHEN ${i} THEN '${w}'`).join(' ')} END`;
  // Trades: wallet, market, outcome, side, size and price from a hash of the row number (stable across runs).
  await run(`
    INSERT INTO target_trades
    SELECT i + 1, ts - 300, ts, 'import:bench', i + 1,
      tx || ':' || token || ':' || side || ':' || size || ':' || price || '#1',
      wallet, tx, token, printf('0x%064x', 1000000 + m), side, size, price, size * price // 1000000,
      CASE WHEN yes THEN 'Yes' ELSE 'No' END, CASE WHEN yes THEN 0 ELSE 1 END,
      'bench-market-' || m, 'bench-event', 'Will bench outcome ' || m || ' happen?', NULL
    FROM (
      SELECT i, ${t0} + 1000 + i * ${SYNTHETIC_STEP_MS} AS ts, ${walletCase} AS wallet, printf('0x%064x', i) AS tx,
        m, yes, (71000000000000 + 2 * m + CASE WHEN yes THEN 0 ELSE 1 END)::VARCHAR AS token,
        CASE WHEN (h >> 8) % 10 < 3 THEN 'SELL' ELSE 'BUY' END AS side,
        (5 + (h >> 16) % 96) * 1000000 AS size, (5 + (h >> 24) % 91) * 10000 AS price
      FROM (SELECT i, h, (h >> 32) % ${spec.markets} AS m, (h >> 40) % 2 = 0 AS yes FROM (SELECT range AS i, hash(range) AS h FROM range(${spec.trades})))
    )`);
  await store.setMeta('bench_generator', JSON.stringify({ GENERATOR_VERSION, spec }));
}
