/**
 * Integer codes for target_trades' dedup keys, so the replay's dedup can keep numbers instead of key strings
 * (`TargetTradeSeen.keyCode`). A row's code is the rowid of the first row with its key: two rows get the same
 * code exactly when their keys are equal. Keys are grouped by string only where DuckDB's 64-bit hash of them
 * repeats (true repeats and hash collisions: a few rows, listed once before the stream starts); every other
 * row's key is unique in the table, so its code is its own rowid. No codes when a key is NULL: a fill without
 * a key is deduplicated by a key built from its content, which only a string can be compared with.
 */
import type { DuckDBConnection } from '@duckdb/node-api';

/** The SELECT expression of a row's own code (its rowid) in a query on target_trades aliased `t`. */
export const ROW_CODE = 'CAST(t.rowid AS DOUBLE)';

/**
 * For the rows whose key an earlier row (by rowid) also has: rowid → that first row's rowid. Undefined when
 * some key is NULL (no codes at all).
 */
export async function repeatedKeys(connection: DuckDBConnection): Promise<Map<number, number> | undefined> {
  const nulls = await connection.runAndReadAll(`SELECT count(*) - count(dedup_key) FROM target_trades`);
  if (Number(nulls.getRows()[0]![0]) > 0) return undefined;
  const reader = await connection.runAndReadAll(`
    SELECT CAST(rowid AS DOUBLE), CAST(min(rowid) OVER (PARTITION BY dedup_key) AS DOUBLE) FROM target_trades
    WHERE hash(dedup_key) IN (SELECT hash(dedup_key) FROM target_trades GROUP BY 1 HAVING count(*) > 1)`);
  const firsts = new Map<number, number>();
  for (const [row, first] of reader.getRows() as [number, number][]) if (row !== first) firsts.set(row, first);
  return firsts;
}
