/**
 * `polytail scout`: which wallets are worth following? Loads a recording once, picks the candidates
 * (given wallets, or the busiest N of the training window), scores each with a mirror at every
 * detection delay on a training and a held-out window, and ranks them on training.
 */
import { ConfigError } from '../../core/errors.ts';
import type { EngineEvent } from '../../core/events.ts';
import type { PolytailConfig } from '../../config/config.ts';
import { openRecording } from '../replay.ts';
import { DEFAULT_PRINT_BOOK, withPrintBooks, type PrintBookModel } from './print-books.ts';
import { rankScores, type ScoutRow } from './rank.ts';
import { scoreWallets, type TimeWindow } from './score-wallets.ts';

export const DEFAULT_DELAYS_S = [0, 2, 10, 30];

export interface ScoutOptions {
  recording: string;
  config: PolytailConfig;
  /** Wallets to score; when empty, the `top` busiest wallets of the training window. */
  wallets?: string[];
  top: number;
  delaysS: number[];
  /** The delay the ranking and the single-delay columns use. Default 2 s when listed, else the first. */
  rankDelayS?: number;
  /** Fraction of the time span to rank on; the rest is the held-out report. */
  train: number;
  multiplier?: number;
  strategy?: string;
  printBook?: PrintBookModel;
  onProgress?: (done: number, total: number, elapsedMs: number) => void;
}

export interface ScoutResult {
  recording: string;
  /** `book-walk` on recorded books, or `print-book` (synthetic books from prints, docs/scout.md). */
  fillModel: 'book-walk' | 'print-book';
  printBook?: PrintBookModel;
  delaysS: number[];
  rankDelayS: number;
  /** The recording's span; each wallet's split is in its row (`train.window`, `test.window`). */
  span: TimeWindow;
  train: number;
  /** How the candidates were chosen. */
  candidates: 'given' | 'busiest';
  multiplier: number | null;
  startingCashUsdc: number;
  rows: ScoutRow[];
  elapsedMs: number;
}

export async function runScout(options: ScoutOptions): Promise<ScoutResult> {
  const delaysS = checkDelays(options.delaysS);
  const rankDelayS = options.rankDelayS ?? (delaysS.includes(2) ? 2 : delaysS[0]!);
  if (!delaysS.includes(rankDelayS)) throw new ConfigError(`--rank-delay ${rankDelayS}: it must be one of --delays (${delaysS.join(',')})`);
  if (!(options.train > 0 && options.train < 1))
    throw new ConfigError(`--train ${options.train}: expected a fraction between 0 and 1 (e.g. 0.7)`);
  if (!(Number.isInteger(options.top) && options.top > 0)) throw new ConfigError(`--top ${options.top}: expected a whole number ≥ 1`);
  const started = Date.now();
  const loaded = await loadRecording(options.recording);
  const printBook = options.printBook ?? DEFAULT_PRINT_BOOK;
  const events = loaded.hasBooks ? loaded.events : withPrintBooks(loaded.events, printBook);
  const given = (options.wallets ?? []).map((w) => w.toLowerCase());
  const wallets = given.length ? [...new Set(given)] : busiestWallets(loaded.events, options.top);
  if (wallets.length === 0) throw new ConfigError(`recording ${options.recording} has no target trades to scout`);
  const absent = wallets.filter((w) => !loaded.events.some((e) => e.type === 'target_trade' && e.trade.wallet.toLowerCase() === w));
  if (absent.length)
    throw new ConfigError(
      `recording ${options.recording} holds no trades of ${absent.join(', ')}; give wallets that trade in it, or none for the busiest`,
    );
  const span = { from: loaded.fromMs, to: loaded.toMs + 1 };
  const delaysMs = delaysS.map((s) => Math.round(s * 1000));
  const scores = await scoreWallets({ events }, wallets, delaysMs, {
    config: options.config,
    multiplier: options.multiplier,
    strategy: options.strategy,
    windowsOf: (wallet) => walletWindows(loaded.events, wallet, span, options.train),
    onRunDone: (done, total) => options.onProgress?.(done, total, Date.now() - started),
  });
  return {
    recording: options.recording,
    fillModel: loaded.hasBooks ? 'book-walk' : 'print-book',
    printBook: loaded.hasBooks ? undefined : printBook,
    delaysS,
    rankDelayS,
    span,
    train: options.train,
    candidates: given.length ? 'given' : 'busiest',
    multiplier: options.multiplier ?? null,
    startingCashUsdc: options.config.startingCashUsdc,
    rows: rankScores(scores, delaysMs, Math.round(rankDelayS * 1000)),
    elapsedMs: Date.now() - started,
  };
}

function checkDelays(delays: number[]): number[] {
  if (delays.length === 0) throw new ConfigError('--delays: give at least one delay in seconds (e.g. 0,2,10,30)');
  for (const d of delays)
    if (!(Number.isFinite(d) && d >= 0))
      throw new ConfigError(`--delays: ${d} is not a delay in seconds (use numbers ≥ 0, e.g. 0,2,10,30)`);
  return [...new Set(delays)].sort((a, b) => a - b);
}

export interface LoadedRecording {
  events: EngineEvent[];
  hasBooks: boolean;
  fromMs: number;
  toMs: number;
}

/** A recording's events in time order, whether it has books, and its span. */
export async function loadRecording(path: string): Promise<LoadedRecording> {
  const store = await openRecording(path, true);
  try {
    const range = await store.timeRange();
    if (!range) throw new ConfigError(`recording ${path} is empty: nothing to scout`);
    const counts = await store.counts();
    const events: EngineEvent[] = [];
    for await (const batch of store.streamEvents()) for (const e of batch) events.push(e);
    return { events, hasBooks: counts.book_snapshots + counts.book_changes > 0, fromMs: range.fromMs, toMs: range.toMs };
  } finally {
    await store.close();
  }
}

/**
 * A wallet's split in time: training runs from the recording's start up to (not including) the wallet's
 * trade at index ⌈train × n⌉ (its first `train` share of trades), held out from there to the end.
 * Split per wallet, by its own trades, because activity is bursty: one clock split for all leaves
 * most wallets with nothing on one side. A wallet with one trade keeps it for training.
 */
export function walletWindows(
  events: readonly EngineEvent[],
  wallet: string,
  span: TimeWindow,
  train: number,
): { train: TimeWindow; test: TimeWindow } {
  const times: number[] = [];
  for (const e of events) if (e.type === 'target_trade' && e.trade.wallet.toLowerCase() === wallet) times.push(e.tsRecv);
  const index = Math.min(times.length, Math.max(1, Math.ceil(train * times.length)));
  const split = index < times.length ? times[index]! : span.to;
  return { train: { from: span.from, to: split }, test: { from: split, to: span.to } };
}

/** Most trades first, then most volume, then address (a stable order). */
export function busiestWallets(events: readonly EngineEvent[], top: number): string[] {
  const stats = new Map<string, { trades: number; volume: number }>();
  for (const e of events) {
    if (e.type !== 'target_trade') continue;
    const w = e.trade.wallet.toLowerCase();
    const s = stats.get(w) ?? { trades: 0, volume: 0 };
    s.trades++;
    s.volume += e.trade.usdcMicros;
    stats.set(w, s);
  }
  return [...stats.entries()]
    .sort(([wa, a], [wb, b]) => b.trades - a.trades || b.volume - a.volume || (wa < wb ? -1 : 1))
    .slice(0, top)
    .map(([w]) => w);
}
