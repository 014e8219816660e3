/**
 * `polytail user create|list|grant|admin|remove`: who may reach which account of a daemon. A user
 * holds a role (viewer, trader, admin) on each account granted to them and nothing on the others;
 * their tokens (`polytail token create --user NAME --role R`) get, on each account, the lower of R
 * and the grant. A daemon admin also manages users over the API. A running daemon sees changes at
 * once (it re-reads users.json when it changes).
 */
import type { Argv, CommandModule } from 'yargs';
import { ConfigError } from '../../core/errors.ts';
import { loadConfig } from '../../config/config.ts';
import { TokenStore } from '../../server/auth/token-store.ts';
import { ACCOUNT_ROLES, UserStore, type AccountRole } from '../../server/auth/user-store.ts';

interface UserArgs {
  action: string;
  name?: string;
  account?: string;
  role?: string;
  'daemon-admin'?: boolean;
  config?: string;
  'data-dir'?: string;
  json: boolean;
}

export function runUser(args: UserArgs, write: (line: string) => void = (l) => process.stdout.write(l + '\n')): void {
  const dataDir = args['data-dir'] ?? loadConfig(args.config).dataDir;
  const users = UserStore.forDataDir(dataDir);
  const name = (): string => {
    if (!args.name) throw new ConfigError(`give the user's name: polytail user ${args.action} <name>`);
    return args.name;
  };
  const show = (u: ReturnType<UserStore['create']>) =>
    args.json
      ? JSON.stringify(u)
      : `${u.name}${u.daemonAdmin ? '  (daemon admin)' : ''}  ${
          Object.entries(u.grants)
            .map(([a, r]) => `${a}:${r}`)
            .join(' ') || 'no accounts'
        }`;
  switch (args.action) {
    case 'create':
      return write(show(users.create(name(), { daemonAdmin: args['daemon-admin'] === true, nowMs: Date.now() })));
    case 'list': {
      const list = users.list();
      if (args.json) return write(JSON.stringify(list));
      if (list.length === 0) return write(`no users in ${users.path}`);
      for (const u of list) write(show(u));
      return;
    }
    case 'grant': {
      if (!args.account) throw new ConfigError('give the account: polytail user grant <name> --account ID --role viewer|trader|admin|none');
      if (args.role !== 'none' && !(ACCOUNT_ROLES as readonly string[]).includes(args.role ?? ''))
        throw new ConfigError(`--role is one of ${ACCOUNT_ROLES.join(', ')}, or none to take the account away`);
      const role = args.role === 'none' ? undefined : (args.role as AccountRole);
      return write(show(users.grant(name(), args.account, role)));
    }
    case 'admin':
      return write(show(users.setDaemonAdmin(name(), args.role !== 'none')));
    case 'remove': {
      const user = name();
      if (!users.get(user)) throw new ConfigError(`no user "${user}" (polytail user list shows them)`);
      const tokens = TokenStore.forDataDir(dataDir);
      let revoked = 0;
      for (const t of tokens.list())
        if (t.user === user && t.revokedMs === undefined) {
          tokens.revoke(t.id, Date.now());
          revoked++;
        }
      users.remove(user);
      return write(args.json ? JSON.stringify({ removed: user, revokedTokens: revoked }) : `removed ${user}; revoked ${revoked} token(s)`);
    }
    default:
      throw new ConfigError(`unknown action "${args.action}": create, list, grant, admin or remove`);
  }
}

export const userCommand: CommandModule<object, UserArgs> = {
  command: 'user <action> [name]',
  describe: 'users of a daemon with several accounts: create, list, grant a role on an account, make daemon admin, remove',
  builder: (y: Argv) =>
    y
      .positional('action', { type: 'string', choices: ['create', 'list', 'grant', 'admin', 'remove'], demandOption: true })
      .positional('name', { type: 'string', describe: 'the user (lower-case letters, digits, _ . -)' })
      .option('account', { type: 'string', describe: 'grant: the account id' })
      .option('role', {
        type: 'string',
        describe: 'grant: viewer|trader|admin|none; admin: none takes daemon admin away',
      })
      .option('daemon-admin', { type: 'boolean', describe: 'create: the user also manages users, grants and tokens' })
      .option('config', { type: 'string', describe: 'JSON config file (for its dataDir)' })
      .option('data-dir', { type: 'string', describe: 'where users.json lives (default .polytail)' })
      .option('json', { type: 'boolean', default: false, describe: 'machine-readable output' })
      .example('$0 user create alice', 'a user with no accounts yet')
      .example('$0 user grant alice --account alice-paper --role trader', 'alice may trade on alice-paper')
      .example('$0 token create --user alice --role trader --name alice-phone', 'a token for alice') as never,
  handler: (args) => runUser(args),
};
