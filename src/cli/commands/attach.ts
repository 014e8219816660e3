/**
 * `polytail attach [URL]`: the TUI on a session started with `--serve` — every panel and key, through
 * the control API. Quitting detaches; the session keeps running. Several can attach at once.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { RemoteEngine } from '../../server/client/remote-engine.ts';
import { ConfigError } from '../../core/errors.ts';
import { loadConfig } from '../../config/config.ts';
import { SessionModel, runTui } from '../../tui/index.ts';

export const TOKEN_ENV = 'POLYTAIL_TOKEN';

interface AttachArgs {
  url?: string;
  'token-file'?: string;
  mode?: string;
  config?: string;
  'data-dir'?: string;
}

/** The URL given, or the one a served session on this machine wrote into the data dir. */
export function findSessionUrl(dataDir: string, mode?: string): string {
  const dir = join(dataDir, 'serve');
  const found = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.json') && (!mode || f === `${mode}.json`))
        .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as { url: string; mode: string; pid: number })
    : [];
  if (found.length === 1) return found[0]!.url;
  if (found.length > 1)
    throw new ConfigError(
      `several served sessions in ${dir} (${found.map((f) => f.mode).join(', ')}): pick one with --mode or give its URL`,
    );
  throw new ConfigError(
    `no served session found in ${dir}: start one with \`polytail paper --serve\` (or give the URL, e.g. polytail attach http://127.0.0.1:7878)`,
  );
}

/** From a file or the environment: never a flag, which would show in `ps` and the shell history. */
export function readToken(args: { 'token-file'?: string }, env: NodeJS.ProcessEnv = process.env): string {
  const token = args['token-file'] ? readFileSync(args['token-file'], 'utf8').trim() : env[TOKEN_ENV];
  if (!token)
    throw new ConfigError(
      `no API token: set ${TOKEN_ENV} (or --token-file). Create one on the server with \`polytail token create --role trader\``,
    );
  return token;
}

export async function runAttach(args: AttachArgs): Promise<void> {
  const url = args.url ?? findSessionUrl(args['data-dir'] ?? loadConfig(args.config).dataDir, args.mode);
  const token = readToken(args);
  const model = new SessionModel();
  let remote: RemoteEngine;
  try {
    remote = await RemoteEngine.connect({
      url,
      token,
      listener: model,
      onNote: (level, message) => model.note(remote?.snapshot().nowMs ?? Date.now(), message, level, 'attach'),
    });
  } catch (error) {
    throw new ConfigError(`cannot attach to ${url}: ${(error as Error).message}`);
  }
  model.note(
    remote.snapshot().nowMs,
    `attached to the ${remote.session.mode} session ${remote.session.runId} at ${url} as ${remote.principal.name} (${remote.principal.role}); q detaches, the session keeps running`,
  );
  if (!process.stdout.isTTY) throw new ConfigError('attach needs a terminal (the TUI); for scripts, call the API (docs/operate.md)');
  await runTui({ model, view: remote, commands: remote, detach: true });
  remote.close();
  process.exit(0);
}

export const attachCommand: CommandModule<object, AttachArgs> = {
  command: 'attach [url]',
  describe: 'open the TUI on a session running with --serve; quitting detaches',
  builder: (y: Argv) =>
    y
      .positional('url', { type: 'string', describe: 'control API URL (default: the session this data dir serves)' })
      .option('token-file', { type: 'string', describe: `read the API token from this file (default: ${TOKEN_ENV} in the environment)` })
      .option('mode', { type: 'string', choices: ['paper', 'live'], describe: 'which served session, when both run' })
      .option('config', { type: 'string', describe: 'JSON config file (for its dataDir)' })
      .option('data-dir', { type: 'string', describe: 'where served sessions note their URL (default .polytail)' })
      .example('$0 attach', 'attach to the session served from this directory (token in POLYTAIL_TOKEN)')
      .example('ssh -L 7878:127.0.0.1:7878 host, then: $0 attach http://127.0.0.1:7878', 'attach from your laptop through SSH') as never,
  handler: (args) => runAttach(args),
};
