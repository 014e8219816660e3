/**
 * Replays a recording in time order without loading it: one keyset-paged cursor per table, ordered
 * by (ts_recv, seq), merged here by (ts_recv, kind, seq). At equal ts_recv a market's metadata comes
 * first and a resolution last, so a trade never arrives for a market the engine has not met, and
 * never after its market settled at the same instant.
 */
import type { DuckDBValue } from '@duckdb/node-api';
import type { EngineEvent } from '../core/events.ts';
import { rowToMarket, rowToPrint, rowToResolution, rowToSnapshot, rowToTrade, rowsToChange, type Row } from './event-rows.ts';

export interface EventFilter {
  /** Inclusive lower bound on ts_recv (ms). Market metadata before it is still delivered, first. */
  from?: number;
  /** Exclusive upper bound on ts_recv (ms). */
  to?: number;
  /** Only these wallets' target trades (other tables are not filtered). Case-insensitive. */
  wallets?: string[];
}

export interface StreamOptions {
  /** Events per yielded batch and rows per page per table. Default 10,000. */
  batchSize?: number;
}

type Query = (sql: string, params?: DuckDBValue[]) => Promise<Row[]>;

/** Order at equal ts_recv. */
const KINDS = ['markets', 'book_snapshots', 'book_changes', 'target_trades', 'trade_prints', 'resolutions'] as const;
type Kind = (typeof KINDS)[number];

class Cursor {
  rows: Row[] = [];
  index = 0;
  done = false;
  private lastTs: number | undefined;
  private lastSeq = 0;

  constructor(
    readonly kind: Kind,
    readonly rank: number,
    private readonly query: Query,
    private readonly where: string,
    private readonly pageSize: number,
  ) {}

  head(): Row | undefined {
    return this.rows[this.index];
  }

  /** Ensures a head row exists unless the table is exhausted. */
  async fill(): Promise<void> {
    if (this.index < this.rows.length || this.done) return;
    const keyset = this.lastTs === undefined ? 'TRUE' : `(ts_recv > ? OR (ts_recv = ? AND seq > ?))`;
    const params: DuckDBValue[] = this.lastTs === undefined ? [] : [BigInt(this.lastTs), BigInt(this.lastTs), BigInt(this.lastSeq)];
    this.rows = await this.query(
      `SELECT * FROM ${this.kind} WHERE ${keyset} AND ${this.where} ORDER BY ts_recv, seq LIMIT ${this.pageSize}`,
      params,
    );
    this.index = 0;
    if (this.rows.length < this.pageSize) this.done = true;
    else if (this.kind === 'book_changes') {
      // Never split a frame across pages: fetch the rest of the last one.
      const tail = this.rows[this.rows.length - 1]!;
      const rest = await this.query(`SELECT * FROM book_changes WHERE frame = ? AND seq > ? ORDER BY seq`, [BigInt(Number(tail.frame)), BigInt(Number(tail.seq))]);
      this.rows.push(...rest);
    }
    const last = this.rows[this.rows.length - 1];
    if (last) {
      this.lastTs = Number(last.ts_recv);
      this.lastSeq = Number(last.seq);
    }
  }
}

function whereFor(kind: Kind, filter: EventFilter): string {
  const parts: string[] = [];
  const int = (v: number, name: string) => {
    if (!Number.isSafeInteger(v)) throw new Error(`streamEvents: ${name} must be an integer ms timestamp, got ${v}`);
    return v;
  };
  if (filter.from !== undefined && kind !== 'markets') parts.push(`ts_recv >= ${int(filter.from, 'from')}`);
  if (filter.to !== undefined) parts.push(`ts_recv < ${int(filter.to, 'to')}`);
  if (filter.wallets && kind === 'target_trades') {
    const list = filter.wallets.map((w) => {
      const lower = w.trim().toLowerCase();
      if (!/^0x[0-9a-f]+$/.test(lower)) throw new Error(`streamEvents: "${w}" is not a 0x wallet address`);
      return `'${lower}'`;
    });
    parts.push(list.length > 0 ? `wallet IN (${list.join(', ')})` : 'FALSE');
  }
  return parts.length > 0 ? parts.join(' AND ') : 'TRUE';
}

function before(a: Cursor, b: Cursor): boolean {
  const ra = a.head()!;
  const rb = b.head()!;
  const ta = Number(ra.ts_recv);
  const tb = Number(rb.ts_recv);
  if (ta !== tb) return ta < tb;
  if (a.rank !== b.rank) return a.rank < b.rank;
  return Number(ra.seq) < Number(rb.seq);
}

/** Yields the recording's events in time order, `batchSize` at a time. */
export async function* streamEvents(query: Query, filter: EventFilter = {}, options: StreamOptions = {}): AsyncGenerator<EngineEvent[]> {
  const size = Math.max(1, options.batchSize ?? 10_000);
  const cursors = KINDS.map((k, i) => new Cursor(k, i, query, whereFor(k, filter), size));
  for (const c of cursors) await c.fill();
  let batch: EngineEvent[] = [];
  for (;;) {
    let next: Cursor | undefined;
    for (const c of cursors) if (c.head() && (!next || before(c, next))) next = c;
    if (!next) break;
    batch.push(toEvent(next));
    await next.fill();
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

function toEvent(c: Cursor): EngineEvent {
  const row = c.rows[c.index++]!;
  switch (c.kind) {
    case 'markets':
      return rowToMarket(row);
    case 'target_trades':
      return rowToTrade(row);
    case 'book_snapshots':
      return rowToSnapshot(row);
    case 'trade_prints':
      return rowToPrint(row);
    case 'resolutions':
      return rowToResolution(row);
    case 'book_changes': {
      // The rest of this frame follows directly in this page (same ts_recv, consecutive seq; fill() never splits a frame).
      const rows = [row];
      while (c.index < c.rows.length && c.rows[c.index]!.frame === row.frame) rows.push(c.rows[c.index++]!);
      return rowsToChange(rows);
    }
  }
}
