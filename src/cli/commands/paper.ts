/**
 * `polytail paper`: copy targets with simulated fills against the live order books (no orders are
 * sent). The session runner here is shared with `polytail live`.
 */
import { createInterface } from 'node:readline/promises';
import type { Argv, CommandModule } from 'yargs';
import { ConfigError } from '../../core/errors.ts';
import { startLiveSession, type LiveSession } from '../../modes/live-session.ts';
import { DEFAULT_SANDBOX_URL } from '../../modes/session-hosts.ts';
import { SessionLog } from '../../live/session-log.ts';
import { SessionModel, runTui } from '../../tui/index.ts';
import { loadConfig, parseConfig } from '../../config/config.ts';
import { checkServeArgs, startServing, withServeOptions, type ServeArgs } from './serve-options.ts';
import type { ServedSession } from '../../server/serve-session.ts';

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
  const config = sessionConfig(args);
  checkServeArgs(args, config);
  const sandboxUrl = args.sandbox === undefined ? undefined : args.sandbox || DEFAULT_SANDBOX_URL;
  const useTui = args.tui && !args.json && !args.serve && Boolean(process.stdout.isTTY);
  const log = new SessionLog({ json: args.json, write: (line) => process.stdout.write(line + '\n') });
  const model = useTui ? new SessionModel() : undefined;
  const quietFeeds = () => {};
  let session: LiveSession;
  try {
    session = await startLiveSession({
      mode,
      config,
      overrides: { targets: args.target?.map((t) => t.toLowerCase()), strategy: args.strategy, multiplier: args.multiplier },
      sandboxUrl,
      env,
      listeners: [model ?? log],
      log: useTui ? quietFeeds : log.feedLog,
      pollIntervalMs: args['poll-ms'],
      syncIntervalMs: args['sync-seconds'] === undefined ? undefined : args['sync-seconds'] * 1000,
      catchUp: args['catch-up'],
    });
  } catch (error) {
    if (error instanceof TypeError && /fetch failed/.test(error.message) && sandboxUrl)
      throw new ConfigError(`no sandbox answers at ${sandboxUrl}: start one with \`polytail sandbox\` (or give its URL to --sandbox)`);
    throw error;
  }
  let served: ServedSession | undefined;
  if (args.serve) {
    try {
      served = await startServing(args, session, config, log);
    } catch (error) {
      await session.stop();
      throw error;
    }
  }
  const stop = async (why: string) => {
    log.stop();
    await served?.stop(why);
    await session.stop({ cancelOpen: args['cancel-on-exit'] });
    if (!useTui) log.feedLog('info', `${mode} session stopped (${why}); recording ${session.recordingPath}`);
  };
  let stopping: Promise<void> | undefined;
  const done = new Promise<string>((resolve) => {
    process.once('SIGINT', () => resolve('Ctrl+C'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
    if (args['run-seconds'] !== undefined) setTimeout(() => resolve(`ran ${args['run-seconds']} s`), args['run-seconds'] * 1000).unref();
  });
  if (model) {
    const tui = runTui({ model, view: session.engine.control, commands: session.engine.control });
    const why = await Promise.race([tui.then(() => 'quit'), done]);
    stopping = stop(why);
  } else {
    log.startStatus(session.engine.control);
    stopping = stop(await done);
  }
  await stopping;
  process.exit(0);
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
      .example('$0 paper --config polytail.json', 'paper-trade the config’s targets on Polymarket') as never,
  handler: async (args) => runSessionCommand('paper', args),
};
