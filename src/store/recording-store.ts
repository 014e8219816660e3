/**
 * One recording = one DuckDB file (through `@duckdb/node-api`). Live/paper sessions append what
 * they see; import writes history; replay streams it back in time order; runs write their
 * decisions, orders, fills and equity next to it. Tables and columns: docs/recordings.md.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { ConfigError } from '../core/errors.ts';
import type { EngineEvent } from '../core/events.ts';
import { BatchWriter } from './batch-writer.ts';
import { isLockConflict, openFromSnapshot, type Snapshot } from './snapshot-open.ts';
import { streamEvents, type EventFilter, type StreamOptions } from './event-stream.ts';
import { tableCounts, timeRange, tradesAroundSplit, walletStats, type WalletStat } from './recording-queries.ts';
import {
  RunRecorder,
  fillsHash,
  getRun,
  listRuns,
  readDecisions,
  readEquity,
  readFills,
  readOrders,
  writeRun,
  type RunInfo,
} from './run-store.ts';
import type { Decision, EquityPoint } from '../core/ports.ts';
import type { Fill } from '../core/types.ts';
import { isRecorded, marketRow, printRow, resolutionRow, snapshotRow, tradeRow, type Row } from './event-rows.ts';
import { FORMAT_VERSION, LATER_TABLES, SEQ_TABLES, TABLE_NAMES, createTableSql, toRow, type RowValue, type TableName } from './schema.ts';

async function queryRows(connection: DuckDBConnection, sql: string, params: DuckDBValue[]): Promise<Row[]> {
  const reader = await connection.runAndReadAll(sql, params);
  return reader.getRowObjectsJS().map((r) => {
    const out: Row = {};
    for (const [k, v] of Object.entries(r)) out[k] = typeof v === 'bigint' ? Number(v) : v;
    return out;
  });
}

export interface OpenOptions {
  readOnly?: boolean;
  /**
   * Read-only opens: DuckDB's memory cap, in DuckDB's notation ("512MB", "1GB"); what it cannot hold it spills
   * to a temp folder of this open's own. Default: sized to the recording (`readMemoryMb`);
   * POLYTAIL_READ_MEMORY_LIMIT overrides the default.
   */
  memoryLimit?: string;
  /** Rows buffered before the writer flushes on its own. Default 5,000. */
  batchRows?: number;
}

/** Extra facts stored with an event (raw wire text, where it came from). */
export interface AppendOptions {
  raw?: string;
  source?: string;
  /** For markets: the row was inferred from trades, not read from market metadata. */
  inferred?: boolean;
}

/** A redemption as stored (`redeems` table; docs/recordings.md). */
export interface RedeemRow {
  redeemId: string;
  tsMs: number;
  conditionId: string;
  negRisk: boolean;
  holder: string;
  txHash: string;
  ok: boolean;
  payoutMicros: number;
  via: string;
}

export class RecordingStore {
  readonly writer: BatchWriter;
  private seqs = new Map<TableName, number>();
  private frames = 0;
  private closed = false;
  /** Set when a reader met a writer's lock and reads a copy (removed on close). */
  private snapshot?: Snapshot;
  /** Read-only opens: the temp folder DuckDB spills into beyond its memory cap (removed on close). */
  private spill?: { path: string; remove(): void };
  private readonly sideConnections: DuckDBConnection[] = [];
  /** Writes on side connections not yet done (see `closeAfter`): `close()` waits for them. */
  private readonly sideWork = new Set<Promise<void>>();

  private constructor(
    readonly path: string,
    private readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
    /**
     * The batch writer's own connection. Its transaction stays open across event-loop turns while a
     * batch is staged; on a shared connection a `meta` or `runs` write made meanwhile would join that
     * transaction — invisible to other readers until the batch commits, and lost with it on a crash or
     * a rollback, although its caller was told it was written.
     */
    private readonly writerConnection: DuckDBConnection,
    readonly readOnly: boolean,
    batchRows?: number,
  ) {
    this.writer = new BatchWriter(writerConnection, { batchRows });
  }

  /**
   * Opens (or creates) a recording. Read-only opens never change the file and fail if it does not
   * exist; when a writer holds the file they read a snapshot of it instead of failing or waiting.
   * A DuckDB file that is not a polytail recording is refused before anything is written to it.
   */
  static async open(path: string, options: OpenOptions = {}): Promise<RecordingStore> {
    const readOnly = options.readOnly ?? false;
    // Checked before DuckDB sees it: a size it cannot read would fail the open as if the recording were bad.
    const envLimit = readOnly ? envMemoryLimit() : undefined;
    const create = async (file: string) => {
      const spill = readOnly ? spillDir() : undefined;
      let instance: DuckDBInstance;
      try {
        instance = await DuckDBInstance.create(file, spill ? readOptions(spill.path, options.memoryLimit ?? envLimit) : {});
      } catch (err) {
        spill?.remove();
        throw err;
      }
      try {
        const connection = await instance.connect();
        // Read-only opens never write: their writer is never used and needs no connection of its own.
        const writerConnection = readOnly ? connection : await instance.connect();
        const store = new RecordingStore(path, instance, connection, writerConnection, readOnly, options.batchRows);
        store.spill = spill;
        try {
          await store.init();
          if (spill && options.memoryLimit === undefined && envLimit === undefined)
            await connection.run(`SET memory_limit = '${readMemoryMb(await store.counts())}MB'`);
        } catch (err) {
          if (writerConnection !== connection) writerConnection.closeSync();
          connection.closeSync();
          throw err;
        }
        return store;
      } catch (err) {
        instance.closeSync();
        spill?.remove();
        throw err;
      }
    };
    try {
      return await create(path);
    } catch (err) {
      if (err instanceof NotARecordingError) throw err;
      if (readOnly && isLockConflict(err)) {
        const { value, snapshot } = await openFromSnapshot(path, create).catch((e: Error) => {
          throw new Error(`cannot open recording ${path}: ${e.message}`);
        });
        value.snapshot = snapshot;
        return value;
      }
      throw new Error(`cannot open recording ${path}: ${(err as Error).message}`);
    }
  }

  private async init(): Promise<void> {
    const existing = new Set((await this.query(`SELECT table_name FROM information_schema.tables`)).map((r) => String(r.table_name)));
    // Tables but no polytail meta: someone else's database. Refuse before creating anything in it.
    if (existing.size > 0 && !existing.has('meta')) {
      const names = [...existing].slice(0, 6).join(', ');
      throw new NotARecordingError(
        `${this.path} is a DuckDB database but not a polytail recording (its tables: ${names}${existing.size > 6 ? ', …' : ''}); nothing was written to it`,
      );
    }
    if (!this.readOnly) for (const t of TABLE_NAMES) await this.connection.run(createTableSql(t));
    const tables = this.readOnly
      ? existing
      : new Set((await this.query(`SELECT table_name FROM information_schema.tables`)).map((r) => String(r.table_name)));
    const missing = TABLE_NAMES.filter((t) => !tables.has(t) && !LATER_TABLES.has(t));
    if (missing.length > 0)
      throw new NotARecordingError(`${this.path} is not a polytail recording (missing tables: ${missing.join(', ')})`);
    const version = await this.getMeta('format_version');
    if (version === undefined && !this.readOnly) await this.setMeta('format_version', String(FORMAT_VERSION));
    else if (version !== undefined && Number(version) > FORMAT_VERSION) {
      throw new Error(`${this.path} has recording format ${version}; this polytail reads up to ${FORMAT_VERSION}. Upgrade polytail.`);
    }
    for (const t of SEQ_TABLES) {
      if (!tables.has(t)) continue;
      const [row] = await this.query(`SELECT COALESCE(MAX(seq), 0) AS m FROM ${t}`);
      this.seqs.set(t, Number(row!.m));
    }
    const [f] = await this.query(`SELECT COALESCE(MAX(frame), 0) AS m FROM book_changes`);
    this.frames = Number(f!.m);
  }

  /** Runs SQL and returns plain row objects (BIGINT → number, exact below 2^53). */
  query(sql: string, params: DuckDBValue[] = []): Promise<Row[]> {
    return queryRows(this.connection, sql, params);
  }

  /**
   * A connection of its own for a reader that runs while the session appends (the control API), so its
   * queries never wait behind the store's own reads and writes. Closed with the store.
   */
  async sideConnection(): Promise<{ query(sql: string, params?: DuckDBValue[]): Promise<Row[]> }> {
    this.assertWritable();
    const connection = await this.instance.connect();
    this.sideConnections.push(connection);
    return { query: (sql, params = []) => queryRows(connection, sql, params) };
  }

  /**
   * Makes `close()` wait for `work`, a write on a side connection that was asked for before the store
   * closed (a run's status, a member's entry): otherwise closing would cut it off and it would be lost.
   */
  closeAfter(work: Promise<unknown>): void {
    const done = work.then(
      () => undefined,
      () => undefined,
    );
    this.sideWork.add(done);
    void done.then(() => this.sideWork.delete(done));
  }

  async getMeta(key: string): Promise<string | undefined> {
    const rows = await this.query(`SELECT value FROM meta WHERE key = ?`, [key]);
    return rows.length > 0 ? String(rows[rows.length - 1]!.value) : undefined;
  }

  async setMeta(key: string, value: string): Promise<void> {
    this.assertWritable();
    await this.connection.run(`DELETE FROM meta WHERE key = ?`, [key]);
    await this.connection.run(`INSERT INTO meta VALUES (?, ?)`, [key, value]);
  }

  /** Queues a row for `table`; `seq` is assigned here for tables that have one. Returns the seq. */
  add(table: TableName, values: Record<string, RowValue>): number {
    this.assertWritable();
    let seq = 0;
    if (this.seqs.has(table)) {
      seq = this.seqs.get(table)! + 1;
      this.seqs.set(table, seq);
      values = { ...values, seq };
    }
    this.writer.add(table, toRow(table, values));
    return seq;
  }

  /**
   * One redemption whose outcome is known (mined or reverted). The redeem journal books each once, and
   * a row already stored under the same id (a crash between this write and the journal's booking) is
   * not written again.
   */
  async appendRedeem(runId: string, r: RedeemRow): Promise<void> {
    await this.flush();
    const have = await this.query(`SELECT 1 FROM redeems WHERE redeem_id = ?`, [r.redeemId]);
    if (have.length > 0) return;
    this.add('redeems', {
      run_id: runId,
      redeem_id: r.redeemId,
      ts_ms: r.tsMs,
      condition_id: r.conditionId,
      neg_risk: r.negRisk,
      holder: r.holder,
      tx_hash: r.txHash,
      ok: r.ok,
      payout_micros: r.payoutMicros,
      via: r.via,
    });
    await this.flush();
  }

  /** Records a market-data or target-trade event (order events and timers are ignored: runs hold those). */
  appendEvent(event: EngineEvent, options: AppendOptions = {}): void {
    if (!isRecorded(event)) return;
    switch (event.type) {
      case 'market':
        this.add('markets', marketRow(event.market, event, options));
        return;
      case 'target_trade':
        this.add('target_trades', tradeRow(event, options.raw));
        return;
      case 'book_snapshot':
        this.add('book_snapshots', snapshotRow(event));
        return;
      case 'book_change': {
        const frame = ++this.frames;
        for (const c of event.changes) {
          this.add('book_changes', {
            ts_event: event.tsEvent,
            ts_recv: event.tsRecv,
            frame,
            token_id: event.tokenId,
            side: c.side,
            price_micros: c.priceMicros,
            size_micros: c.sizeMicros,
          });
        }
        return;
      }
      case 'trade_print':
        this.add('trade_prints', printRow(event, options.source));
        return;
      case 'market_resolved':
        this.add('resolutions', resolutionRow(event, options.source));
        return;
    }
  }

  /** Events in time order (ts_recv, kind, seq), in batches, paged from disk. Call flush() first if writing. */
  streamEvents(filter: EventFilter = {}, options: StreamOptions = {}): AsyncGenerator<EngineEvent[]> {
    return streamEvents(this.instance, filter, options);
  }

  walletStats(limit?: number): Promise<WalletStat[]> {
    return walletStats(this, limit);
  }

  tradesAroundSplit(wallets: readonly string[], splitMs: number): ReturnType<typeof tradesAroundSplit> {
    return tradesAroundSplit(this, wallets, splitMs);
  }

  counts(): ReturnType<typeof tableCounts> {
    return tableCounts(this);
  }

  timeRange(): ReturnType<typeof timeRange> {
    return timeRange(this);
  }

  /** Inserts (or replaces) a run's header row. */
  writeRun(run: RunInfo): Promise<void> {
    this.assertWritable();
    return writeRun(this, run);
  }

  /** An EngineListener that appends a run's decisions, order events, fills and equity. */
  runRecorder(runId: string, options: { recordEvents?: boolean; handledAt?: () => number } = {}): RunRecorder {
    this.assertWritable();
    return new RunRecorder(this, runId, options.recordEvents ?? false, options.handledAt);
  }

  listRuns(): Promise<RunInfo[]> {
    return listRuns(this);
  }

  getRun(runId: string): Promise<RunInfo | undefined> {
    return getRun(this, runId);
  }

  readDecisions(runId: string): Promise<Decision[]> {
    return readDecisions(this, runId);
  }

  readOrders(runId: string): Promise<Row[]> {
    return readOrders(this, runId);
  }

  readFills(runId: string): Promise<Fill[]> {
    return readFills(this, runId);
  }

  readEquity(runId: string): Promise<EquityPoint[]> {
    return readEquity(this, runId);
  }

  /** sha256 over the run's fills in canonical order (see run-store.ts). */
  fillsHash(runId: string): Promise<string> {
    return fillsHash(this, runId);
  }

  /** Writes and commits every queued row. */
  flush(): Promise<void> {
    return this.writer.flush();
  }

  /** Live sessions: flush at least every `ms` (default 1 s). */
  startAutoFlush(ms = 1000): void {
    this.writer.startAutoFlush(ms);
  }

  /** Flushes, checkpoints (so no .wal is left next to the file) and closes. Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    // Side writes asked for before this call land first, with any they queue meanwhile.
    while (this.sideWork.size > 0) await Promise.all(this.sideWork);
    if (this.closed) return;
    this.closed = true;
    try {
      if (!this.readOnly) {
        await this.writer.close();
        await this.connection.run('CHECKPOINT');
      }
    } finally {
      for (const c of this.sideConnections) c.closeSync();
      if (this.writerConnection !== this.connection) this.writerConnection.closeSync();
      this.connection.closeSync();
      this.instance.closeSync();
      this.spill?.remove();
      this.snapshot?.remove();
    }
  }

  /** True when this reader is looking at a copy because a writer held the file. */
  get isSnapshot(): boolean {
    return this.snapshot !== undefined;
  }

  private assertWritable(): void {
    if (this.readOnly) throw new Error(`${this.path} is open read-only`);
    if (this.closed) throw new Error(`${this.path} is closed`);
  }
}

/** POLYTAIL_READ_MEMORY_LIMIT, checked (DuckDB answers a size it cannot read with "Failed to set config"). Empty is unset. */
function envMemoryLimit(): string | undefined {
  const value = process.env.POLYTAIL_READ_MEMORY_LIMIT?.trim();
  if (!value) return undefined;
  if (!/^\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KIB|MIB|GIB|TIB)$/i.test(value))
    throw new ConfigError(
      `POLYTAIL_READ_MEMORY_LIMIT=${value}: expected a size such as 512MB or 2GB (DuckDB's memory cap for reading a recording)`,
    );
  return value;
}

/** DuckDB's read cap until the recording's size is known (opening reads little). */
const READ_MEMORY_LIMIT = '256MB';

/**
 * The read cap for a recording of these table sizes. The replay stream sorts a busy table whole before its first
 * row only when it is not stored in time order (target trades, prints; recordings are written in order, and then
 * they are scanned as stored: column-reader.ts `orderedRead`), and DuckDB fails (rather than spills) when those
 * sorts do not fit. Book changes are never sorted whole — scanned as stored, or sorted a window of ~200k rows at a
 * time (window-source.ts) — so their count adds nothing. 256 MB holds a million target trades (with their dedup
 * keys); a bigger recording gets 256 bytes per trade and 48 per print.
 */
export function readMemoryMb(counts: Partial<Record<string, number>>): number {
  const bytes = 256 * (counts.target_trades ?? 0) + 48 * (counts.trade_prints ?? 0);
  return Math.max(256, Math.ceil(bytes / 1e6));
}

/**
 * A temp folder of this open's own for DuckDB to spill into. Without one DuckDB spills next to the file
 * (`<recording>.tmp`), and two instances reading one recording in one process (sweep workers) then share it
 * and crash.
 */
function spillDir(): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), 'polytail-duckdb-'));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

function readOptions(tempDirectory: string, memoryLimit?: string): Record<string, string> {
  return {
    access_mode: 'READ_ONLY',
    memory_limit: memoryLimit ?? READ_MEMORY_LIMIT,
    temp_directory: tempDirectory,
  };
}

/** The file is a DuckDB database, but not one polytail made. */
export class NotARecordingError extends Error {
  override name = 'NotARecordingError';
}
