/**
 * The shared part of the columnar event cursors: the cursor contract the merge in event-stream.ts
 * reads, and a base that walks one streamed result chunk by chunk over typed arrays.
 */
import type { DuckDBConnection, DuckDBDataChunk } from '@duckdb/node-api';
import type { EngineEvent } from '../core/events.ts';
import { ChunkSource, dictionaryCode, doubles, readDictionary, type Chunks } from './column-reader.ts';

export interface EventCursor {
  /** Order among tables at equal ts_recv (markets first, resolutions last). */
  readonly rank: number;
  /** ts_recv and seq of the next event (while `ready`). */
  ts: number;
  seq: number;
  /** The next event can be taken now. */
  ready: boolean;
  /** Nothing more will come. */
  ended: boolean;
  /** Reads ahead until `ready` or `ended`. */
  load(): Promise<void>;
  take(): EngineEvent;
  close(): Promise<void>;
}

/** `COALESCE(CAST(x AS DOUBLE), 0)`: a BIGINT as an exact double, NULL as 0 (as Number(null) reads it). */
export const num = (column: string) => `COALESCE(CAST(t.${column} AS DOUBLE), 0)`;

export async function open(connection: DuckDBConnection, sql: string): Promise<ChunkSource> {
  return new ChunkSource(await connection.stream(sql));
}

/** Dictionaries of several columns of a table, and the joins and selects that code them. */
export async function coded(connection: DuckDBConnection, table: string, columns: string[]) {
  const dicts: string[][] = [];
  const joins: string[] = [];
  const selects: string[] = [];
  for (const [i, column] of columns.entries()) {
    dicts.push(await readDictionary(connection, table, column));
    const { join, select } = dictionaryCode(table, column, `d${i}`);
    joins.push(join);
    selects.push(select);
  }
  return { dicts, joins: joins.join(' '), selects };
}

/** Code → string, NULL (-1) as `onNull`. */
export function decode(dict: string[], code: number, onNull: string): string {
  return code < 0 ? onNull : dict[code]!;
}

export abstract class ColumnCursor implements EventCursor {
  ts = 0;
  seq = 0;
  ready = false;
  ended = false;
  protected index = 0;
  protected count = 0;
  protected tsRecv: Float64Array = new Float64Array(0);
  protected seqs: Float64Array = new Float64Array(0);
  /**
   * The chunk the typed arrays and string vectors above view. Held while they are read: they point into its
   * native memory (strings longer than 12 bytes into its string heap), which DuckDB frees once the chunk
   * object is collected, so a collected chunk's vectors read freed memory (wrong keys, other rows' strings).
   */
  protected chunk: DuckDBDataChunk | undefined;

  constructor(
    readonly rank: number,
    protected readonly source: Chunks,
  ) {}

  protected abstract read(chunk: DuckDBDataChunk): void;
  abstract take(): EngineEvent;

  async load(): Promise<void> {
    while (this.index >= this.count) {
      const chunk = await this.source.next();
      if (!chunk) {
        this.ready = false;
        this.ended = true;
        return;
      }
      this.chunk = chunk;
      this.index = 0;
      this.count = chunk.rowCount;
      this.tsRecv = doubles(chunk, 2);
      this.seqs = doubles(chunk, 0);
      this.read(chunk);
    }
    this.head();
  }

  protected head(): void {
    if (this.index < this.count) {
      this.ts = this.tsRecv[this.index]!;
      this.seq = this.seqs[this.index]!;
      this.ready = true;
    } else this.ready = false;
  }

  async close(): Promise<void> {
    await this.source.close?.();
  }
}
