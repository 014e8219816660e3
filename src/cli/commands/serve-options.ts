/** `--serve` for `polytail paper` and `polytail live`: run headless as a daemon with the control server. */
import type { Argv } from 'yargs';
import type { LiveSession } from '../../modes/live-session.ts';
import { serveSession, type ServedSession } from '../../server/serve-session.ts';
import type { PolytailConfig } from '../../config/config.ts';
import type { SessionLog } from '../../live/session-log.ts';
import { checkBind } from '../../server/bind-policy.ts';

export interface ServeArgs {
  serve: boolean;
  port?: number;
  bind?: string;
  'allow-remote'?: boolean;
  'tls-cert'?: string;
  'tls-key'?: string;
}

export function withServeOptions<T>(y: Argv<T>) {
  return y
    .option('serve', {
      type: 'boolean',
      default: false,
      describe: 'run headless with the control API (attach with `polytail attach`; keeps running when the terminal closes)',
    })
    .option('port', { type: 'number', describe: 'control API port with --serve (default 7878; 0 = any free port)' })
    .option('bind', { type: 'string', describe: 'control API address with --serve (default 127.0.0.1)' })
    .option('allow-remote', { type: 'boolean', describe: 'allow --bind to a non-loopback address (needs --tls-cert and --tls-key)' })
    .option('tls-cert', { type: 'string', describe: 'TLS certificate (PEM) for the control API' })
    .option('tls-key', { type: 'string', describe: 'TLS private key (PEM) for the control API' });
}

/** Refuses a bad bind before the session starts (no feeds opened for nothing). */
export function checkServeArgs(args: ServeArgs, config: PolytailConfig): void {
  if (!args.serve) return;
  checkBind({
    host: args.bind ?? config.server.host,
    allowRemote: args['allow-remote'] ?? config.server.allowRemote,
    tlsCert: args['tls-cert'] ?? config.server.tlsCert,
    tlsKey: args['tls-key'] ?? config.server.tlsKey,
  });
}

/**
 * Starts the control server next to a running session. A daemon must outlive its terminal: SIGHUP
 * is logged and ignored, and a closed stdout (the terminal went away) no longer crashes the process.
 */
export async function startServing(args: ServeArgs, session: LiveSession, config: PolytailConfig, log: SessionLog): Promise<ServedSession> {
  const ignore = () => undefined;
  process.stdout.on('error', ignore);
  process.stderr.on('error', ignore);
  process.on('SIGHUP', () => log.feedLog('info', 'SIGHUP ignored: a served session keeps running (stop it with SIGTERM or Ctrl+C)'));
  const served = await serveSession({
    session,
    config,
    env: process.env,
    log: log.feedLog,
    host: args.bind,
    port: args.port,
    allowRemote: args['allow-remote'],
    tlsCert: args['tls-cert'],
    tlsKey: args['tls-key'],
  });
  log.feedLog('info', `control API on ${served.url} (attach: polytail attach ${served.url}; docs/operate.md)`);
  return served;
}
