/**
 * Reading a streamed DuckDB result column by column, without a JS object per row: numbers come as
 * typed arrays over DuckDB's own vectors (BIGINTs are cast to DOUBLE in SQL, exact below 2^53), and
 * strings that repeat — token ids, wallets, condition ids, sides, outcomes, slugs — come as integer
 * codes into a dictionary read once per table (`readDictionary` + `dictionaryCode`), so every row of
 * a token shares one JS string and nothing is decoded per row. Only strings unique to a row
 * (transaction hashes) are decoded, one per row.
 */
import type { DuckDBConnection, DuckDBDataChunk, DuckDBResult, DuckDBVector } from '@duckdb/node-api';

function distinctValues(table: string, column: string): string {
  return `SELECT DISTINCT ${column} AS v FROM ${table} WHERE ${column} IS NOT NULL`;
}

/** The values of one repeating VARCHAR column of a table, in code order (code = index). */
export async function readDictionary(connection: DuckDBConnection, table: string, column: string): Promise<string[]> {
  const reader = await connection.runAndReadAll(`${distinctValues(table, column)} ORDER BY v`);
  // An empty result has no columns at all.
  return (reader.getColumns()[0] ?? []).map((v) => String(v));
}

/**
 * SQL for a query on `table` aliased `t`: a LEFT JOIN that numbers `t.<column>`'s distinct values in
 * the order `readDictionary` lists them, and the INTEGER select expression of a row's code (-1 for NULL).
 */
export function dictionaryCode(table: string, column: string, alias: string): { join: string; select: string } {
  return {
    join: `LEFT JOIN (SELECT v, row_number() OVER (ORDER BY v) - 1 AS code FROM (${distinctValues(table, column)})) ${alias} ON ${alias}.v = t.${column}`,
    select: `CAST(COALESCE(${alias}.code, -1) AS INTEGER)`,
  };
}

/**
 * A repeating VARCHAR column's codes as a temporary table of this connection (`v`, `code`; the codes in the
 * order `readDictionary` lists the values): queries that read the table in many parts join this instead of
 * counting the column's distinct values again in each.
 */
export async function tempDictionary(
  connection: DuckDBConnection,
  table: string,
  column: string,
  alias: string,
): Promise<{ dict: string[]; join: string; select: string }> {
  const name = `polytail_codes_${table}_${column}`;
  await connection.run(
    `CREATE OR REPLACE TEMP TABLE ${name} AS SELECT v, CAST(row_number() OVER (ORDER BY v) - 1 AS INTEGER) AS code FROM (${distinctValues(table, column)})`,
  );
  const reader = await connection.runAndReadAll(`SELECT v FROM ${name} ORDER BY code`);
  return {
    dict: (reader.getColumns()[0] ?? []).map((v) => String(v)),
    join: `LEFT JOIN ${name} ${alias} ON ${alias}.v = t.${column}`,
    select: `COALESCE(${alias}.code, -1)`,
  };
}

type Items<T> = DuckDBVector & { items: T; getItem(i: number): unknown };

/** An INTEGER column of one chunk with no NULLs (dictionary codes). */
export function ints(chunk: DuckDBDataChunk, column: number): Int32Array<ArrayBuffer> {
  return (chunk.getColumnVector(column) as Items<Int32Array<ArrayBuffer>>).items;
}

/** A DOUBLE column of one chunk with no NULLs. */
export function doubles(chunk: DuckDBDataChunk, column: number): Float64Array<ArrayBuffer> {
  return (chunk.getColumnVector(column) as Items<Float64Array<ArrayBuffer>>).items;
}

/** Any column read item by item (VARCHAR, or rare nullable numbers), NULL as null. */
export function items<T>(chunk: DuckDBDataChunk, column: number): { getItem(i: number): T | null } {
  return chunk.getColumnVector(column) as unknown as { getItem(i: number): T | null };
}

/**
 * Chunks of a streamed result, one at a time; `next` resolves to undefined at the end. The next chunk is
 * asked for as soon as one is handed out, so DuckDB makes it (on its own threads) while JS reads this one.
 */
/** Chunks of a result in order; `next` resolves to undefined at the end. */
export interface Chunks {
  next(): Promise<DuckDBDataChunk | undefined>;
  /** Lets go of the result (waits for work still running on the connection). */
  close?(): Promise<void>;
}

export class ChunkSource implements Chunks {
  private done = false;
  private ahead: Promise<DuckDBDataChunk | null> | undefined;

  constructor(private readonly result: DuckDBResult) {}

  async next(): Promise<DuckDBDataChunk | undefined> {
    if (this.done) return undefined;
    const chunk = await (this.ahead ?? this.result.fetchChunk());
    if (!chunk || chunk.rowCount === 0) {
      this.done = true;
      this.ahead = undefined;
      return undefined;
    }
    this.ahead = this.result.fetchChunk();
    // Read or not, a chunk fetched ahead must not fail unhandled (the stream may be closed first).
    this.ahead.catch(() => undefined);
    return chunk;
  }
}
