/**
 * `polytail daemon --config daemon.json`: several accounts on one control server (docs/operate.md,
 * "Several accounts"). Runs headless until SIGTERM or Ctrl+C; SIGHUP is ignored, like `--serve`.
 */
import type { Argv, CommandModule } from 'yargs';
import { ConfigError } from '../../core/errors.ts';
import { loadDaemonConfig } from '../../config/daemon-config.ts';
import { DEFAULT_SANDBOX_URL } from '../../modes/session-hosts.ts';
import { startDaemon } from '../../server/serve-accounts.ts';

interface DaemonArgs {
  config: string;
  sandbox?: string;
  port?: number;
  bind?: string;
  'allow-live': boolean;
}

export async function runDaemon(args: DaemonArgs): Promise<void> {
  const daemon = loadDaemonConfig(args.config);
  const sandboxUrl = args.sandbox === undefined ? undefined : args.sandbox || DEFAULT_SANDBOX_URL;
  const live = daemon.accounts.filter((a) => a.mode === 'live').map((a) => a.id);
  if (live.length > 0 && !sandboxUrl && !args['allow-live'])
    throw new ConfigError(
      `accounts ${live.join(', ')} trade REAL money: add --allow-live to start them (or point at a sandbox with --sandbox)`,
    );
  const log = (level: 'info' | 'warn' | 'error', message: string) => process.stderr.write(`${level} ${message}\n`);
  const ignore = () => undefined;
  process.stdout.on('error', ignore);
  process.stderr.on('error', ignore);
  process.on('SIGHUP', () => log('info', 'SIGHUP ignored: the daemon keeps running (stop it with SIGTERM or Ctrl+C)'));
  const running = await startDaemon({ daemon, env: process.env, log, sandboxUrl, port: args.port, host: args.bind });
  for (const a of running.accounts.directory.list())
    log(
      a.info.state === 'running' ? 'info' : 'error',
      `account ${a.info.id} (${a.info.kind}, ${a.info.mode}): ${a.info.state}${a.info.error ? ` — ${a.info.error}` : ''}`,
    );
  log('info', `control API on ${running.url} (polytail user / polytail token create --user … give people access)`);
  const why = await new Promise<string>((resolve) => {
    process.once('SIGINT', () => resolve('Ctrl+C'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  await running.stop(why);
  log('info', `daemon stopped (${why})`);
}

export const daemonCommand: CommandModule<object, DaemonArgs> = {
  command: 'daemon',
  describe: 'run several accounts (own wallets, pools with sub-accounts) on one control server',
  builder: (y: Argv) =>
    y
      .option('config', { type: 'string', demandOption: true, describe: 'daemon config (JSON): dataDir, server, alerts, accounts' })
      .option('sandbox', { type: 'string', describe: `point every account at a sandbox (no value: ${DEFAULT_SANDBOX_URL})` })
      .option('port', { type: 'number', describe: 'control API port (default the config’s server.port)' })
      .option('bind', { type: 'string', describe: 'control API address (default 127.0.0.1)' })
      .option('allow-live', { type: 'boolean', default: false, describe: 'start live accounts (REAL orders)' })
      .example('$0 daemon --config daemon.json --sandbox', 'every account against the local sandbox') as never,
  handler: (args) => runDaemon(args),
};
