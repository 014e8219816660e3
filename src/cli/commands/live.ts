/** `polytail live`: copy traders with real orders on the Polymarket CLOB (explicit opt-in). */
import type { CommandModule } from 'yargs';
import { isLoopback } from '../../polymarket/hosts.ts';
import { resolveHosts, DEFAULT_SANDBOX_URL } from '../../modes/session-hosts.ts';
import { envWithKey } from '../../wallet/keystore.ts';
import { promptHidden } from '../hidden-prompt.ts';
import { checkSessionArgs, confirmLive, runSessionCommand, sessionConfig, withSessionOptions, type SessionArgs } from './paper.ts';

interface LiveArgs extends SessionArgs {
  'i-understand-this-trades-real-money'?: boolean;
  'passphrase-fd'?: number;
}

export const liveCommand: CommandModule<object, LiveArgs> = {
  command: 'live',
  describe: 'copy traders with REAL orders on Polymarket (key from POLYTAIL_PRIVATE_KEY or the keystore; asks you to type LIVE)',
  builder: (y) =>
    withSessionOptions(y)
      .option('i-understand-this-trades-real-money', {
        type: 'boolean',
        describe: 'start live trading without the LIVE prompt (scripts). Not needed with --sandbox',
      })
      .option('passphrase-fd', { type: 'number', describe: 'read the keystore passphrase from this file descriptor (systemd, scripts)' })
      .example(
        '$0 live --sandbox --target 0x1111111111111111111111111111111111111111',
        'trade against the local sandbox with its test key: no real money',
      )
      .example('$0 doctor && $0 live --config polytail.json', 'check the setup, then trade the config’s targets for real') as never,
  handler: async (args) => {
    checkSessionArgs(args);
    const sandboxUrl = args.sandbox === undefined ? undefined : args.sandbox || DEFAULT_SANDBOX_URL;
    const config = sessionConfig(args);
    await confirmLive(args, isLoopback(resolveHosts(config, sandboxUrl)));
    const { env, source } = await envWithKey(config.dataDir, {
      env: process.env,
      fd: args['passphrase-fd'],
      prompt: process.stdin.isTTY ? promptHidden : undefined,
    });
    if (source?.kind === 'keystore') process.stderr.write(`trading key unlocked from ${source.label}\n`);
    await runSessionCommand('live', args, env);
  },
};
