/**
 * `polytail paper`: copy targets with simulated fills against the live order books (no orders are
 * sent). The session runner here is shared with `polytail live`.
 */
import { createInterface } from 'node:readline/promises';
import type { Argv, CommandModule } from 'yargs';
import { ConfigError } from '../../core/errors.ts';
import { DEFAULT_SANDBOX_URL } from '../../modes/session-hosts.ts';
import { readScoutFile } from '../../modes/scout/scout-file.ts';
import { runSession } from '../session-run.ts';
import { checkCommonArgs, positive } from '../check-args.ts';
import { loadConfig, parseConfig } from '../../config/config.ts';
import { checkServeArgs, startServing, withServeOptions, type ServeArgs } from './serve-options.ts';

export interface SessionArgs extends ServeArgs {
  target?: string[];
  strategy?: string;
  multiplier?: number;
  config?: string;
  sandbox?: string;
  tui: boolean;
  json: boolean;
  cash?: number;
  seed?: number;
  'data-dir'?: string;
  'poll-ms'?: number;
  'sync-seconds'?: number;
  'catch-up': boolean;
  'cancel-on-exit': boolean;
  'run-seconds'?: number;
  'from-scout'?: string;
  'scout-top'?: number;
}

export function withSessionOptions<T>(y: Argv<T>) {
  return withServeOptions(y)
    .option('target', { type: 'string', array: true, describe: 'wallet to copy (repeatable); default: the config’s targets' })
    .option('strategy', { type: 'string', describe: 'copy strategy name or file (default: mirror, or the config’s)' })
    .option('multiplier', { type: 'number', describe: 'copy size = target size × this' })
    .option('config', { type: 'string', describe: 'JSON config file' })
    .option('sandbox', {
      type: 'string',
      describe: `point every host at a sandbox started with \`polytail sandbox\` (no value: ${DEFAULT_SANDBOX_URL})`,
    })
    .option('tui', { type: 'boolean', default: true, describe: 'terminal UI when stdout is a terminal (--no-tui for log lines)' })
    .option('json', { type: 'boolean', default: false, describe: 'log lines as JSON objects (implies --no-tui)' })
    .option('cash', { type: 'number', describe: 'starting cash in USDC (paper accounting)' })
    .option('seed', { type: 'number', describe: 'seed for order ids and salts' })
    .option('data-dir', { type: 'string', describe: 'where recordings, journals and credentials live (default .polytail)' })
    .option('poll-ms', { type: 'number', describe: 'Data API poll interval (default 5000)' })
    .option('sync-seconds', { type: 'number', describe: 'position sync interval (default 30; 0 = only on `r`)' })
    .option('catch-up', {
      type: 'boolean',
      default: false,
      describe: 'when position sync finds a missed target trade, re-seed the target’s positions from the Data API',
    })
    .option('cancel-on-exit', {
      type: 'boolean',
      default: false,
      describe: 'cancel our open orders when the session stops (default: leave them working)',
    })
    .option('run-seconds', { type: 'number', describe: 'stop by itself after this many seconds (scripts, tests)' });
}

export function sessionConfig(args: SessionArgs) {
  const base = loadConfig(args.config);
  return parseConfig({
    ...base,
    ...(args.seed !== undefined ? { seed: args.seed } : {}),
    ...(args.cash !== undefined ? { startingCashUsdc: args.cash } : {}),
    ...(args['data-dir'] ? { dataDir: args['data-dir'] } : {}),
  });
}

/** Starts the session, shows the TUI or log lines, and stops cleanly on q / Ctrl+C / SIGTERM. */
export async function runSessionCommand(mode: 'paper' | 'live', args: SessionArgs, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  checkSessionArgs(args);
  const config = sessionConfig(args);
  checkServeArgs(args, config);
  const picks = args['from-scout'] ? readScoutFile(args['from-scout'], args['scout-top'] ?? 3) : [];
  const targets = [...new Set([...(args.target ?? []), ...picks.map((p) => p.wallet)].map((t) => t.toLowerCase()))];
  const code = await runSession({
    mode,
    config,
    env,
    sandboxUrl: args.sandbox === undefined ? undefined : args.sandbox || DEFAULT_SANDBOX_URL,
    tui: args.tui && !args.serve,
    json: args.json,
    cancelOnExit: args['cancel-on-exit'],
    runSeconds: args['run-seconds'],
    scoutPicks: picks,
    serve: args.serve ? (session, log) => startServing(args, session, config, log) : undefined,
    session: {
      overrides: { targets: targets.length ? targets : undefined, strategy: args.strategy, multiplier: args.multiplier },
      pollIntervalMs: args['poll-ms'],
      syncIntervalMs: args['sync-seconds'] === undefined ? undefined : args['sync-seconds'] * 1000,
      catchUp: args['catch-up'],
    },
  });
  process.exit(code);
}

/** Every session flag, checked before the session starts (also before live asks to type LIVE). */
export function checkSessionArgs(args: SessionArgs): void {
  checkCommonArgs(args);
  positive('--poll-ms', args['poll-ms'], 'milliseconds, e.g. 5000');
  positive('--run-seconds', args['run-seconds'], 'e.g. 60');
  if (args['sync-seconds'] !== undefined && !(Number.isFinite(args['sync-seconds']) && args['sync-seconds'] >= 0))
    throw new ConfigError(`--sync-seconds ${args['sync-seconds']}: expected 0 (only on demand) or a number of seconds, e.g. 30`);
}

/** Live trades real money: ask for an explicit yes unless every host is the local sandbox. */
export async function confirmLive(args: { 'i-understand-this-trades-real-money'?: boolean }, loopback: boolean): Promise<void> {
  if (loopback || args['i-understand-this-trades-real-money']) return;
  if (!process.stdin.isTTY) {
    throw new ConfigError(
      'live mode trades real money. Pass --i-understand-this-trades-real-money to start it without a terminal, or try it first against the sandbox: polytail live --sandbox',
    );
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  const answer = await rl.question('polytail live sends REAL orders with REAL money on Polymarket. Type LIVE to continue: ');
  rl.close();
  if (answer.trim() !== 'LIVE') throw new ConfigError('not started: live mode needs you to type LIVE (in capitals)');
}

interface PaperArgs extends SessionArgs {}

export const paperCommand: CommandModule<object, PaperArgs> = {
  command: 'paper',
  describe: 'copy traders with simulated fills against live order books (no orders are sent)',
  builder: (y) =>
    withSessionOptions(y)
      .example(
        '$0 paper --sandbox --target 0x1111111111111111111111111111111111111111',
        'paper-trade a sandbox target (run `polytail sandbox` first)',
      )
      .option('from-scout', { type: 'string', describe: 'follow the top wallets of a `polytail scout --json` file (with any --target)' })
      .option('scout-top', { type: 'number', describe: 'how many of the scout file’s top wallets to follow (default 3)' })
      .example('$0 paper --config polytail.json', 'paper-trade the config’s targets on Polymarket')
      .example('$0 scout rec.duckdb --json > scout.json && $0 paper --from-scout scout.json', 'paper-trade the scout’s top 3') as never,
  handler: async (args) => runSessionCommand('paper', args),
};
