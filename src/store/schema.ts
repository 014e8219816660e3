/**
 * The recording file's tables, as data: the DDL and the appenders are both generated from this, so
 * a column cannot be added to one and forgotten in the other. Every column is documented in
 * docs/recordings.md. Times are epoch ms (BIGINT); money, prices and sizes are BIGINT micros.
 */
export const FORMAT_VERSION = 1;

export type ColumnType = 'BIGINT' | 'INTEGER' | 'DOUBLE' | 'VARCHAR' | 'BOOLEAN';
export type Column = readonly [name: string, type: ColumnType];

const stamped: Column[] = [
  ['seq', 'BIGINT'],
  ['ts_event', 'BIGINT'],
  ['ts_recv', 'BIGINT'],
];

export const TABLES = {
  meta: [
    ['key', 'VARCHAR'],
    ['value', 'VARCHAR'],
  ],
  markets: [
    ...stamped,
    ['condition_id', 'VARCHAR'],
    ['slug', 'VARCHAR'],
    ['question', 'VARCHAR'],
    ['tokens', 'VARCHAR'],
    ['neg_risk', 'BOOLEAN'],
    ['tick_micros', 'BIGINT'],
    ['min_order_size_micros', 'BIGINT'],
    ['end_ms', 'BIGINT'],
    ['fee_rate', 'DOUBLE'],
    ['fee_exponent', 'DOUBLE'],
    ['closed', 'BOOLEAN'],
    ['inferred', 'BOOLEAN'],
    ['source', 'VARCHAR'],
    ['raw', 'VARCHAR'],
  ],
  target_trades: [
    ...stamped,
    ['source', 'VARCHAR'],
    ['source_seq', 'BIGINT'],
    ['dedup_key', 'VARCHAR'],
    ['wallet', 'VARCHAR'],
    ['tx_hash', 'VARCHAR'],
    ['token_id', 'VARCHAR'],
    ['condition_id', 'VARCHAR'],
    ['side', 'VARCHAR'],
    ['size_micros', 'BIGINT'],
    ['price_micros', 'BIGINT'],
    ['usdc_micros', 'BIGINT'],
    ['outcome', 'VARCHAR'],
    ['outcome_index', 'INTEGER'],
    ['slug', 'VARCHAR'],
    ['event_slug', 'VARCHAR'],
    ['title', 'VARCHAR'],
    ['raw', 'VARCHAR'],
  ],
  activity_other: [
    ...stamped,
    ['source', 'VARCHAR'],
    ['type', 'VARCHAR'],
    ['wallet', 'VARCHAR'],
    ['tx_hash', 'VARCHAR'],
    ['condition_id', 'VARCHAR'],
    ['token_id', 'VARCHAR'],
    ['side', 'VARCHAR'],
    ['size_micros', 'BIGINT'],
    ['usdc_micros', 'BIGINT'],
    ['price_micros', 'BIGINT'],
    ['outcome', 'VARCHAR'],
    ['outcome_index', 'INTEGER'],
    ['slug', 'VARCHAR'],
    ['title', 'VARCHAR'],
    ['raw', 'VARCHAR'],
  ],
  book_snapshots: [...stamped, ['token_id', 'VARCHAR'], ['condition_id', 'VARCHAR'], ['bids', 'VARCHAR'], ['asks', 'VARCHAR']],
  book_changes: [
    ...stamped,
    ['frame', 'BIGINT'],
    ['token_id', 'VARCHAR'],
    ['side', 'VARCHAR'],
    ['price_micros', 'BIGINT'],
    ['size_micros', 'BIGINT'],
  ],
  trade_prints: [
    ...stamped,
    ['token_id', 'VARCHAR'],
    ['side', 'VARCHAR'],
    ['price_micros', 'BIGINT'],
    ['size_micros', 'BIGINT'],
    ['source', 'VARCHAR'],
  ],
  resolutions: [...stamped, ['condition_id', 'VARCHAR'], ['payouts', 'VARCHAR'], ['source', 'VARCHAR']],
  runs: [
    ['run_id', 'VARCHAR'],
    ['created_ms', 'BIGINT'],
    ['mode', 'VARCHAR'],
    ['config', 'VARCHAR'],
    ['fill_model', 'VARCHAR'],
    ['seed', 'BIGINT'],
    ['version', 'VARCHAR'],
    ['summary', 'VARCHAR'],
  ],
  decisions: [
    ['run_id', 'VARCHAR'],
    ['seq', 'BIGINT'],
    ['decision_id', 'VARCHAR'],
    ['ts_ms', 'BIGINT'],
    ['strategy_id', 'VARCHAR'],
    ['wallet', 'VARCHAR'],
    ['cause_key', 'VARCHAR'],
    ['token_id', 'VARCHAR'],
    ['side', 'VARCHAR'],
    ['action', 'VARCHAR'],
    ['reason', 'VARCHAR'],
    ['message', 'VARCHAR'],
    ['details', 'VARCHAR'],
    ['checks', 'VARCHAR'],
    ['client_order_id', 'VARCHAR'],
  ],
  orders: [
    ['run_id', 'VARCHAR'],
    ['seq', 'BIGINT'],
    ['ts_ms', 'BIGINT'],
    ['event', 'VARCHAR'],
    ['client_order_id', 'VARCHAR'],
    ['strategy_id', 'VARCHAR'],
    ['token_id', 'VARCHAR'],
    ['condition_id', 'VARCHAR'],
    ['side', 'VARCHAR'],
    ['type', 'VARCHAR'],
    ['price_micros', 'BIGINT'],
    ['size_micros', 'BIGINT'],
    ['amount_micros', 'BIGINT'],
    ['post_only', 'BOOLEAN'],
    ['expires_at_ms', 'BIGINT'],
    ['created_ms', 'BIGINT'],
    ['cause_key', 'VARCHAR'],
    ['reference_price_micros', 'BIGINT'],
    ['salt', 'BIGINT'],
    ['venue_order_id', 'VARCHAR'],
    ['reason', 'VARCHAR'],
    ['message', 'VARCHAR'],
    ['unfilled_micros', 'BIGINT'],
  ],
  fills: [
    ['run_id', 'VARCHAR'],
    ['seq', 'BIGINT'],
    ['fill_id', 'VARCHAR'],
    ['client_order_id', 'VARCHAR'],
    ['strategy_id', 'VARCHAR'],
    ['token_id', 'VARCHAR'],
    ['condition_id', 'VARCHAR'],
    ['side', 'VARCHAR'],
    ['price_micros', 'BIGINT'],
    ['size_micros', 'BIGINT'],
    ['fee_micros', 'BIGINT'],
    ['liquidity', 'VARCHAR'],
    ['ts_ms', 'BIGINT'],
    ['venue_trade_id', 'VARCHAR'],
  ],
  equity_points: [
    ['run_id', 'VARCHAR'],
    ['seq', 'BIGINT'],
    ['ts_ms', 'BIGINT'],
    ['equity_micros', 'BIGINT'],
    ['cash_micros', 'BIGINT'],
    ['realized_micros', 'BIGINT'],
    ['unrealized_micros', 'BIGINT'],
    ['fees_micros', 'BIGINT'],
  ],
  redeems: [
    ['run_id', 'VARCHAR'],
    ['seq', 'BIGINT'],
    ['redeem_id', 'VARCHAR'],
    ['ts_ms', 'BIGINT'],
    ['condition_id', 'VARCHAR'],
    ['neg_risk', 'BOOLEAN'],
    ['holder', 'VARCHAR'],
    ['tx_hash', 'VARCHAR'],
    ['ok', 'BOOLEAN'],
    ['payout_micros', 'BIGINT'],
    ['via', 'VARCHAR'],
  ],
  sweep_results: [
    ['sweep_id', 'VARCHAR'],
    ['run_id', 'VARCHAR'],
    ['created_ms', 'BIGINT'],
    ['params', 'VARCHAR'],
    ['metrics', 'VARCHAR'],
  ],
} as const satisfies Record<string, readonly Column[]>;

export type TableName = keyof typeof TABLES;
export const TABLE_NAMES = Object.keys(TABLES) as TableName[];

/** Tables added after recordings were first shipped: created on a writable open, absent from older files opened read-only. */
export const LATER_TABLES: ReadonlySet<TableName> = new Set(['redeems']);

/** A row as the appender takes it: one value per column, in column order; null for NULL. */
export type RowValue = number | string | boolean | null | undefined;

export function createTableSql(table: TableName): string {
  const cols = TABLES[table].map(([name, type]) => `${name} ${type}`).join(', ');
  return `CREATE TABLE IF NOT EXISTS ${table} (${cols})`;
}

/** Tables that hold a per-table `seq` the store assigns (monotonic, unique within the table). */
export const SEQ_TABLES: TableName[] = TABLE_NAMES.filter((t) => TABLES[t].some(([n]) => n === 'seq'));

const columnSets = new Map<TableName, Set<string>>();

/** A row object → values in column order. Unknown keys throw (a typo would silently drop data). */
export function toRow(table: TableName, values: Record<string, RowValue>): RowValue[] {
  let names = columnSets.get(table);
  if (!names) columnSets.set(table, (names = new Set(TABLES[table].map(([n]) => n))));
  for (const key of Object.keys(values)) if (!names.has(key)) throw new Error(`${table} has no column "${key}"`);
  return TABLES[table].map(([name]) => values[name] ?? null);
}
