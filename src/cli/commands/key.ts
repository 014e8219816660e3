/** `polytail key import|address`: keep the trading key in an encrypted keystore instead of the environment. */
import { existsSync, readFileSync } from 'node:fs';
import type { Argv, CommandModule } from 'yargs';
import { ConfigError } from '../../core/errors.ts';
import { loadConfig } from '../../config/config.ts';
import { PRIVATE_KEY_ENV } from '../../wallet/private-key.ts';
import { keystoreAddress, keystorePath, readPassphrase, writeKeystore } from '../../wallet/keystore.ts';
import { promptHidden } from '../hidden-prompt.ts';

interface KeyArgs {
  action: string;
  config?: string;
  'data-dir'?: string;
  'passphrase-fd'?: number;
  force: boolean;
}

export async function runKey(
  args: KeyArgs,
  env: NodeJS.ProcessEnv = process.env,
  write = (l: string): void => void process.stdout.write(l + '\n'),
): Promise<void> {
  const dataDir = args['data-dir'] ?? loadConfig(args.config, env).dataDir;
  const path = keystorePath(dataDir);
  if (args.action === 'address') {
    if (!existsSync(path)) throw new ConfigError(`no keystore at ${path}: create one with polytail key import`);
    write(`${keystoreAddress(path)}  (${path})`);
    return;
  }
  if (existsSync(path) && !args.force) throw new ConfigError(`${path} exists: pass --force to replace it (keep a copy first)`);
  const tty = Boolean(process.stdin.isTTY);
  const key =
    env[PRIVATE_KEY_ENV] ??
    (tty ? await promptHidden('private key (0x + 64 hex digits, not shown): ') : readFileSync(0, 'utf8').split('\n')[0]);
  const passphrase = await readPassphrase({
    env,
    fd: args['passphrase-fd'],
    prompt: tty
      ? async (q) => {
          const first = await promptHidden(`new ${q}`);
          if ((await promptHidden('again: ')) !== first) throw new ConfigError('the two passphrases differ; nothing was written');
          return first;
        }
      : undefined,
  });
  const address = await writeKeystore(path, key ?? '', passphrase);
  write(`wrote ${path} (mode 0600) for ${address}`);
  if (env[PRIVATE_KEY_ENV])
    process.stderr.write(`now remove ${PRIVATE_KEY_ENV} from your environment and .env: polytail unlocks the keystore at start\n`);
}

export const keyCommand: CommandModule<object, KeyArgs> = {
  command: 'key <action>',
  describe: 'store the trading key in an encrypted keystore (import), or show its address',
  builder: (y: Argv) =>
    y
      .positional('action', { type: 'string', choices: ['import', 'address'], demandOption: true })
      .option('config', { type: 'string', describe: 'JSON config file (for its dataDir)' })
      .option('data-dir', { type: 'string', describe: 'where keystore.json goes (default .polytail)' })
      .option('passphrase-fd', { type: 'number', describe: 'read the passphrase from this file descriptor' })
      .option('force', { type: 'boolean', default: false, describe: 'replace an existing keystore' })
      .example('$0 key import', `encrypt the key (asked for, or from ${PRIVATE_KEY_ENV}) with a passphrase you choose`)
      .example('$0 key address', 'which wallet the keystore holds (no passphrase needed)') as never,
  handler: (args) => runKey(args),
};
