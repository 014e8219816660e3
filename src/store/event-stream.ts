/**
 * Replays a recording in time order without loading it: one page source per table, each in
 * (ts_recv, seq) order, merged here by (ts_recv, kind, seq). At equal ts_recv a market's metadata
 * comes first and a resolution last, so a trade never arrives for a market the engine has not met,
 * and never after its market settled at the same instant. Given a DuckDB instance, each table is one
 * streamed query on its own connection; given a query function, tables are paged by ts_recv windows
 * (table-stream.ts).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { EngineEvent } from '../core/events.ts';
import { rowToMarket, rowToPrint, rowToResolution, rowToSnapshot, rowToTrade, rowsToChange, type Row } from './event-rows.ts';
import { openCursor, type EventCursor } from './event-cursors.ts';
import { windowPages, type PageSource, type Query, type StreamTable } from './table-stream.ts';

export type { Query } from './table-stream.ts';

export interface EventFilter {
  /** Inclusive lower bound on ts_recv (ms). Market metadata before it is still delivered, first. */
  from?: number;
  /** Exclusive upper bound on ts_recv (ms). */
  to?: number;
  /** Only these wallets' target trades (other tables are not filtered). Case-insensitive. */
  wallets?: string[];
}

export interface StreamOptions {
  /**
   * Events per yielded batch (and rows per page per table when paging through a query function). Default
   * 1,000 from a DuckDB instance (fewer events alive at once: each young-generation GC copies a smaller
   * batch; 10,000 cost the book replay ~5 % more GC), 10,000 through a query function.
   */
  batchSize?: number;
}

/** Anything that opens connections to the recording (a `DuckDBInstance`): one streamed query per table. */
export interface ConnectionSource {
  connect(): Promise<DuckDBConnection>;
}

/** Order at equal ts_recv. */
const KINDS = [
  'markets',
  'book_snapshots',
  'book_changes',
  'target_trades',
  'trade_prints',
  'resolutions',
] as const satisfies readonly StreamTable[];
type Kind = (typeof KINDS)[number];

const TABLE_OF_TYPE: Partial<Record<EngineEvent['type'], Kind>> = {
  market: 'markets',
  book_snapshot: 'book_snapshots',
  book_change: 'book_changes',
  target_trade: 'target_trades',
  trade_print: 'trade_prints',
  market_resolved: 'resolutions',
};

/** Where a recorded event falls among events of equal `ts_recv` in replay order (undefined: not recorded). */
export function replayRank(event: EngineEvent): number | undefined {
  const table = TABLE_OF_TYPE[event.type];
  return table === undefined ? undefined : KINDS.indexOf(table);
}

class Cursor {
  rows: Row[] = [];
  index = 0;
  private done = false;
  /** book_changes: the last frame of the previous page, held back until the next page shows whether it continues. */
  private carry: Row[] = [];

  constructor(
    readonly kind: Kind,
    readonly rank: number,
    private readonly pages: PageSource,
  ) {}

  head(): Row | undefined {
    return this.rows[this.index];
  }

  /** Ensures a head row exists unless the table is exhausted. A book_changes frame is never split. */
  async fill(): Promise<void> {
    while (this.index >= this.rows.length && !this.done) {
      const next = await this.pages.next();
      this.index = 0;
      if (next.done) {
        this.done = true;
        this.rows = this.carry;
        this.carry = [];
        return;
      }
      let rows = next.value;
      if (this.kind === 'book_changes') {
        if (this.carry.length > 0) rows = this.carry.concat(rows);
        const frame = rows[rows.length - 1]!.frame;
        let cut = rows.length;
        while (cut > 0 && rows[cut - 1]!.frame === frame) cut--;
        this.carry = rows.slice(cut);
        rows = rows.slice(0, cut);
      }
      this.rows = rows;
    }
  }

  async close(): Promise<void> {
    await this.pages.return();
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

/**
 * Yields the recording's events in time order, `batchSize` at a time. `source` is a DuckDB instance
 * (preferred: one streamed query per table, each on its own connection, read as columns and closed
 * when the stream ends) or a query function (paged by ts_recv windows, read as rows).
 */
export async function* streamEvents(
  source: Query | ConnectionSource,
  filter: EventFilter = {},
  options: StreamOptions = {},
): AsyncGenerator<EngineEvent[]> {
  if (typeof source !== 'function') {
    yield* streamColumns(source, filter, options);
    return;
  }
  const size = Math.max(1, options.batchSize ?? 10_000);
  const cursors: Cursor[] = [];
  try {
    for (const [i, kind] of KINDS.entries()) cursors.push(new Cursor(kind, i, windowPages(source, kind, whereFor(kind, filter), size)));
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
  } finally {
    for (const c of cursors) await c.close();
  }
}

/** The instance path: one columnar cursor per table (event-cursors.ts), merged by (ts_recv, table rank, seq). */
async function* streamColumns(source: ConnectionSource, filter: EventFilter, options: StreamOptions): AsyncGenerator<EngineEvent[]> {
  const size = Math.max(1, options.batchSize ?? 1_000);
  const connections: DuckDBConnection[] = [];
  const cursors: EventCursor[] = [];
  try {
    // Several streaming results on one connection are not safe: one connection per table.
    for (let i = 0; i < KINDS.length; i++) connections.push(await source.connect());
    // Opened together: DuckDB sorts the tables at once (on its own threads) instead of one after another.
    const opening = KINDS.map(async (kind, i) => {
      const cursor = await openCursor(connections[i]!, kind, i, whereFor(kind, filter));
      await cursor.load();
      return cursor;
    });
    const opened = await Promise.allSettled(opening);
    for (const o of opened) if (o.status === 'fulfilled') cursors.push(o.value);
    const failed = opened.find((o) => o.status === 'rejected');
    if (failed) throw failed.reason;
    let batch: EngineEvent[] = [];
    for (;;) {
      // The leading cursor and the runner-up: the leader's events are taken in a run while they stay ahead of
      // the runner-up's head (a book-heavy recording is long runs of book changes), not one choice per event.
      let next: EventCursor | undefined;
      let second: EventCursor | undefined;
      for (const c of cursors) {
        if (!c.ready) continue;
        if (!next || ahead(c, next)) {
          second = next;
          next = c;
        } else if (!second || ahead(c, second)) second = c;
      }
      if (!next) break;
      do {
        batch.push(next.take());
        if (batch.length >= size) {
          yield batch;
          batch = [];
        }
      } while (next.ready && (!second || ahead(next, second)));
      if (!next.ready && !next.ended) await next.load();
    }
    if (batch.length > 0) yield batch;
  } finally {
    for (const c of cursors) await c.close();
    for (const connection of connections) connection.closeSync();
  }
}

/** `a`'s head comes before `b`'s: by ts_recv, then table rank, then seq. */
function ahead(a: EventCursor, b: EventCursor): boolean {
  return a.ts < b.ts || (a.ts === b.ts && (a.rank < b.rank || (a.rank === b.rank && a.seq < b.seq)));
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
