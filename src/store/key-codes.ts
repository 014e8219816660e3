/**
 * Integer codes for target_trades' dedup keys, made in SQL so the replay's dedup can keep numbers instead of
 * key strings (`TargetTradeSeen.keyCode`). A key's code is the seq of its first row: two rows get the same
 * code exactly when their keys are equal. Keys are grouped by string only where DuckDB's 64-bit hash of
 * them repeats (true repeats and hash collisions, a few rows); every other row's key is unique in the table,
 * so its code is its own seq. No codes (-1 on every row) when a key is NULL or seqs are not unique: a fill
 * without a key is deduplicated by a key built from its content, which only a string can be compared with.
 */
import type { DuckDBConnection } from '@duckdb/node-api';

/** SQL for a query on target_trades aliased `t`: a LEFT JOIN and the DOUBLE select expression of a row's key code. */
export async function keyCodes(connection: DuckDBConnection): Promise<{ join: string; select: string }> {
  const reader = await connection.runAndReadAll(
    `SELECT count(*) - count(dedup_key) AS no_key, count(*) - count(DISTINCT seq) AS shared_seq FROM target_trades`,
  );
  const [noKey, sharedSeq] = reader.getRows()[0]!.map(Number);
  if (noKey! > 0 || sharedSeq! > 0) return { join: '', select: 'CAST(-1 AS DOUBLE)' };
  const repeated = `SELECT hash(dedup_key) FROM target_trades GROUP BY 1 HAVING count(*) > 1`;
  return {
    join: `LEFT JOIN (SELECT dedup_key AS k, min(seq) AS first FROM target_trades WHERE hash(dedup_key) IN (${repeated}) GROUP BY 1) kc ON kc.k = t.dedup_key`,
    select: `CAST(COALESCE(kc.first, t.seq) AS DOUBLE)`,
  };
}
