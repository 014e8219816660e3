/** `polytail token create|list|revoke`: bearer tokens for the control API (stored hashed in the data dir). */
import type { Argv, CommandModule } from 'yargs';
import { ConfigError } from '../../core/errors.ts';
import { loadConfig } from '../../config/config.ts';
import { ROLES, isRole } from '../../server/auth/roles.ts';
import { TokenStore } from '../../server/auth/token-store.ts';

interface TokenArgs {
  action: string;
  id?: string;
  role?: string;
  name?: string;
  config?: string;
  'data-dir'?: string;
  json: boolean;
}

function storeOf(args: TokenArgs): TokenStore {
  const dataDir = args['data-dir'] ?? loadConfig(args.config).dataDir;
  return TokenStore.forDataDir(dataDir);
}

export async function runToken(args: TokenArgs, write: (line: string) => void = (l) => process.stdout.write(l + '\n')): Promise<void> {
  const store = storeOf(args);
  switch (args.action) {
    case 'create': {
      if (!isRole(args.role)) throw new ConfigError(`--role is required: one of ${ROLES.join(', ')}`);
      const name = args.name ?? `${args.role}-${new Date().toISOString().slice(0, 10)}`;
      const { token, info } = await store.create(args.role, name, Date.now());
      if (args.json) return write(JSON.stringify({ token, ...info }));
      write(token);
      process.stderr.write(
        `created ${info.role} token ${info.id} (“${info.name}”) in ${store.path}\nit is shown only this once: keep it somewhere safe (e.g. export POLYTAIL_TOKEN=…)\n`,
      );
      return;
    }
    case 'list': {
      const list = store.list();
      if (args.json) return write(JSON.stringify(list));
      if (list.length === 0) return write(`no tokens in ${store.path}`);
      for (const t of list)
        write(
          `${t.id}  ${t.role.padEnd(7)}  ${t.name}  created ${new Date(t.createdMs).toISOString()}${t.revokedMs ? `  REVOKED ${new Date(t.revokedMs).toISOString()}` : ''}`,
        );
      return;
    }
    case 'revoke': {
      if (!args.id) throw new ConfigError('give the token id (or its name) to revoke: polytail token revoke <id>');
      const info = store.revoke(args.id, Date.now());
      return write(
        args.json ? JSON.stringify(info) : `revoked ${info.id} (“${info.name}”); a running server refuses it from its next request`,
      );
    }
    default:
      throw new ConfigError(`unknown action "${args.action}": create, list or revoke`);
  }
}

export const tokenCommand: CommandModule<object, TokenArgs> = {
  command: 'token <action> [id]',
  describe: 'create, list or revoke control API tokens (viewer, trader, admin, metrics)',
  builder: (y: Argv) =>
    y
      .positional('action', { type: 'string', choices: ['create', 'list', 'revoke'], demandOption: true })
      .positional('id', { type: 'string', describe: 'token id or name (revoke)' })
      .option('role', { type: 'string', choices: [...ROLES], describe: 'create: what the token may do' })
      .option('name', { type: 'string', describe: 'create: a name to recognise it by (shown in the audit log)' })
      .option('config', { type: 'string', describe: 'JSON config file (for its dataDir)' })
      .option('data-dir', { type: 'string', describe: 'where the token file lives (default .polytail)' })
      .option('json', { type: 'boolean', default: false, describe: 'machine-readable output' })
      .example('$0 token create --role viewer --name phone', 'print a new read-only token (once)')
      .example('$0 token revoke 3f9c01ab22de', 'revoke a token by id') as never,
  handler: (args) => runToken(args),
};
