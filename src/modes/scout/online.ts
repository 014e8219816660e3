/**
 * Online scouting input: the Data API leaderboard, then each wallet's trades, written into a DuckDB
 * recording that `runScout` reads like any other. The recording is the cache: a second run with the
 * same file reads it and asks the network nothing (`refresh` fetches again).
 *
 * Care for the API: one request at a time with at least `minGapMs` between them, 429/5xx retried
 * with backoff that honours Retry-After (getJson), v1 paged by time (offsets are capped), v2 by cursor.
 */
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { contentKey, fillKey } from '../../core/dedup.ts';
import { ConfigError } from '../../core/errors.ts';
import type { TargetTradeSeen } from '../../core/events.ts';
import type { TargetTrade } from '../../core/types.ts';
import { readActivityWindow } from '../../feeds/activity-pages.ts';
import { getJson, type HttpJsonOptions } from '../../feeds/http-json.ts';
import { parseActivityRow } from '../../polymarket/wire/data-api.ts';
import { camelRow, dataApiPage, parseLeaderboardRow, type LeaderboardEntry } from '../../polymarket/wire/data-api-pages.ts';
import { WireError } from '../../polymarket/wire/fields.ts';
import { parseGammaMarket, type GammaMarket } from '../../polymarket/wire/gamma.ts';
import { marketOfTrade } from '../../polymarket/market-defaults.ts';
import { RecordingStore } from '../../store/index.ts';

export type DataApiVersion = 'v1' | 'v2';
export type LeaderboardPeriod = 'day' | 'week' | 'month' | 'all';

export interface OnlineOptions {
  dataUrl: string;
  /**
   * Gamma: each traded market's metadata (tick, minimum size, taker fee, neg-risk) and, for a market
   * that has resolved, its payouts — so a follower's positions settle. Without it markets are inferred
   * from the trades and open positions are marked at the last print.
   */
  gammaUrl?: string;
  version: DataApiVersion;
  period: LeaderboardPeriod;
  orderBy: 'pnl' | 'vol';
  /** Leaderboard wallets to fetch. */
  top: number;
  /** Trades from this time (unix seconds) to `untilSec`. */
  sinceSec: number;
  untilSec: number;
  cachePath: string;
  refresh?: boolean;
  /** Least time between two requests. Default 150 ms. */
  minGapMs?: number;
  http?: HttpJsonOptions;
  onProgress?: (message: string) => void;
  /** Injected for tests; defaults to setTimeout. */
  sleep?: (ms: number) => Promise<void>;
}

export interface OnlineResult {
  path: string;
  fromCache: boolean;
  wallets: LeaderboardEntry[];
  trades: number;
  /** Markets traded, how many of them Gamma described, and how many had resolved. */
  markets: number;
  marketsFromGamma: number;
  resolutions: number;
  requests: number;
}

export async function fetchOnlineRecording(options: OnlineOptions): Promise<OnlineResult> {
  if (existsSync(options.cachePath) && !options.refresh) return readCache(options.cachePath);
  const pace = pacer(options.minGapMs ?? 150, options.sleep);
  const get = async (url: string) => {
    await pace.wait();
    return getJson(url, options.http);
  };
  const board = await leaderboard(get, options);
  if (board.length === 0) throw new ConfigError(`the leaderboard at ${options.dataUrl} (${options.period}, ${options.orderBy}) is empty`);
  const perWallet: { wallet: string; fills: { tsMs: number; trade: TargetTrade; occurrence: number }[] }[] = [];
  for (const [i, entry] of board.entries()) {
    options.onProgress?.(`trades of ${entry.wallet} (${i + 1}/${board.length})`);
    const fills =
      options.version === 'v1'
        ? await readActivityWindow({
            baseUrl: options.dataUrl,
            wallet: entry.wallet,
            startSec: options.sinceSec,
            endSec: options.untilSec,
            pageLimit: 500,
            offsetCap: 3000,
            http: { ...options.http, fetch: pacedFetch(pace, options.http?.fetch) },
            onMalformed: (m) => options.onProgress?.(`skipped a malformed row: ${m}`),
          })
        : await activityV2(get, options, entry.wallet);
    perWallet.push({ wallet: entry.wallet, fills });
  }
  const conditionIds = [...new Set(perWallet.flatMap((w) => w.fills.map((f) => f.trade.conditionId)))];
  const gamma = options.gammaUrl ? await gammaMarkets(get, options, conditionIds) : new Map<string, GammaMarket>();
  const written = await writeCache(options, board, perWallet, gamma);
  return { path: options.cachePath, fromCache: false, wallets: board, ...written, requests: pace.count() };
}

/** Gamma's view of each traded market (20 condition ids a request); markets Gamma does not know stay inferred. */
async function gammaMarkets(
  get: (url: string) => Promise<unknown>,
  o: OnlineOptions,
  conditionIds: string[],
): Promise<Map<string, GammaMarket>> {
  const out = new Map<string, GammaMarket>();
  for (let i = 0; i < conditionIds.length; i += 20) {
    const batch = conditionIds.slice(i, i + 20);
    o.onProgress?.(`markets and resolutions from Gamma (${Math.min(conditionIds.length, i + 20)}/${conditionIds.length})`);
    const q = new URLSearchParams({ limit: String(batch.length) });
    for (const id of batch) q.append('condition_ids', id);
    const page = await get(`${o.gammaUrl!.replace(/\/$/, '')}/markets?${q}`);
    if (!Array.isArray(page)) throw new WireError(`gamma /markets: expected an array, got ${typeof page}`, '(root)');
    for (const raw of page) {
      try {
        const parsed = parseGammaMarket(raw);
        if (batch.includes(parsed.market.conditionId)) out.set(parsed.market.conditionId, parsed);
      } catch (error) {
        if (!(error instanceof WireError)) throw error;
        o.onProgress?.(`skipped a malformed Gamma market: ${error.message}`);
      }
    }
  }
  return out;
}

async function leaderboard(get: (url: string) => Promise<unknown>, o: OnlineOptions): Promise<LeaderboardEntry[]> {
  const out: LeaderboardEntry[] = [];
  let cursor: string | null | undefined;
  while (out.length < o.top) {
    const limit = Math.min(50, o.top - out.length);
    const url =
      o.version === 'v1'
        ? `${o.dataUrl}/v1/leaderboard?${new URLSearchParams({ timePeriod: o.period.toUpperCase(), orderBy: o.orderBy.toUpperCase(), limit: String(limit), offset: String(out.length), category: 'OVERALL' })}`
        : `${o.dataUrl}/v2/leaderboard?${new URLSearchParams({ time_period: o.period, sort_by: o.orderBy === 'pnl' ? 'PNL' : 'VOLUME', limit: String(limit), ...(cursor ? { cursor } : {}) })}`;
    const page = dataApiPage(await get(url), 'leaderboard');
    for (const row of page.rows) {
      const entry = parseLeaderboardRow(row);
      if (!out.some((e) => e.wallet === entry.wallet)) out.push(entry);
    }
    cursor = page.nextCursor;
    if (page.rows.length < limit || cursor === null) break;
  }
  return out.slice(0, o.top);
}

async function activityV2(get: (url: string) => Promise<unknown>, o: OnlineOptions, wallet: string) {
  const fills: { tsMs: number; trade: TargetTrade; occurrence: number }[] = [];
  const counts = new Map<string, number>();
  let cursor: string | null | undefined;
  for (let guard = 0; guard < 100_000; guard++) {
    const q = new URLSearchParams({
      user: wallet,
      type: 'TRADE',
      start: String(o.sinceSec),
      end: String(o.untilSec),
      limit: '500',
      sort_direction: 'ASC',
      ...(cursor ? { cursor } : {}),
    });
    const page = dataApiPage(await get(`${o.dataUrl}/v2/activity?${q}`), `activity of ${wallet}`);
    for (const raw of page.rows) {
      let parsed;
      try {
        parsed = parseActivityRow(camelRow(raw));
      } catch (error) {
        if (error instanceof WireError) {
          o.onProgress?.(`skipped a malformed row of ${wallet}: ${error.message}`);
          continue;
        }
        throw error;
      }
      if (parsed.kind !== 'trade') continue;
      const ck = contentKey(parsed.trade);
      const occurrence = (counts.get(ck) ?? 0) + 1;
      counts.set(ck, occurrence);
      fills.push({ tsMs: parsed.tsMs, trade: parsed.trade, occurrence });
    }
    cursor = page.nextCursor;
    if (!cursor) return fills;
  }
  throw new Error(`activity of ${wallet}: more than 100000 pages`);
}

async function writeCache(
  o: OnlineOptions,
  board: LeaderboardEntry[],
  perWallet: { wallet: string; fills: { tsMs: number; trade: TargetTrade; occurrence: number }[] }[],
  gamma: Map<string, GammaMarket>,
): Promise<{ trades: number; markets: number; marketsFromGamma: number; resolutions: number }> {
  mkdirSync(dirname(o.cachePath), { recursive: true });
  const partial = `${o.cachePath}.partial`;
  rmSync(partial, { force: true });
  const store = await RecordingStore.open(partial);
  let trades = 0;
  let result: { trades: number; markets: number; marketsFromGamma: number; resolutions: number };
  try {
    const all = perWallet.flatMap((w) => w.fills).sort((a, b) => a.tsMs - b.tsMs);
    const markets = new Set<string>();
    const lastTradeMs = new Map<string, number>();
    for (const [seq, f] of all.entries()) {
      lastTradeMs.set(f.trade.conditionId, f.tsMs);
      if (!markets.has(f.trade.conditionId)) {
        markets.add(f.trade.conditionId);
        // As it was when traded: open (Gamma says closed for a market that has since resolved).
        const described = gamma.get(f.trade.conditionId)?.market;
        const market = described ? { ...described, closed: false } : marketOfTrade(f.trade);
        store.appendEvent({ type: 'market', tsEvent: f.tsMs, tsRecv: f.tsMs, market });
      }
      const event: TargetTradeSeen = {
        type: 'target_trade',
        source: 'data-api',
        seq: seq + 1,
        tsEvent: f.tsMs,
        tsRecv: f.tsMs,
        trade: f.trade,
        occurrence: f.occurrence,
        key: fillKey(f.trade, f.occurrence),
      };
      store.appendEvent(event);
      trades++;
    }
    // Resolved markets settle at their resolution time; never before the last trade seen in them.
    let resolutions = 0;
    for (const [conditionId, g] of gamma) {
      if (!g.payouts) continue;
      const last = lastTradeMs.get(conditionId) ?? 0;
      const ts = Math.max(g.resolvedMs ?? last + 1, last + 1);
      store.appendEvent({ type: 'market_resolved', tsEvent: ts, tsRecv: ts, conditionId, payouts: g.payouts });
      resolutions++;
    }
    await store.writer.flush();
    await store.setMeta('scout_online', JSON.stringify({ ...describe(o), leaderboard: board, marketsFromGamma: gamma.size, resolutions }));
    result = { trades, markets: markets.size, marketsFromGamma: gamma.size, resolutions };
  } finally {
    await store.close();
  }
  // Written under another name and renamed at the end: an interrupted fetch never leaves a cache that looks whole.
  rmSync(o.cachePath, { force: true });
  renameSync(partial, o.cachePath);
  return result;
}

function describe(o: OnlineOptions) {
  return {
    dataUrl: o.dataUrl,
    gammaUrl: o.gammaUrl ?? null,
    version: o.version,
    period: o.period,
    orderBy: o.orderBy,
    top: o.top,
    sinceSec: o.sinceSec,
    untilSec: o.untilSec,
  };
}

async function readCache(path: string): Promise<OnlineResult> {
  const store = await RecordingStore.open(path, { readOnly: true }).catch((error: Error) => {
    throw new ConfigError(`--cache ${path}: ${error.message}\n  Delete it or pass --refresh to fetch again.`);
  });
  try {
    const meta = await store.getMeta('scout_online');
    if (!meta) throw new ConfigError(`--cache ${path} is a recording, not a scout cache; give another --cache file or --refresh`);
    const { leaderboard, marketsFromGamma } = JSON.parse(meta) as { leaderboard: LeaderboardEntry[]; marketsFromGamma?: number };
    const counts = await store.counts();
    return {
      path,
      fromCache: true,
      wallets: leaderboard,
      trades: counts.target_trades,
      markets: counts.markets,
      marketsFromGamma: marketsFromGamma ?? 0,
      resolutions: counts.resolutions,
      requests: 0,
    };
  } finally {
    await store.close();
  }
}

interface Pace {
  wait(): Promise<void>;
  count(): number;
}

/** Spaces requests at least `gapMs` apart (one at a time), and counts them. */
function pacer(gapMs: number, sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))): Pace {
  let last = Number.NEGATIVE_INFINITY;
  let n = 0;
  return {
    async wait() {
      const due = last + gapMs - Date.now();
      if (due > 0) await sleep(due);
      last = Date.now();
      n++;
    },
    count: () => n,
  };
}

function pacedFetch(pace: Pace, inner: typeof fetch = fetch): typeof fetch {
  return (async (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => {
    await pace.wait();
    return inner(input, init);
  }) as typeof fetch;
}
