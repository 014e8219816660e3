/**
 * Buffers rows per table and writes them with DuckDB Appenders. One `flush()` writes every buffered
 * row and commits each table's appender, so a crash loses at most what was buffered since the last
 * flush and never leaves a half-written row (the WAL replays committed appends on reopen).
 */
import type { DuckDBAppender, DuckDBConnection } from '@duckdb/node-api';
import { TABLES, type RowValue, type TableName } from './schema.ts';

export interface BatchWriterOptions {
  /** Flush once this many rows are buffered (over all tables). Default 5,000. */
  batchRows?: number;
}

export class BatchWriter {
  private buffers = new Map<TableName, RowValue[][]>();
  private appenders = new Map<TableName, DuckDBAppender>();
  private buffered = 0;
  private chain: Promise<void> = Promise.resolve();
  private failure: unknown;
  private timer: ReturnType<typeof setInterval> | undefined;
  readonly batchRows: number;
  /** Rows committed so far. */
  written = 0;
  /** True while a batch's transaction is open: its rows staged, not yet committed. */
  inTransaction = false;

  constructor(
    private readonly connection: DuckDBConnection,
    options: BatchWriterOptions = {},
  ) {
    this.batchRows = options.batchRows ?? 5_000;
  }

  /** Queues one row (values in the table's column order). Starts a flush when the batch is full. */
  add(table: TableName, row: RowValue[]): void {
    if (this.failure) throw this.failure;
    if (row.length !== TABLES[table].length) {
      throw new Error(`${table}: expected ${TABLES[table].length} values, got ${row.length}`);
    }
    const columns = TABLES[table];
    for (let i = 0; i < columns.length; i++) checkValue(columns[i]![1], row[i], table, columns[i]![0]);
    let buffer = this.buffers.get(table);
    if (!buffer) this.buffers.set(table, (buffer = []));
    buffer.push(row);
    if (++this.buffered >= this.batchRows) void this.flush().catch(() => undefined);
  }

  pending(): number {
    return this.buffered;
  }

  /** Writes and commits everything buffered. Flushes run one after another, in call order. */
  flush(): Promise<void> {
    const batch = this.buffers;
    this.buffers = new Map();
    this.buffered = 0;
    this.chain = this.chain.then(() => this.writeBatch(batch));
    this.chain.catch((err: unknown) => {
      this.failure ??= err;
    });
    return this.chain;
  }

  /** Live mode only: flush every `ms` on a timer (replay and import drive `flush()` themselves). */
  startAutoFlush(ms: number): void {
    this.stopAutoFlush();
    this.timer = setInterval(() => {
      if (this.buffered > 0) void this.flush().catch(() => undefined);
    }, ms);
    this.timer.unref?.();
  }

  stopAutoFlush(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Flushes and closes the appenders. */
  async close(): Promise<void> {
    this.stopAutoFlush();
    await this.flush();
    for (const appender of this.appenders.values()) appender.closeSync();
    this.appenders.clear();
  }

  /**
   * One transaction per batch: the appenders' flushes only stage rows, and the COMMIT — where DuckDB
   * writes and fsyncs its WAL, 1–10 ms per commit on a busy disk — runs on DuckDB's own thread, not
   * the event loop. One commit per table (a flush outside a transaction commits) stalled a live
   * session's loop 20–40 ms once a second. The staging yields to the event loop between tables and
   * every `YIELD_ROWS` rows, so feeds and orders wait at most about a millisecond for it. The batch
   * stays atomic: every table's rows commit together or not at all.
   */
  private async writeBatch(batch: Map<TableName, RowValue[][]>): Promise<void> {
    let rows = 0;
    for (const table of batch.keys())
      if (!this.appenders.has(table)) this.appenders.set(table, await this.connection.createAppender(table));
    await this.connection.run('BEGIN TRANSACTION');
    this.inTransaction = true;
    try {
      for (const [table, tableRows] of batch) {
        if (tableRows.length === 0) continue;
        const appender = this.appenders.get(table)!;
        const columns = TABLES[table];
        for (let r = 0; r < tableRows.length; r++) {
          const row = tableRows[r]!;
          for (let i = 0; i < columns.length; i++) appendValue(appender, columns[i]![1], row[i]);
          appender.endRow();
          if ((r + 1) % YIELD_ROWS === 0) await yieldToLoop();
        }
        appender.flushSync();
        rows += tableRows.length;
        await yieldToLoop();
      }
      await this.connection.run('COMMIT');
    } catch (err) {
      await this.connection.run('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      this.inTransaction = false;
    }
    this.written += rows;
  }
}

/** Rows appended between yields to the event loop (about a millisecond of appending). */
const YIELD_ROWS = 500;

function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Checked when a row is queued, so a bad value never leaves a half-appended row behind. */
function checkValue(type: string, value: RowValue, table: string, column: string): void {
  if (value === null || value === undefined) return;
  if (type === 'BIGINT' && (typeof value !== 'number' || !Number.isSafeInteger(value))) {
    throw new Error(`${table}.${column}: expected a safe integer, got ${String(value)}`);
  }
  if (type === 'INTEGER' && (typeof value !== 'number' || !Number.isInteger(value) || Math.abs(value) > 2 ** 31)) {
    throw new Error(`${table}.${column}: expected a 32-bit integer, got ${String(value)}`);
  }
}

function appendValue(appender: DuckDBAppender, type: string, value: RowValue): void {
  if (value === null || value === undefined) return appender.appendNull();
  switch (type) {
    case 'BIGINT':
      return appender.appendBigInt(BigInt(value as number));
    case 'INTEGER':
      return appender.appendInteger(value as number);
    case 'DOUBLE':
      return appender.appendDouble(Number(value));
    case 'BOOLEAN':
      return appender.appendBoolean(Boolean(value));
    default:
      return appender.appendVarchar(String(value));
  }
}
