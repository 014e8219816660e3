/**
 * Page sources for the event stream: rows of one recording table in (ts_recv, seq) order, a page at
 * a time, only the columns events need. Two ways to read:
 * - `chunkPages`: one streamed query on its own connection, read chunk by chunk (DuckDB sorts once;
 *   JS never holds more than a chunk). Used when the stream is given a DuckDB instance.
 * - `windowPages`: through a plain query function, one bounded ts_recv window per page. A window
 *   holds every row of its timestamps, so pages are complete at their edges; its width adapts to
 *   the row density. DuckDB skips row groups outside the window, so a page costs its own rows only.
 */
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import type { Row } from './event-rows.ts';

export type Query = (sql: string, params?: DuckDBValue[]) => Promise<Row[]>;

/** Yields non-empty pages of rows in (ts_recv, seq) order until the table is exhausted. */
export type PageSource = AsyncGenerator<Row[], void, undefined>;

/** Recording tables the stream reads, and the columns their events need (BIGINTs read as numbers). */
export const STREAM_COLUMNS = {
  markets: [
    'seq',
    'ts_event',
    'ts_recv',
    'condition_id',
    'slug',
    'question',
    'tokens',
    'neg_risk',
    'tick_micros',
    'min_order_size_micros',
    'end_ms',
    'fee_rate',
    'fee_exponent',
    'closed',
  ],
  book_snapshots: ['seq', 'ts_event', 'ts_recv', 'token_id', 'condition_id', 'bids', 'asks'],
  book_changes: ['seq', 'ts_event', 'ts_recv', 'frame', 'token_id', 'side', 'price_micros', 'size_micros'],
  target_trades: [
    'seq',
    'ts_event',
    'ts_recv',
    'source',
    'source_seq',
    'dedup_key',
    'wallet',
    'tx_hash',
    'token_id',
    'condition_id',
    'side',
    'size_micros',
    'price_micros',
    'usdc_micros',
    'outcome',
    'outcome_index',
    'slug',
    'event_slug',
    'title',
  ],
  trade_prints: ['seq', 'ts_event', 'ts_recv', 'token_id', 'side', 'price_micros', 'size_micros'],
  resolutions: ['seq', 'ts_event', 'ts_recv', 'condition_id', 'payouts'],
} as const;

export type StreamTable = keyof typeof STREAM_COLUMNS;

const BIGINT_COLUMNS = new Set([
  'seq',
  'ts_event',
  'ts_recv',
  'frame',
  'source_seq',
  'tick_micros',
  'min_order_size_micros',
  'end_ms',
  'size_micros',
  'price_micros',
  'usdc_micros',
]);

/** BIGINT columns come back as doubles (exact below 2^53, like the store's BIGINT → number), so no BigInt is made per value. */
function selectList(table: StreamTable): string {
  return STREAM_COLUMNS[table].map((c) => (BIGINT_COLUMNS.has(c) ? `CAST(${c} AS DOUBLE) AS ${c}` : c)).join(', ');
}

/** One streamed query read chunk by chunk, column-wise; the caller owns (and closes) the connection. */
export async function* chunkPages(connection: DuckDBConnection, table: StreamTable, where: string): PageSource {
  const names = STREAM_COLUMNS[table];
  const result = await connection.stream(`SELECT ${selectList(table)} FROM ${table} WHERE ${where} ORDER BY ts_recv, seq`);
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) return;
    const n = chunk.rowCount;
    const rows: Row[] = new Array(n);
    for (let i = 0; i < n; i++) rows[i] = {};
    for (let c = 0; c < names.length; c++) {
      const name = names[c]!;
      const values = chunk.getColumnValues(c);
      for (let i = 0; i < n; i++) rows[i]![name] = values[i];
    }
    yield rows;
  }
}

/** Pages through `query` by ts_recv windows of about `pageSize` rows. */
export async function* windowPages(query: Query, table: StreamTable, where: string, pageSize: number): PageSource {
  const [range] = await query(`SELECT MIN(ts_recv) AS lo, MAX(ts_recv) AS hi, COUNT(*) AS n FROM ${table} WHERE ${where}`);
  const n = Number(range?.n ?? 0);
  if (n === 0) return;
  const hi = Number(range!.hi);
  let from = Number(range!.lo);
  let width = Math.max(1, Math.ceil(((hi - from + 1) * pageSize) / n));
  const sql = `SELECT ${selectList(table)} FROM ${table} WHERE ${where} AND ts_recv >= ? AND ts_recv < ? ORDER BY ts_recv, seq`;
  while (from <= hi) {
    const to = Math.min(hi + 1, from + width);
    const rows = await query(sql, [BigInt(from), BigInt(to)]);
    from = to;
    if (rows.length < pageSize / 2) width *= 2;
    else if (rows.length > pageSize * 2) width = Math.max(1, Math.floor(width / 2));
    if (rows.length > 0) yield rows;
  }
}
