/**
 * One cursor per recording table for the event stream: each runs one ordered query and hands out
 * its events one at a time. The busy tables (target trades, book changes, prints) are read as
 * columns (column-reader.ts) — a typed array per number column, dictionary codes for repeating
 * strings — and an event object is made only when the merge takes it. The rare tables (markets,
 * snapshots, resolutions: JSON columns) are read as rows. Each event equals what event-rows.ts
 * makes of the same row.
 */
import type { DuckDBConnection, DuckDBDataChunk } from '@duckdb/node-api';
import type { EngineEvent, TargetTradeSeen } from '../core/events.ts';
import { isSourceName, type Side, type SourceName } from '../core/types.ts';
import { ChangeCursor } from './change-cursor.ts';
import { ColumnCursor, decode, num, open, type EventCursor } from './column-cursor.ts';
import { doubles, ints, items, orderedRead, OrderCheck, type ChunkSource, type OrderedRead } from './column-reader.ts';
import { ChunkStrings, RecordedTrade, RecordedTradeSeen } from './recorded-trade.ts';
import { repeatedKeys, ROW_CODE } from './key-codes.ts';
import { rowToMarket, rowToResolution, rowToSnapshot, type Row } from './event-rows.ts';
import { chunkPages, type PageSource, type StreamTable } from './table-stream.ts';

export type { EventCursor } from './column-cursor.ts';

const TRADE_CODED = ['source', 'wallet', 'token_id', 'condition_id', 'side', 'outcome', 'slug', 'event_slug', 'title'] as const;

/** Where tradeEventsQuery's select has the size, and the first of TRADE_CODED's codes (the rest follow in order). */
export const TRADE_SIZE_COLUMN = 4;
const FIRST_CODE_COLUMN = 12;

/** The column of a coded string's code in tradeEventsQuery's select. */
export function tradeCodeColumn(column: (typeof TRADE_CODED)[number]): number {
  return FIRST_CODE_COLUMN + TRADE_CODED.indexOf(column);
}

/**
 * The query the trade cursor streams, with what its set-up worked out: the dictionaries (and whether the rows
 * are read as stored) and the key codes. Exported for the bench, which drains it with no events made (the
 * read a replay of these rows cannot be faster than).
 */
export async function tradeEventsQuery(
  connection: DuckDBConnection,
  where: string,
): Promise<{ sql: string; read: OrderedRead; repeats: Map<number, number> | undefined }> {
  const read = await orderedRead(connection, 'target_trades', TRADE_CODED, where);
  const repeats = await repeatedKeys(connection);
  const txInKey = `COALESCE(starts_with(t.dedup_key, t.tx_hash || ':') AND NOT contains(t.tx_hash, ':'), false)`;
  const sql = `SELECT ${num('seq')}, ${num('ts_event')}, ${num('ts_recv')}, ${num('source_seq')}, ${num('size_micros')}, ${num('price_micros')}, ${num('usdc_micros')},
      t.dedup_key, CASE WHEN ${txInKey} THEN NULL ELSE t.tx_hash END, t.outcome_index, ${txInKey}, ${ROW_CODE}, ${read.codes.join(', ')}
    FROM ${read.from} WHERE ${where} ${read.orderBy}`;
  return { sql, read, repeats };
}

/**
 * target_trades, as columns. The dedup key is read as it is stored; when it starts with `<tx hash>:` (the
 * usual `tx:wallet:token:side:size:price#n`) the hash is cut from it instead of being read a second time.
 * While the trades carry key codes, both strings are decoded only when read (recorded-trade.ts).
 */
class TradeCursor extends ColumnCursor {
  private tsEvent = new Float64Array(0);
  private sourceSeq = new Float64Array(0);
  private size = new Float64Array(0);
  private price = new Float64Array(0);
  private usdc = new Float64Array(0);
  private rowCode = new Float64Array(0);
  private codes: Int32Array[] = [];
  private strings: ChunkStrings | undefined;
  private outcomeIndex: { getItem(i: number): number | null } = { getItem: () => null };
  private readonly sources: (SourceName | undefined)[] = [];
  private readonly order: OrderCheck | undefined;

  constructor(
    rank: number,
    source: ChunkSource,
    private readonly dicts: string[][],
    /** Rows whose key an earlier row has → that row's code; undefined: no key codes (see key-codes.ts). */
    private readonly repeats: Map<number, number> | undefined,
    stored: boolean,
  ) {
    super(rank, source);
    if (stored) this.order = new OrderCheck('target_trades');
  }

  static async open(connection: DuckDBConnection, rank: number, where: string): Promise<TradeCursor> {
    const { sql, read, repeats } = await tradeEventsQuery(connection, where);
    return new TradeCursor(rank, await open(connection, sql), read.dicts, repeats, read.stored);
  }

  protected read(chunk: DuckDBDataChunk): void {
    this.tsEvent = doubles(chunk, 1);
    this.sourceSeq = doubles(chunk, 3);
    this.size = doubles(chunk, TRADE_SIZE_COLUMN);
    this.price = doubles(chunk, 5);
    this.usdc = doubles(chunk, 6);
    this.strings = new ChunkStrings(chunk, items(chunk, 7), items(chunk, 8), items(chunk, 10));
    this.outcomeIndex = items(chunk, 9);
    this.rowCode = doubles(chunk, 11);
    this.codes = TRADE_CODED.map((_, k) => ints(chunk, FIRST_CODE_COLUMN + k));
  }

  private sourceOf(code: number): SourceName {
    const known = this.sources[code];
    if (known) return known;
    const text = decode(this.dicts[0]!, code, 'null');
    if (!isSourceName(text)) throw new Error(`recording: target trade source "${text}" is not rtds, data-api or import:<file>`);
    return (this.sources[code] = text);
  }

  take(): TargetTradeSeen {
    const i = this.index++;
    this.order?.next(this.tsRecv[i]!, this.seqs[i]!);
    const [source, wallet, token, condition, side, outcome, slug, eventSlug, title] = this.codes as [
      Int32Array,
      Int32Array,
      Int32Array,
      Int32Array,
      Int32Array,
      Int32Array,
      Int32Array,
      Int32Array,
      Int32Array,
    ];
    const d = this.dicts;
    const trade = new RecordedTrade(
      decode(d[1]!, wallet[i]!, 'null'),
      decode(d[2]!, token[i]!, 'null'),
      decode(d[3]!, condition[i]!, 'null'),
      (side[i]! < 0 ? null : d[4]![side[i]!]!) as Side,
      this.size[i]!,
      this.price[i]!,
      this.usdc[i]!,
      decode(d[5]!, outcome[i]!, ''),
      this.strings!,
      i,
    );
    const outcomeIndex = this.outcomeIndex.getItem(i);
    if (outcomeIndex !== null) trade.outcomeIndex = Number(outcomeIndex);
    if (slug[i]! >= 0) trade.slug = d[6]![slug[i]!]!;
    if (eventSlug[i]! >= 0) trade.eventSlug = d[7]![eventSlug[i]!]!;
    if (title[i]! >= 0) trade.title = d[8]![title[i]!]!;
    const e = new RecordedTradeSeen(this.tsEvent[i]!, this.tsRecv[i]!, this.sourceOf(source[i]!), this.sourceSeq[i]!, trade);
    this.head();
    const repeats = this.repeats;
    // Without codes (some key is NULL) dedup compares keys as strings and may copy parts of a trade: a plain event.
    if (!repeats) return e.toJSON();
    const row = this.rowCode[i]!;
    e.keyCode = repeats.size === 0 ? row : (repeats.get(row) ?? row);
    return e;
  }
}

/** trade_prints, as columns. */
class PrintCursor extends ColumnCursor {
  private tsEvent = new Float64Array(0);
  private tokens = new Int32Array(0);
  private sides = new Int32Array(0);
  private prices = new Float64Array(0);
  private sizes = new Float64Array(0);
  private readonly order: OrderCheck | undefined;

  constructor(
    rank: number,
    source: ChunkSource,
    private readonly tokenDict: string[],
    private readonly sideDict: string[],
    stored: boolean,
  ) {
    super(rank, source);
    if (stored) this.order = new OrderCheck('trade_prints');
  }

  static async open(connection: DuckDBConnection, rank: number, where: string): Promise<PrintCursor> {
    const read = await orderedRead(connection, 'trade_prints', ['token_id', 'side'], where);
    const sql = `SELECT ${num('seq')}, ${num('ts_event')}, ${num('ts_recv')}, ${read.codes.join(', ')}, ${num('price_micros')}, ${num('size_micros')}
      FROM ${read.from} WHERE ${where} ${read.orderBy}`;
    return new PrintCursor(rank, await open(connection, sql), read.dicts[0]!, read.dicts[1]!, read.stored);
  }

  protected read(chunk: DuckDBDataChunk): void {
    this.tsEvent = doubles(chunk, 1);
    this.tokens = ints(chunk, 3);
    this.sides = ints(chunk, 4);
    this.prices = doubles(chunk, 5);
    this.sizes = doubles(chunk, 6);
  }

  take(): EngineEvent {
    const i = this.index++;
    this.order?.next(this.tsRecv[i]!, this.seqs[i]!);
    const side = this.sides[i]!;
    const event: EngineEvent = {
      type: 'trade_print',
      tsEvent: this.tsEvent[i]!,
      tsRecv: this.tsRecv[i]!,
      tokenId: decode(this.tokenDict, this.tokens[i]!, 'null'),
      side: (side < 0 ? null : this.sideDict[side]) as Side,
      priceMicros: this.prices[i]!,
      sizeMicros: this.sizes[i]!,
    };
    this.head();
    return event;
  }
}

/** A rare table read as row objects (markets, snapshots, resolutions). */
class RowCursor implements EventCursor {
  ts = 0;
  seq = 0;
  ready = false;
  ended = false;
  private rows: Row[] = [];
  private index = 0;

  constructor(
    readonly rank: number,
    private readonly pages: PageSource,
    private readonly toEvent: (row: Row) => EngineEvent,
  ) {}

  async load(): Promise<void> {
    while (this.index >= this.rows.length) {
      const next = await this.pages.next();
      if (next.done) {
        this.ready = false;
        this.ended = true;
        return;
      }
      this.rows = next.value;
      this.index = 0;
    }
    this.head();
  }

  take(): EngineEvent {
    const event = this.toEvent(this.rows[this.index++]!);
    this.head();
    return event;
  }

  private head(): void {
    const row = this.rows[this.index];
    this.ready = row !== undefined;
    if (row) {
      this.ts = Number(row.ts_recv);
      this.seq = Number(row.seq);
    }
  }

  async close(): Promise<void> {
    await this.pages.return();
  }
}

/** Opens the cursor of `table` on its own connection (several streaming results on one connection are not safe). */
export async function openCursor(connection: DuckDBConnection, table: StreamTable, rank: number, where: string): Promise<EventCursor> {
  switch (table) {
    case 'target_trades':
      return TradeCursor.open(connection, rank, where);
    case 'book_changes':
      return ChangeCursor.open(connection, rank, where);
    case 'trade_prints':
      return PrintCursor.open(connection, rank, where);
    case 'markets':
      return new RowCursor(rank, chunkPages(connection, table, where), rowToMarket);
    case 'book_snapshots':
      return new RowCursor(rank, chunkPages(connection, table, where), rowToSnapshot);
    case 'resolutions':
      return new RowCursor(rank, chunkPages(connection, table, where), rowToResolution);
  }
}
