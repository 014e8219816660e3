/**
 * `polytail run STRATEGY --market M [--outcome O] [--param k=v ...] --replay REC|--paper|--live`:
 * one market strategy on one market. The market (URL, slug, condition id or token id) is resolved
 * against the recording's market metadata so the engine can route that market's books to it.
 */
import { existsSync } from 'node:fs';
import type { CommandModule } from 'yargs';
import { notice } from '../notice.ts';
import { ConfigError } from '../../core/errors.ts';
import { MarketRegistry } from '../../core/market-registry.ts';
import type { EngineListener } from '../../core/ports.ts';
import type { MarketInfo } from '../../core/types.ts';
import { openRecording, runReplay } from '../../modes/replay.ts';
import { renderReport } from '../../report/human-report.ts';
import { loadStrategy } from '../../strategy/loader.ts';
import { type RecordingStore } from '../../store/index.ts';
import { rowToMarket } from '../../store/event-rows.ts';
import { findMarket, parseMarketRef, resolveMarketRef } from '../../strategy/market-ref.ts';
import { parseConfig, type PolytailConfig } from '../../config/config.ts';
import { parseTime, replayConfig, type ReplayArgs } from './replay-options.ts';

interface Args extends Omit<ReplayArgs, 'recording'> {
  strategy: string;
  market?: string;
  outcome?: string;
  param?: string[];
  paper: boolean;
  live: boolean;
  replay?: string;
  json: boolean;
  save: boolean;
}

export const runCommand: CommandModule<object, Args> = {
  command: 'run <strategy>',
  describe: 'run one market strategy (taker-wave, maker-wave, end-sweeper or a file) on one market',
  builder: (y) =>
    y
      .positional('strategy', { type: 'string', demandOption: true, describe: 'strategy name (see `polytail strategies`) or file path' })
      .option('market', { type: 'string', describe: 'Polymarket URL, market slug, condition id or token id' })
      .option('outcome', { type: 'string', describe: 'outcome to trade, e.g. Yes or Up' })
      .option('param', { type: 'string', array: true, describe: 'strategy parameter key=value (repeatable; values are JSON or text)' })
      .option('replay', { type: 'string', describe: 'replay this recording (.duckdb)' })
      .option('paper', { type: 'boolean', default: false, describe: 'trade on paper against live books' })
      .option('live', { type: 'boolean', default: false, describe: 'trade with real money' })
      .option('config', { type: 'string', describe: 'JSON config file (risk limits, cash, fill model)' })
      .option('fill-model', { choices: ['book-walk', 'top-of-book'] as const, describe: 'how simulated orders fill (default book-walk)' })
      .option('latency-ms', { type: 'number', describe: 'orders reach the simulated venue this long after the decision' })
      .option('seed', { type: 'number', describe: 'seed for ids (same seed ⇒ same fills)' })
      .option('cash', { type: 'number', describe: 'starting cash in USDC' })
      .option('from', { type: 'string', describe: 'start time (ISO or unix ms)' })
      .option('to', { type: 'string', describe: 'end time, exclusive' })
      .option('json', { type: 'boolean', default: false, describe: 'print one JSON object with the results' })
      .option('save', { type: 'boolean', default: false, describe: 'store the run in the recording' }) as never,
  handler: async (args) => {
    const modes = [args.replay !== undefined && 'replay', args.paper && 'paper', args.live && 'live'].filter(Boolean);
    if (modes.length !== 1)
      throw new ConfigError(`choose exactly one of --replay REC, --paper or --live (got ${modes.length ? modes.join(', ') : 'none'})`);
    const params = {
      ...parseParamArgs(args.param ?? []),
      ...(args.market ? { market: args.market } : {}),
      ...(args.outcome ? { outcome: args.outcome } : {}),
    };
    if (!args.replay) {
      const entry = { name: args.strategy, params };
      throw new ConfigError(
        `${args.paper ? 'paper' : 'live'} wiring lands with the live modes: use \`polytail ${args.paper ? 'paper' : 'live'} --config FILE\` once available, with this in FILE:\n` +
          JSON.stringify({ strategies: [entry] }, null, 2),
      );
    }
    if (!existsSync(args.replay)) throw new ConfigError(`recording not found: ${args.replay}`);
    const { summary, warnings } = await runMarketReplay({
      recording: args.replay,
      strategy: args.strategy,
      params,
      config: replayConfig({ ...args, recording: args.replay }),
      from: parseTime(args.from, 'from'),
      to: parseTime(args.to, 'to'),
      save: args.save,
    });
    for (const w of warnings) process.stderr.write(`polytail: warning: ${w}\n`);
    if (args.json) process.stdout.write(JSON.stringify(summary) + '\n');
    else process.stdout.write(renderReport(summary, process.stdout.columns || 100) + '\n');
  },
};

/** `k=v` pairs → params; values parse as JSON (numbers, booleans, lists) or stay text; `a.b=1` nests. */
export function parseParamArgs(pairs: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new ConfigError(`--param ${pair}: expected key=value, e.g. --param dropPct=5`);
    const keys = pair.slice(0, eq).trim().split('.');
    const text = pair.slice(eq + 1);
    let value: unknown = text;
    try {
      value = JSON.parse(text);
    } catch {
      // plain text (a slug, an outcome name)
    }
    let node = out;
    for (const k of keys.slice(0, -1)) node = (node[k] ??= {}) as Record<string, unknown>;
    node[keys.at(-1)!] = value;
  }
  return out;
}

export interface MarketReplayOptions {
  recording: string;
  strategy: string;
  params: Record<string, unknown>;
  config?: PolytailConfig;
  from?: number;
  to?: number;
  save?: boolean;
  listeners?: EngineListener[];
}

/**
 * Replays a recording through one market strategy. The market in `params.market` is looked up in the
 * recording and its token ids are passed as `params.tokenIds`, so the engine routes its books.
 */
export async function runMarketReplay(
  options: MarketReplayOptions,
): Promise<Awaited<ReturnType<typeof runReplay>> & { warnings: string[] }> {
  const definition = await loadStrategy(options.strategy);
  if (definition.kind !== 'market')
    throw new ConfigError(
      `strategy "${options.strategy}" is a copy strategy: use \`polytail replay --strategy ${options.strategy}\` for copy strategies`,
    );
  const warnings: string[] = [];
  const params = { ...options.params };
  if (typeof params['market'] === 'string' && params['tokenIds'] === undefined) {
    const store = await openRecording(options.recording, true);
    try {
      params['tokenIds'] = await tokensFor(store, params['market'], params['outcome'] as string | undefined, warnings);
    } finally {
      await store.close();
    }
  }
  const base = options.config ?? parseConfig({});
  const config = parseConfig({ ...base, targets: [], strategies: [{ name: options.strategy, params }] });
  const { summary, engine } = await runReplay({
    recording: options.recording,
    config,
    from: options.from,
    to: options.to,
    save: options.save === true,
    listeners: options.listeners,
    onNotice: notice,
  });
  return { summary, engine, warnings };
}

/** The token ids of the market `text` names, from the recording's market metadata. */
async function tokensFor(store: RecordingStore, text: string, outcome: string | undefined, warnings: string[]): Promise<string[]> {
  let ref;
  try {
    ref = parseMarketRef(text);
  } catch (error) {
    throw new ConfigError(`--market: ${(error as Error).message}`);
  }
  const all: MarketInfo[] = (await store.query('SELECT * FROM markets ORDER BY ts_recv, seq')).map((r) => rowToMarket(r).market);
  const registry = new MarketRegistry();
  for (const m of all) registry.upsert(m);
  const lookup = { byId: (id: string) => registry.byTokenId(id) ?? registry.byConditionId(id), candidates: () => registry.all() };
  const market = findMarket(ref, lookup);
  if (!market) {
    if (ref.kind === 'token') {
      warnings.push(
        `recording ${store.path} has no market metadata for token ${ref.tokenId}: the strategy will skip with market_unknown until a market event arrives`,
      );
      return [ref.tokenId];
    }
    const known = registry
      .all()
      .slice(0, 10)
      .map((m) => `  ${m.slug ?? '(no slug)'}  ${m.conditionId}`)
      .join('\n');
    throw new ConfigError(
      `market ${text} is not in recording ${store.path}${known ? `; it holds:\n${known}` : ' (it holds no market metadata)'}`,
    );
  }
  const resolved = resolveMarketRef(ref, outcome, lookup);
  if (!resolved.ok && resolved.reason !== 'outcome_required') throw new ConfigError(`--outcome: ${resolved.message}`);
  return market.tokens.map((t) => t.tokenId);
}
