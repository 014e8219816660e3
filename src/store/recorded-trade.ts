/**
 * Target trades as the replay stream makes them: every field read from the chunk's typed arrays and
 * dictionaries at once, except the two long strings unique to a row — the dedup key and the transaction
 * hash — which stay in the DuckDB chunk until something reads them. In a replay that is the trades of
 * followed wallets (their key names the decisions); dedup goes by key code, and a wallet nobody follows
 * is only a print, so most keys are never decoded (a native call and a copy each).
 *
 * Read or not, each equals what event-rows.ts makes of the row. The lazy fields are getters on the
 * prototype, so a spread copy (`{ ...trade }`) would lose `txHash`: the stream hands these out only
 * while its trades carry key codes, where dedup keeps events whole (src/core/dedup.ts), and `toJSON`
 * gives the plain event.
 */
import type { DuckDBDataChunk } from '@duckdb/node-api';
import type { TargetTradeSeen } from '../core/events.ts';
import type { Side, SourceName, TargetTrade } from '../core/types.ts';

interface Column<T> {
  getItem(i: number): T | null;
}

/** One chunk's dedup keys and transaction hashes, decoded row by row when asked. */
export class ChunkStrings {
  constructor(
    /**
     * Held while a trade of the chunk may still read: the vectors point into the chunk's native memory, which
     * DuckDB frees when the chunk object is collected.
     */
    readonly chunk: DuckDBDataChunk,
    readonly keys: Column<string>,
    /** The tx hash, NULL where the key starts with it (`<tx>:…`: cut from the key instead). */
    readonly txs: Column<string>,
    readonly txInKey: Column<boolean>,
  ) {}
}

export class RecordedTrade implements TargetTrade {
  declare outcomeIndex?: number;
  declare slug?: string;
  declare eventSlug?: string;
  declare title?: string;
  #strings: ChunkStrings | undefined;
  readonly #row: number;
  /** undefined: not read yet; null: the key is NULL. */
  #key: string | null | undefined;
  #tx = '';

  constructor(
    public wallet: string,
    public tokenId: string,
    public conditionId: string,
    public side: Side,
    public sizeMicros: number,
    public priceMicros: number,
    public usdcMicros: number,
    public outcome: string,
    strings: ChunkStrings,
    row: number,
  ) {
    this.#strings = strings;
    this.#row = row;
  }

  get txHash(): string {
    // `#key in this`: read through the prototype (a deep-equality walk), not a trade, there is nothing to read.
    if (!(#key in this)) return undefined as unknown as string;
    if (this.#key === undefined) this.#read();
    return this.#tx;
  }

  /** The dedup key; undefined when the row has none. */
  dedupKey(): string | undefined {
    if (this.#key === undefined) this.#read();
    return this.#key ?? undefined;
  }

  /** Both strings at once (the hash is usually cut from the key), then the chunk is let go. Private fields stay writable on a frozen trade. */
  #read(): void {
    const s = this.#strings!;
    const i = this.#row;
    const key = s.keys.getItem(i);
    this.#tx = s.txInKey.getItem(i) ? key!.slice(0, key!.indexOf(':')) : String(s.txs.getItem(i));
    this.#key = key;
    this.#strings = undefined;
  }

  toJSON(): TargetTrade {
    const t: TargetTrade = {
      wallet: this.wallet,
      txHash: this.txHash,
      tokenId: this.tokenId,
      conditionId: this.conditionId,
      side: this.side,
      sizeMicros: this.sizeMicros,
      priceMicros: this.priceMicros,
      usdcMicros: this.usdcMicros,
      outcome: this.outcome,
    };
    if (this.outcomeIndex !== undefined) t.outcomeIndex = this.outcomeIndex;
    if (this.slug !== undefined) t.slug = this.slug;
    if (this.eventSlug !== undefined) t.eventSlug = this.eventSlug;
    if (this.title !== undefined) t.title = this.title;
    return t;
  }
}

export class RecordedTradeSeen implements TargetTradeSeen {
  readonly type = 'target_trade';
  declare keyCode?: number;

  constructor(
    public tsEvent: number,
    public tsRecv: number,
    public source: SourceName,
    public seq: number,
    public trade: RecordedTrade,
  ) {}

  get key(): string | undefined {
    return this.trade.dedupKey();
  }

  /** Every key of the recording is set while the stream hands these out (NULL keys: plain events, event-cursors.ts). */
  get hasKey(): boolean {
    return true;
  }

  /** The plain event, every field read. */
  toJSON(): TargetTradeSeen {
    const e: TargetTradeSeen = {
      type: 'target_trade',
      tsEvent: this.tsEvent,
      tsRecv: this.tsRecv,
      source: this.source,
      seq: this.seq,
      trade: this.trade.toJSON(),
    };
    const key = this.key;
    if (key !== undefined) e.key = key;
    if (this.keyCode !== undefined) e.keyCode = this.keyCode;
    return e;
  }
}
