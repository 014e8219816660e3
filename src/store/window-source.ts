/**
 * A big table read in (ts_recv, seq) order without sorting it whole. One `ORDER BY` over five million
 * book changes keeps the reader idle for seconds before its first row (DuckDB sorts everything first)
 * and needs memory for the whole sort. Here the table is read in windows of ts_recv, each sorted and
 * materialized on its own; the next window runs on DuckDB's threads while JS reads this one. Windows
 * split on ts_recv, so their concatenation is the table in (ts_recv, seq) order, as one sort gives it
 * (rows with a NULL ts_recv last, as `ORDER BY` puts them).
 */
import type { DuckDBConnection, DuckDBDataChunk, DuckDBMaterializedResult } from '@duckdb/node-api';
import type { Chunks } from './column-reader.ts';

/** Rows per window once reading is under way; the first window is smaller so the first row comes early. */
const WINDOW_ROWS = 200_000;
const FIRST_WINDOW_ROWS = 25_000;
/** A window's span follows the rows the last one held, by at most this factor per step (bursts, gaps). */
const MAX_STEP = 8;

/** `ts_recv` bounds of one window: `[from, to)`; undefined `to` reads to the end, `nulls` the rows without a ts_recv. */
export type WindowBounds = { from: number; to: number | undefined } | { nulls: true };

export interface WindowPlan {
  /** SQL of one window: the caller's query with `where` ANDed in and its `ORDER BY t.ts_recv, t.seq`. */
  sql(where: string): string;
  /** The caller's filter (a WHERE condition on the table aliased `t`). */
  where: string;
  table: string;
  /** Target rows per window (tests use small ones). */
  windowRows?: number;
  firstWindowRows?: number;
}

function boundsSql(b: WindowBounds): string {
  if ('nulls' in b) return 't.ts_recv IS NULL';
  return b.to === undefined ? `t.ts_recv >= ${b.from}` : `t.ts_recv >= ${b.from} AND t.ts_recv < ${b.to}`;
}

/** Chunks of a table in (ts_recv, seq) order, window by window; see the file comment. */
export class WindowSource implements Chunks {
  private result: DuckDBMaterializedResult | undefined;
  private chunkAt = 0;
  private ahead: Promise<DuckDBMaterializedResult | undefined> | undefined;
  /** Start of the next window to run, and its span in ms. */
  private from: number;
  private span: number;
  private nullsLeft: boolean;
  private lastSpan = 0;

  private constructor(
    private readonly connection: DuckDBConnection,
    private readonly plan: WindowPlan,
    first: number,
    private readonly last: number,
    rows: number,
    nulls: boolean,
  ) {
    this.from = first;
    const density = rows / Math.max(1, last - first + 1);
    this.span = Math.max(1, Math.floor((plan.firstWindowRows ?? FIRST_WINDOW_ROWS) / Math.max(density, 1e-9)));
    this.nullsLeft = nulls;
    this.ahead = this.launch();
  }

  /** Opens the windowed read: one small query for the table's ts_recv range under the filter, then the first window. */
  static async open(connection: DuckDBConnection, plan: WindowPlan): Promise<WindowSource> {
    const reader = await connection.runAndReadAll(
      `SELECT CAST(min(t.ts_recv) AS DOUBLE), CAST(max(t.ts_recv) AS DOUBLE), count(t.ts_recv), count(*) - count(t.ts_recv) FROM ${plan.table} t WHERE ${plan.where}`,
    );
    const [min, max, rows, nulls] = reader.getRows()[0]!;
    const first = min === null ? 1 : Number(min);
    const last = max === null ? 0 : Number(max);
    return new WindowSource(connection, plan, first, last, Number(rows), Number(nulls) > 0);
  }

  async next(): Promise<DuckDBDataChunk | undefined> {
    for (;;) {
      const result = this.result;
      if (result && this.chunkAt < result.chunkCount) return result.getChunk(this.chunkAt++);
      if (!this.ahead) return undefined;
      this.result = await this.ahead;
      this.chunkAt = 0;
      if (!this.result) {
        this.ahead = undefined;
        return undefined;
      }
      this.adapt(this.result.rowCount);
      // The next window sorts on DuckDB's threads while JS reads this one.
      this.ahead = this.launch();
    }
  }

  /** Waits for a window still running (closing the connection under it is not safe). */
  async close(): Promise<void> {
    const ahead = this.ahead;
    this.ahead = undefined;
    this.result = undefined;
    await ahead?.catch(() => undefined);
  }

  /** The next window's span: the target rows at the density the last window showed, within MAX_STEP of it. */
  private adapt(rows: number): void {
    const target = this.plan.windowRows ?? WINDOW_ROWS;
    const step = rows === 0 ? MAX_STEP : Math.min(MAX_STEP, Math.max(1 / MAX_STEP, target / rows));
    this.span = Math.max(1, Math.floor(this.lastSpan * step));
  }

  /** Runs the next window (undefined after the last); the next one starts where it ends. */
  private launch(): Promise<DuckDBMaterializedResult | undefined> | undefined {
    let bounds: WindowBounds;
    if (this.from <= this.last) {
      const to = this.from + this.span;
      bounds = { from: this.from, to: to > this.last ? undefined : to };
      this.lastSpan = this.span;
      this.from = bounds.to ?? this.last + 1;
    } else if (this.nullsLeft) {
      bounds = { nulls: true };
      this.nullsLeft = false;
    } else return undefined;
    const running = this.connection.run(this.plan.sql(`(${this.plan.where}) AND ${boundsSql(bounds)}`));
    // Read or not, a window run ahead must not fail unhandled (the stream may be closed first).
    running.catch(() => undefined);
    return running;
  }
}
