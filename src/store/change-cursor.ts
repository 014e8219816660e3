/**
 * book_changes as columns. A recorded frame (one WS message) is several rows sharing `frame`; they
 * make one book_change event, also when the frame straddles two chunks.
 */
import type { DuckDBConnection, DuckDBDataChunk } from '@duckdb/node-api';
import type { BookLevelChange, EngineEvent } from '../core/events.ts';
import type { Side } from '../core/types.ts';
import { ColumnCursor, decode, num, open } from './column-cursor.ts';
import { doubles, ints, OrderCheck, storedRead, tempDictionary, type Chunks } from './column-reader.ts';
import { WindowSource } from './window-source.ts';

/** book_changes, as columns: consecutive rows of one frame make one event, also across chunks. */
export class ChangeCursor extends ColumnCursor {
  private tsEvent = new Float64Array(0);
  private frames = new Float64Array(0);
  private tokens = new Int32Array(0);
  private sides = new Int32Array(0);
  private prices = new Float64Array(0);
  private sizes = new Float64Array(0);
  /** Where the chunk's last frame starts: it may go on in the next chunk. */
  private lastFrameAt = 0;
  /** A frame that began at the end of the previous chunk. */
  private carry: { event: EngineEvent & { type: 'book_change' }; frame: number; seq: number } | undefined;

  constructor(
    rank: number,
    source: Chunks,
    private readonly tokenDict: string[],
    private readonly sideDict: string[],
    /** Set when rows are read as stored: each row is checked to come in replay order. */
    private readonly order: OrderCheck | undefined,
  ) {
    super(rank, source);
  }

  /**
   * A table stored in replay order (what the recorder writes) is scanned as stored: no sort, no window queries,
   * chunks streamed as DuckDB makes them (a materialized window's chunks are copies), every row checked as it is
   * handed out. Otherwise it is read in windows of ts_recv, each sorted (window-source.ts). `read: 'windows'`
   * forces the windowed read; `windowRows`: rows per window (tests use small ones).
   */
  static async open(
    connection: DuckDBConnection,
    rank: number,
    where: string,
    windowRows?: number,
    read: 'auto' | 'windows' = 'auto',
  ): Promise<ChangeCursor> {
    const frame = `COALESCE(CAST(t.frame AS DOUBLE), '-inf'::DOUBLE)`;
    const columns = (token: string, side: string) =>
      `${num('seq')}, ${num('ts_event')}, ${num('ts_recv')}, ${frame}, ${token}, ${side}, ${num('price_micros')}, ${num('size_micros')}`;
    if (read === 'auto') {
      const { dicts, codes } = await storedRead(connection, 'book_changes', ['token_id', 'side'], where);
      if (codes) {
        const source = await open(connection, `SELECT ${columns(codes[0]!, codes[1]!)} FROM book_changes t WHERE ${where}`);
        return new ChangeCursor(rank, source, dicts[0]!, dicts[1]!, new OrderCheck('book_changes'));
      }
    }
    const token = await tempDictionary(connection, 'book_changes', 'token_id', 'd0');
    const side = await tempDictionary(connection, 'book_changes', 'side', 'd1');
    // Read in windows of ts_recv (window-source.ts): no sort of the whole table before the first row.
    const source = await WindowSource.open(connection, {
      table: 'book_changes',
      where,
      windowRows,
      firstWindowRows: windowRows,
      sql: (w) => `SELECT ${columns(token.select, side.select)}
        FROM book_changes t ${token.join} ${side.join} WHERE ${w} ORDER BY t.ts_recv, t.seq`,
    });
    return new ChangeCursor(rank, source, token.dict, side.dict, undefined);
  }

  protected read(chunk: DuckDBDataChunk): void {
    this.tsEvent = doubles(chunk, 1);
    this.frames = doubles(chunk, 3);
    this.tokens = ints(chunk, 4);
    this.sides = ints(chunk, 5);
    this.prices = doubles(chunk, 6);
    this.sizes = doubles(chunk, 7);
    let at = this.count - 1;
    while (at > 0 && this.frames[at - 1] === this.frames[this.count - 1]) at--;
    this.lastFrameAt = at;
  }

  override async load(): Promise<void> {
    for (;;) {
      if (this.carry) {
        this.ts = this.carry.event.tsRecv;
        this.seq = this.carry.seq;
        this.ready = true;
        return;
      }
      if (this.index < this.lastFrameAt) return this.head();
      if (this.index < this.count) {
        // The chunk's last frame: keep its rows and read on while the next chunks continue it.
        const frame = this.frames[this.index]!;
        const carry = { event: this.frameFrom(this.count), frame, seq: this.seqs[this.index]! };
        const changes = carry.event.changes;
        while (await this.fetch()) {
          while (this.index < this.count && this.frames[this.index] === frame) changes.push(this.change(this.index++));
          if (this.index < this.count) break;
        }
        this.carry = carry;
        continue;
      }
      if (!(await this.fetch())) {
        this.ready = false;
        this.ended = true;
        return;
      }
    }
  }

  /** Reads the next chunk; false (and nothing left) at the end. */
  private async fetch(): Promise<boolean> {
    const chunk = await this.source.next();
    this.index = 0;
    this.chunk = chunk;
    if (!chunk) {
      this.count = this.lastFrameAt = 0;
      return false;
    }
    this.count = chunk.rowCount;
    this.tsRecv = doubles(chunk, 2);
    this.seqs = doubles(chunk, 0);
    this.read(chunk);
    return true;
  }

  /** Ready while a whole frame is in the chunk; the chunk's last frame waits for load(). */
  protected override head(): void {
    this.ready = this.index < this.lastFrameAt;
    if (this.ready) {
      this.ts = this.tsRecv[this.index]!;
      this.seq = this.seqs[this.index]!;
    }
  }

  take(): EngineEvent {
    if (this.carry) {
      const { event } = this.carry;
      this.carry = undefined;
      this.head();
      return event;
    }
    let end = this.index + 1;
    const frame = this.frames[this.index];
    while (end < this.lastFrameAt && this.frames[end] === frame) end++;
    const event = this.frameFrom(end);
    this.head();
    return event;
  }

  /** The event of the frame starting at `index`, with its rows up to `end` (index moves to end). */
  private frameFrom(end: number): EngineEvent & { type: 'book_change' } {
    const i = this.index;
    // Sized to the frame: an array grown by push holds room for 16 changes (a frame has two or three).
    const changes = new Array<BookLevelChange>(end - i);
    for (let k = i; k < end; k++) changes[k - i] = this.change(k);
    this.index = end;
    return {
      type: 'book_change',
      tsEvent: this.tsEvent[i]!,
      tsRecv: this.tsRecv[i]!,
      tokenId: decode(this.tokenDict, this.tokens[i]!, 'null'),
      changes,
    };
  }

  private change(k: number): BookLevelChange {
    this.order?.next(this.tsRecv[k]!, this.seqs[k]!);
    const side = this.sides[k]!;
    return { side: (side < 0 ? null : this.sideDict[side]) as Side, priceMicros: this.prices[k]!, sizeMicros: this.sizes[k]! };
  }
}
