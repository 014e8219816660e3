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

/** Dictionaries up to this size code their column by an ENUM cast in the query (no join, so storage order is kept). */
const ENUM_MAX = 20_000;

/**
 * The INTEGER select expression of `t.<column>`'s code (-1 for NULL) by a cast to an inline ENUM of `dict` (as
 * `readDictionary` lists it): a lookup per row, where a join would not keep the rows' order.
 */
export function enumCode(column: string, dict: readonly string[]): string {
  if (dict.length === 0) return 'CAST(-1 AS INTEGER)';
  const values = dict.map((v) => `'${v.replaceAll("'", "''")}'`).join(', ');
  return `CAST(COALESCE(enum_code(CAST(t.${column} AS ENUM(${values}))), -1) AS INTEGER)`;
}

/**
 * Whether the rows of `table` matching `where` are stored in replay order: ts_recv ascending, seq ascending within
 * a ts_recv, neither NULL. Recordings are written that way (rows appended as events arrive, seq counting up), and
 * then a plain scan — which DuckDB returns in storage order — needs no sort. `lag() OVER ()` reads storage order
 * without sorting (a few ms per million rows).
 */
export async function storedInOrder(connection: DuckDBConnection, table: string, where: string): Promise<boolean> {
  const reader = await connection.runAndReadAll(`
    SELECT count(*) FILTER (WHERE ts_recv IS NULL OR seq IS NULL OR ts_recv < pt OR (ts_recv = pt AND seq <= ps))
    FROM (SELECT ts_recv, seq, lag(ts_recv) OVER () AS pt, lag(seq) OVER () AS ps FROM ${table} WHERE ${where})`);
  return Number(reader.getRows()[0]![0]) === 0;
}

/** How a columnar cursor reads `table` in replay order, its repeating strings coded (`t` is the table's alias). */
export interface OrderedRead {
  /** Per coded column, code → string. */
  dicts: string[][];
  /** The FROM clause (with the joins that code, when sorting). */
  from: string;
  /** The code select expressions, in column order. */
  codes: string[];
  /** `ORDER BY …`, or '' when the rows are read as stored. */
  orderBy: string;
  /** Rows come in storage order, which `storedInOrder` found to be replay order. */
  stored: boolean;
}

/**
 * A table stored in replay order is scanned as it is: rows stream from the first chunk on, with nothing to sort
 * (no wait before the first row, no sort buffers in DuckDB's memory), its strings coded by ENUM casts. Otherwise
 * (rows written out of order, or a dictionary too long to inline) DuckDB sorts, coding strings by joins.
 */
export async function orderedRead(
  connection: DuckDBConnection,
  table: string,
  columns: readonly string[],
  where: string,
): Promise<OrderedRead> {
  const { dicts, codes } = await storedRead(connection, table, columns, where);
  if (codes) return { dicts, from: `${table} t`, codes, orderBy: '', stored: true };
  const coded = columns.map((c, i) => dictionaryCode(table, c, `d${i}`));
  return {
    dicts,
    from: `${table} t ${coded.map((c) => c.join).join(' ')}`,
    codes: coded.map((c) => c.select),
    orderBy: 'ORDER BY t.ts_recv, t.seq',
    stored: false,
  };
}

/**
 * The dictionaries of `columns`, and — when `table`'s rows under `where` are stored in replay order and the
 * dictionaries are short enough to inline — the ENUM-cast code expressions that read them in a plain scan
 * (`codes` undefined: the caller sorts).
 */
export async function storedRead(
  connection: DuckDBConnection,
  table: string,
  columns: readonly string[],
  where: string,
): Promise<{ dicts: string[][]; codes: string[] | undefined }> {
  const dicts: string[][] = [];
  for (const column of columns) dicts.push(await readDictionary(connection, table, column));
  const inline = dicts.every((d) => d.length <= ENUM_MAX && d.every((v) => !v.includes('\0')));
  const stored = inline && (await storedInOrder(connection, table, where));
  return { dicts, codes: stored ? columns.map((c, i) => enumCode(c, dicts[i]!)) : undefined };
}

/**
 * Rows read as stored are in replay order because `storedInOrder` said so; this checks it row by row as the
 * cursor hands rows out, so rows out of order (the recording written to since, or a scan that did not keep
 * storage order) stop the replay loudly instead of reaching the engine out of order.
 */
export class OrderCheck {
  private ts = -Infinity;
  private seq = -Infinity;

  constructor(private readonly table: string) {}

  next(ts: number, seq: number): void {
    if (ts < this.ts || (ts === this.ts && seq <= this.seq))
      throw new Error(
        `recording: ${this.table} row (ts_recv ${ts}, seq ${seq}) came after (${this.ts}, ${this.seq}) in a read in storage order`,
      );
    this.ts = ts;
    this.seq = seq;
  }
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

/** Chunks of a result in order; `next` resolves to undefined at the end. */
export interface Chunks {
  next(): Promise<DuckDBDataChunk | undefined>;
  /** Lets go of the result (waits for work still running on the connection). */
  close?(): Promise<void>;
}

/**
 * Chunks of a streamed result, one at a time; `next` resolves to undefined at the end. The next chunk is
 * asked for as soon as one is handed out, so DuckDB makes it (on its own threads) while JS reads this one.
 */
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
