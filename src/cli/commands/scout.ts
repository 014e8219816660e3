/** `polytail scout REC`: rank wallets by what following them would have made, at several detection delays. */
import type { CommandModule } from 'yargs';
import { existsSync, readFileSync } from 'node:fs';
import { ConfigError } from '../../core/errors.ts';
import { DEFAULT_DELAYS_S, runScout } from '../../modes/scout/scout.ts';
import { DEFAULT_PRINT_BOOK } from '../../modes/scout/print-books.ts';
import { loadConfig, parseConfig } from '../../config/config.ts';
import { BUNDLED_DEFAULT } from './replay-options.ts';
import { join } from 'node:path';
import { fetchOnlineRecording, type DataApiVersion, type LeaderboardPeriod } from '../../modes/scout/online.ts';
import { DEFAULT_SANDBOX_URL } from '../../modes/session-hosts.ts';
import { PRODUCTION_HOSTS, sandboxHosts } from '../../polymarket/hosts.ts';
import { RecordingStore } from '../../store/index.ts';
import { renderDelayChart, renderScout, renderScoutCsv } from './scout-render.ts';

interface Args {
  recording?: string;
  online: boolean;
  sandbox?: string;
  'data-url'?: string;
  'gamma-url'?: string;
  api: DataApiVersion;
  period: LeaderboardPeriod;
  'order-by': 'pnl' | 'vol';
  'since-days': number;
  cache?: string;
  refresh: boolean;
  wallet?: string[];
  'wallets-file'?: string;
  top: number;
  delays: string;
  'rank-delay'?: number;
  train: number;
  multiplier?: number;
  strategy?: string;
  cash?: number;
  config?: string;
  'level-usdc': number;
  json: boolean;
  csv: boolean;
  chart: number;
}

const WALLET = /^0x[0-9a-fA-F]{40}$/;

export const scoutCommand: CommandModule<object, Args> = {
  command: 'scout [recording]',
  describe: 'rank wallets by what a follower would have made: mirror replays at detection delays, held-out report',
  builder: (y) =>
    y
      .positional('recording', { type: 'string', describe: `a .duckdb recording (default ${BUNDLED_DEFAULT})` })
      .option('online', {
        type: 'boolean',
        default: false,
        describe: 'scout the Data API leaderboard: fetch its top wallets’ trades into --cache, then score',
      })
      .option('sandbox', { type: 'string', describe: `--online against a local sandbox (no value: ${DEFAULT_SANDBOX_URL})` })
      .option('data-url', { type: 'string', describe: `--online: the Data API (default ${PRODUCTION_HOSTS.data})` })
      .option('gamma-url', {
        type: 'string',
        describe: `--online: Gamma, for each market's rules and resolution (default ${PRODUCTION_HOSTS.gamma})`,
      })
      .option('api', {
        choices: ['v1', 'v2'] as const,
        default: 'v1' as const,
        describe: '--online: Data API shape (v1 arrays and offsets, v2 envelopes and cursors)',
      })
      .option('period', {
        choices: ['day', 'week', 'month', 'all'] as const,
        default: 'week' as const,
        describe: '--online: leaderboard period',
      })
      .option('order-by', { choices: ['pnl', 'vol'] as const, default: 'pnl' as const, describe: '--online: leaderboard order' })
      .option('since-days', { type: 'number', default: 7, describe: '--online: read each wallet’s trades of the last N days' })
      .option('cache', {
        type: 'string',
        describe: '--online: the recording the fetch is cached in (default <dataDir>/scout/<period>-<order>-top<N>.duckdb)',
      })
      .option('refresh', { type: 'boolean', default: false, describe: '--online: fetch again even when --cache exists' })
      .option('wallet', { type: 'string', array: true, describe: 'wallet to score (repeatable); default: the busiest --top wallets' })
      .option('wallets-file', { type: 'string', describe: 'file with one wallet per line (# comments allowed)' })
      .option('top', { type: 'number', default: 10, describe: 'score the N busiest wallets of the recording (when no wallet is given)' })
      .option('delays', { type: 'string', default: DEFAULT_DELAYS_S.join(','), describe: 'detection delays in seconds, comma-separated' })
      .option('rank-delay', {
        type: 'number',
        describe: 'delay (s) to rank by and to report single-delay columns at (default 2, else the first)',
      })
      .option('train', { type: 'number', default: 0.7, describe: "rank on each wallet's first fraction of trades; report the rest" })
      .option('multiplier', { type: 'number', describe: 'copy size = target size × this (default 1)' })
      .option('strategy', { type: 'string', describe: 'copy strategy to score with (default: mirror)' })
      .option('cash', { type: 'number', describe: 'starting cash in USDC of each follower (default: the config’s, 1000)' })
      .option('config', { type: 'string', describe: 'JSON config file: risk limits and defaults, as in live' })
      .option('level-usdc', {
        type: 'number',
        default: DEFAULT_PRINT_BOOK.levelUsdc,
        describe: 'print-only recordings: USDC resting at each tick of the synthetic book (docs/scout.md)',
      })
      .option('json', { type: 'boolean', default: false, describe: 'print one JSON object (the whole result), nothing else' })
      .option('csv', { type: 'boolean', default: false, describe: 'print one CSV line per wallet, nothing else' })
      .option('chart', {
        type: 'number',
        default: 5,
        describe: 'chart follower PnL against delay for this many top wallets (0: none)',
      }) as never,
  handler: async (args) => {
    if (args.json && args.csv) throw new ConfigError('--json and --csv: choose one');
    const base = loadConfig(args.config);
    let recording = args.recording ?? BUNDLED_DEFAULT;
    let wallets = walletsFrom(args);
    if (args.online || args.sandbox !== undefined) {
      if (args.recording) throw new ConfigError('--online reads the Data API into --cache: give --cache FILE instead of a recording');
      const online = await fetchOnline(args, base.dataDir);
      recording = online.path;
      if (!wallets.length) wallets = online.wallets;
    }
    if (!existsSync(recording)) throw new ConfigError(`recording not found: ${recording} (bundled ones are in recordings/)`);
    const config = args.cash !== undefined ? parseConfig({ ...base, startingCashUsdc: args.cash }) : base;
    if (!(args['level-usdc'] > 0)) throw new ConfigError(`--level-usdc ${args['level-usdc']}: expected a positive amount of USDC`);
    const result = await runScout({
      recording,
      config,
      wallets,
      top: args.top,
      delaysS: parseDelays(args.delays),
      rankDelayS: args['rank-delay'],
      train: args.train,
      multiplier: args.multiplier,
      strategy: args.strategy,
      printBook: { ...DEFAULT_PRINT_BOOK, levelUsdc: args['level-usdc'] },
      onProgress: process.stderr.isTTY ? progress : undefined,
    });
    if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
    if (args.json) process.stdout.write(JSON.stringify(result) + '\n');
    else if (args.csv) process.stdout.write(renderScoutCsv(result) + '\n');
    else {
      process.stdout.write(renderScout(result) + '\n');
      const chart = args.chart > 0 ? renderDelayChart(result, args.chart) : '';
      if (chart) process.stdout.write('\n' + chart + '\n');
    }
  },
};

export function parseDelays(text: string): number[] {
  const parts = text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  return parts.map((p) => {
    const n = Number(p.replace(/s$/, ''));
    if (!Number.isFinite(n) || n < 0) throw new ConfigError(`--delays ${text}: "${p}" is not a delay in seconds (e.g. --delays 0,2,10,30)`);
    return n;
  });
}

function walletsFrom(args: Args): string[] {
  const wallets = [...(args.wallet ?? [])];
  if (args['wallets-file']) {
    const path = args['wallets-file'];
    if (!existsSync(path)) throw new ConfigError(`--wallets-file ${path}: file not found`);
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      const w = line.replace(/#.*/, '').trim();
      if (w) wallets.push(w);
    }
  }
  for (const w of wallets) if (!WALLET.test(w)) throw new ConfigError(`wallet "${w}": expected a 0x address with 40 hex digits`);
  return wallets;
}

async function fetchOnline(args: Args, dataDir: string): Promise<{ path: string; wallets: string[] }> {
  const sandboxUrl = args.sandbox === undefined ? undefined : args.sandbox || DEFAULT_SANDBOX_URL;
  const dataUrl = (args['data-url'] ?? (sandboxUrl ? sandboxHosts(sandboxUrl).data : PRODUCTION_HOSTS.data)).replace(/\/$/, '');
  const gammaUrl = (args['gamma-url'] ?? (sandboxUrl ? sandboxHosts(sandboxUrl).gamma : PRODUCTION_HOSTS.gamma)).replace(/\/$/, '');
  if (!(args['since-days'] > 0)) throw new ConfigError(`--since-days ${args['since-days']}: expected a positive number of days`);
  const untilSec = Math.floor(Date.now() / 1000);
  const cachePath = args.cache ?? join(dataDir, 'scout', `${args.period}-${args['order-by']}-top${args.top}.duckdb`);
  const say = (m: string) => process.stderr.write(`${m}\n`);
  const result = await fetchOnlineRecording({
    dataUrl,
    gammaUrl,
    version: args.api,
    period: args.period,
    orderBy: args['order-by'],
    top: args.top,
    sinceSec: untilSec - Math.round(args['since-days'] * 86_400),
    untilSec,
    cachePath,
    refresh: args.refresh,
    http: { onRetry: (r) => say(`retrying ${r.url} in ${Math.round(r.waitMs)} ms: ${r.message}`) },
    onProgress: process.stderr.isTTY ? (m) => process.stderr.write(`\r\x1b[K${m}`) : undefined,
  });
  if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
  say(
    result.fromCache
      ? `using ${cachePath} (cached; --refresh to fetch again): ${result.wallets.length} leaderboard wallets, ${result.trades} trades, ${result.markets} markets (${result.resolutions} resolved)`
      : `fetched ${result.wallets.length} leaderboard wallets and ${result.trades} trades from ${dataUrl}, ${result.markets} markets from ${gammaUrl} (${result.marketsFromGamma} described, ${result.resolutions} resolved) in ${result.requests} requests into ${cachePath}`,
  );
  const traded = await walletsWithTrades(cachePath);
  return { path: cachePath, wallets: result.wallets.map((w) => w.wallet).filter((w) => traded.has(w)) };
}

async function walletsWithTrades(path: string): Promise<Set<string>> {
  const store = await RecordingStore.open(path, { readOnly: true });
  try {
    return new Set((await store.walletStats(100_000)).map((s) => s.wallet));
  } finally {
    await store.close();
  }
}

function progress(done: number, total: number, elapsedMs: number): void {
  const width = 30;
  const filled = Math.round((done / total) * width);
  const eta = done > 0 ? ((elapsedMs / done) * (total - done)) / 1000 : 0;
  process.stderr.write(
    `\r[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${done}/${total} runs  ${(elapsedMs / 1000).toFixed(1)}s  ETA ${eta.toFixed(1)}s `,
  );
}
