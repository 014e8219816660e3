/**
 * Replay throughput on a million-trade recording (four wallets, a quarter copied), against baselines
 * over the same rows:
 * - `duckdb_native_rows_per_s`: DuckDB's own aggregate over the columns events need (no rows leave DuckDB);
 * - `duckdb_columnar_rows_per_s`: an ordered stream of the five numbers and three strings the issue named
 *   (seq, times, size, price; wallet, token, side) into JS, chunk by chunk, as typed arrays and
 *   dictionary codes, with no events made;
 * - `duckdb_event_columns_rows_per_s`: the replay's own trade query — all the columns an event carries,
 *   its dedup key and transaction hash among them — drained the same way, under the same 256 MB cap as the
 *   baselines: what that query costs. `event_columns_vs_columnar` is its share of the columnar read. (Not a
 *   hard bound on the stream: the replay's store opens with its own memory cap, and the stream has come out
 *   faster than this read in some runs.)
 * `stream_events_per_s` is the replay stream alone (events made, no engine); `replay_events_per_s` the
 * real replay path (runReplay, mirror strategy, nothing saved); `replay_vs_columnar` the share of the
 * columnar read speed that survives merging, event making and the engine.
 * `replay_engine_only_events_per_s` is the other side: the same replay's engine over events already in
 * memory (no read at all), best of three. No replay of these copies, in any recording format, can beat it,
 * so `replay_vs_columnar_ceiling` (it over the columnar read) is as far as `replay_vs_columnar` can go.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { parseConfig } from '../src/config/config.ts';
import type { EngineEvent } from '../src/core/events.ts';
import { runReplay } from '../src/modes/replay.ts';
import { resolveFillModel, runSession } from '../src/modes/replay-session.ts';
import { dictionaryCode, doubles, ints } from '../src/store/column-reader.ts';
import { TRADE_SIZE_COLUMN, tradeCodeColumn, tradeEventsQuery } from '../src/store/event-cursors.ts';
import { RecordingStore } from '../src/store/index.ts';
import { median, note, round, rssSampler, seconds } from './lib/measure.ts';
import { bookSyntheticRecording, syntheticRecording } from './lib/synthetic-recording.ts';

const NUMBERS = ['seq', 'ts_event', 'ts_recv', 'size_micros', 'price_micros'];
const CODED = ['wallet', 'token_id', 'side'];

/** A read-only instance under the same memory cap as the store's read-only opens (so RSS compares like with like). */
async function withConnection<T>(path: string, body: (c: Awaited<ReturnType<DuckDBInstance['connect']>>) => Promise<T>): Promise<T> {
  const spill = mkdtempSync(join(tmpdir(), 'polytail-bench-duckdb-'));
  const instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY', memory_limit: '256MB', temp_directory: spill });
  const connection = await instance.connect();
  try {
    return await body(connection);
  } finally {
    connection.closeSync();
    instance.closeSync();
    rmSync(spill, { recursive: true, force: true });
  }
}

/** DuckDB aggregating the event columns itself: the ceiling of any read. */
export async function nativeAggregate(path: string): Promise<{ rows: number; seconds: number }> {
  return withConnection(path, async (connection) => {
    const start = process.hrtime.bigint();
    const sums = NUMBERS.map((c) => `sum(${c})`).join(', ');
    const reader = await connection.runAndReadAll(
      `SELECT count(*), ${sums}, count(DISTINCT wallet), count(DISTINCT token_id), count(DISTINCT side) FROM target_trades`,
    );
    const rows = Number(reader.getRows()[0]![0]);
    return { rows, seconds: seconds(start) };
  });
}

/** The columns events need, in time order, into JS typed arrays chunk by chunk (strings as dictionary codes). */
export async function columnarRead(path: string): Promise<{ rows: number; seconds: number }> {
  return withConnection(path, async (connection) => {
    const start = process.hrtime.bigint();
    const codes = CODED.map((c, i) => dictionaryCode('target_trades', c, `d${i}`));
    const sql = `SELECT ${NUMBERS.map((c) => `CAST(t.${c} AS DOUBLE)`).join(', ')}, ${codes.map((c) => c.select).join(', ')}
      FROM target_trades t ${codes.map((c) => c.join).join(' ')} ORDER BY t.ts_recv, t.seq`;
    const rows = await drain(connection, sql, 3, NUMBERS.length + 1);
    return { rows, seconds: seconds(start) };
  });
}

/**
 * Streams `sql` chunk by chunk and sums two of its columns (a size as DOUBLE, a dictionary code as INTEGER)
 * into JS, the least a reader of the rows does; the row count.
 */
async function drain(connection: DuckDBConnection, sql: string, sizeColumn: number, codeColumn: number): Promise<number> {
  const result = await connection.stream(sql);
  let rows = 0;
  let checksum = 0;
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const size = doubles(chunk, sizeColumn);
    const code = ints(chunk, codeColumn);
    for (let i = 0; i < chunk.rowCount; i++) checksum += size[i]! + code[i]!;
    rows += chunk.rowCount;
  }
  if (!(checksum > 0)) throw new Error(`bench: a drained read saw no sizes (${sql.slice(0, 80)}…)`);
  return rows;
}

/**
 * The replay's own target_trades query — every column an event carries (its strings coded, the dedup key and
 * transaction hash as stored) — drained chunk by chunk with no event made, in the baselines' instance. Its
 * set-up (dictionaries, the stored-order check, key codes) is timed apart.
 */
export async function eventColumnsRead(path: string): Promise<{ rows: number; seconds: number; setupSeconds: number }> {
  return withConnection(path, async (connection) => {
    const start = process.hrtime.bigint();
    const { sql } = await tradeEventsQuery(connection, 'TRUE');
    const setupSeconds = seconds(start);
    const drained = process.hrtime.bigint();
    // The same two columns the columnar read sums: the size and the token's code.
    const rows = await drain(connection, sql, TRADE_SIZE_COLUMN, tradeCodeColumn('token_id'));
    return { rows, seconds: seconds(drained), setupSeconds };
  });
}

/** The replay stream alone: every event made, nothing handled. */
export async function streamOnly(path: string): Promise<{ events: number; seconds: number }> {
  const store = await RecordingStore.open(path, { readOnly: true });
  try {
    const start = process.hrtime.bigint();
    let events = 0;
    for await (const batch of store.streamEvents()) events += batch.length;
    return { events, seconds: seconds(start) };
  } finally {
    await store.close();
  }
}

/** The replay the bench times: mirror × 0.5 on one wallet, $1B of cash, orders up to $100k. */
const replayConfig = (fillModel: 'target-price' | 'book-walk') =>
  parseConfig({ startingCashUsdc: 1_000_000_000, fillModel, risk: { maxOrderUsdc: 100_000 } });
const REPLAY_OVERRIDES = { strategy: 'mirror', multiplier: 0.5 } as const;

export async function replayOnce(
  path: string,
  wallet: string,
  fillModel: 'target-price' | 'book-walk' = 'target-price',
): Promise<{ events: number; seconds: number; rssMb: number; heapMb: number; copies: number }> {
  const config = replayConfig(fillModel);
  const rss = rssSampler();
  const start = process.hrtime.bigint();
  const { summary, engine } = await runReplay({
    recording: path,
    config,
    targets: [wallet],
    ...REPLAY_OVERRIDES,
    save: false,
  });
  const s = seconds(start);
  return {
    events: engine.stats.events,
    seconds: s,
    rssMb: rss.stop(),
    heapMb: Math.round(process.memoryUsage().heapUsed / 1e6),
    copies: summary.copies.filled,
  };
}

const rate = (n: number, s: number) => Math.round(n / s);

/**
 * The same replay's engine with no read at all: every event of the recording is read into memory first,
 * then the session the replay runs (same config, targets, fill model and start) is timed over them, `runs`
 * times in one process. Its best rate is what the replay could reach if reading and decoding cost nothing,
 * so the best over the columnar read bounds `replay_vs_columnar` whatever the recording's format. The
 * copies must equal the replay's (checked by the caller), or the figure is not of the same work.
 */
export async function engineOnlyRuns(
  path: string,
  wallet: string,
  runs = 3,
): Promise<{ events: number; bestSeconds: number; medianSeconds: number; copies: number }> {
  const store = await RecordingStore.open(path, { readOnly: true });
  const batches: EngineEvent[][] = [];
  let startMs: number;
  let hasBooks: boolean;
  try {
    const counts = await store.counts();
    hasBooks = counts.book_snapshots + counts.book_changes > 0;
    startMs = (await store.timeRange())?.fromMs ?? 0;
    for await (const batch of store.streamEvents()) batches.push(batch);
  } finally {
    await store.close();
  }
  const config = replayConfig('target-price');
  const times: number[] = [];
  let events = 0;
  let copies = 0;
  for (let r = 0; r < runs; r++) {
    const start = process.hrtime.bigint();
    const { summary, engine } = await runSession({
      config,
      overrides: { targets: [wallet.toLowerCase()], ...REPLAY_OVERRIDES },
      events: batches,
      fillModel: resolveFillModel(config.fillModel, hasBooks),
      startMs,
      runId: `engine-only-${r + 1}`,
    });
    times.push(seconds(start));
    events = engine.stats.events;
    copies = summary.copies.filled;
  }
  return { events, bestSeconds: Math.min(...times), medianSeconds: median(times), copies };
}

const CHILD = fileURLToPath(new URL('./lib/replay-child.ts', import.meta.url));

/** bench/lib/replay-child.ts with `args`: its last line of output, as JSON. */
async function inChild<T>(...args: string[]): Promise<T> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', CHILD, ...args], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split('\n').pop()!) as T;
}

/** `replayOnce` in a fresh process, so its peak RSS is the replay's own. */
function replayInChild(
  path: string,
  wallet: string,
  fillModel: 'target-price' | 'book-walk' = 'target-price',
): Promise<{ events: number; seconds: number; rssMb: number; rssBeforeMb: number; heapMb: number; copies: number }> {
  return inChild(path, wallet, fillModel);
}

/** `engineOnlyRuns` in a fresh process: a million events held in memory are left behind by none of the others. */
function engineOnlyInChild(path: string, wallet: string): ReturnType<typeof engineOnlyRuns> {
  return inChild(path, wallet, 'engine-only');
}

/**
 * The million-trade replay (2.5–6 s here now) and the baselines run three times each and report medians:
 * one replay alone moved by half between two runs on the same host. BENCH_REPLAY_RUNS sets the replay's
 * runs; BENCH_REPLAY_1M=0 skips the million-trade part (the book replay alone).
 */
export async function benchReplay(
  replayRuns = Number(process.env.BENCH_REPLAY_RUNS ?? 3),
  baselineRuns = 3,
): Promise<Record<string, number | string | null>> {
  // BENCH_REPLAY_1M=0: the book replay alone (minutes quicker when only the book path changed).
  if (process.env.BENCH_REPLAY_1M === '0') return benchBookReplay();
  const rec = await syntheticRecording();
  note(`${rec.generatedNow ? 'generated' : 'reusing'} ${rec.path} (${rec.trades.toLocaleString('en-US')} trades, ${rec.wallets} wallets)`);
  // Each replay in a process that has read nothing yet (as `polytail replay` runs): its peak RSS is its own,
  // not what the engine bench or the baselines' DuckDB instances left allocated in this one.
  let rssBefore = 0;
  const replayRates: number[] = [];
  let rssMb = 0;
  let copies = 0;
  let replayEvents = 0;
  for (let r = 0; r < replayRuns; r++) {
    const replay = await replayInChild(rec.path, rec.walletList[0]!);
    rssBefore = replay.rssBeforeMb;
    replayRates.push(rate(replay.events, replay.seconds));
    rssMb = Math.max(rssMb, replay.rssMb);
    copies = replay.copies;
    replayEvents = replay.events;
    note(
      `replay ${r + 1}/${replayRuns}: ${replayRates.at(-1)!.toLocaleString('en-US')} events/s (${replay.seconds.toFixed(1)} s), peak rss ${replay.rssMb} MB, heap after ${replay.heapMb} MB`,
    );
  }
  const native: number[] = [];
  const columnar: number[] = [];
  const eventColumns: number[] = [];
  const eventSetupMs: number[] = [];
  for (let r = 0; r < baselineRuns; r++) {
    const n = await nativeAggregate(rec.path);
    const c = await columnarRead(rec.path);
    const e = await eventColumnsRead(rec.path);
    native.push(rate(n.rows, n.seconds));
    columnar.push(rate(c.rows, c.seconds));
    eventColumns.push(rate(e.rows, e.seconds));
    eventSetupMs.push(Math.round(e.setupSeconds * 1000));
    note(
      `baselines ${r + 1}/${baselineRuns}: native ${native.at(-1)!.toLocaleString('en-US')} rows/s, columnar ${columnar.at(-1)!.toLocaleString('en-US')} rows/s, ` +
        `event columns ${eventColumns.at(-1)!.toLocaleString('en-US')} rows/s (set-up ${eventSetupMs.at(-1)} ms)`,
    );
  }
  const stream = await streamOnly(rec.path);
  note(`stream alone: ${rate(stream.events, stream.seconds).toLocaleString('en-US')} events/s`);
  const alone = await engineOnlyInChild(rec.path, rec.walletList[0]!);
  if (alone.copies !== copies || alone.events !== replayEvents)
    throw new Error(
      `replay bench: the engine alone made ${alone.copies} copies of ${alone.events} events, the replay ${copies} of ${replayEvents}`,
    );
  const engineOnly = rate(alone.events, alone.bestSeconds);
  note(
    `engine alone (events in memory, best of 3): ${engineOnly.toLocaleString('en-US')} events/s (median ${rate(alone.events, alone.medianSeconds).toLocaleString('en-US')})`,
  );
  const replay = median(replayRates);
  const book = await benchBookReplay();
  return {
    duckdb_native_rows_per_s: median(native),
    duckdb_columnar_rows_per_s: median(columnar),
    duckdb_event_columns_rows_per_s: median(eventColumns),
    duckdb_event_columns_setup_ms: median(eventSetupMs),
    event_columns_vs_columnar: round(median(eventColumns) / median(columnar), 3),
    stream_events_per_s: rate(stream.events, stream.seconds),
    replay_events_per_s: replay,
    replay_vs_columnar: round(replay / median(columnar), 3),
    replay_engine_only_events_per_s: engineOnly,
    replay_vs_columnar_ceiling: round(engineOnly / median(columnar), 3),
    replay_rss_mb: rssMb,
    replay_rss_before_mb: rssBefore,
    replay_recording_trades: rec.trades,
    replay_copies_filled: copies,
    ...book,
  };
}

/**
 * The book-heavy recording (BENCH_BOOK_CHANGES book_changes rows, default 5,000,000, in frames of two;
 * 100,000 target trades) replayed with book-walk fills, mirror on one of four wallets: every book frame
 * goes through the engine's books. 0 skips it.
 */
async function benchBookReplay(): Promise<Record<string, number | string>> {
  const changes = Number(process.env.BENCH_BOOK_CHANGES ?? 5_000_000);
  if (changes === 0) return {};
  const started = process.hrtime.bigint();
  const rec = await bookSyntheticRecording({ changes, trades: 100_000, wallets: 4, markets: 50 });
  note(
    `${rec.generatedNow ? `generated (${seconds(started).toFixed(1)} s)` : 'reusing'} ${rec.path} (${changes.toLocaleString('en-US')} book changes, ${rec.trades.toLocaleString('en-US')} trades)`,
  );
  const run = await replayInChild(rec.path, rec.walletList[0]!, 'book-walk');
  note(
    `book replay: ${rate(run.events, run.seconds).toLocaleString('en-US')} events/s (${run.seconds.toFixed(1)} s), peak rss ${run.rssMb} MB, ${run.copies} copies filled`,
  );
  return {
    replay_book_events_per_s: rate(run.events, run.seconds),
    replay_book_events: run.events,
    replay_book_changes: changes,
    replay_book_copies_filled: run.copies,
    replay_book_rss_mb: run.rssMb,
    replay_book_recording: basename(rec.path),
  };
}
