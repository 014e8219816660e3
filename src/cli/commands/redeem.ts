/** `polytail redeem`: list resolved positions, then redeem all or some of them. */
import type { CommandModule } from 'yargs';
import { promptHidden } from '../hidden-prompt.ts';
import { runRedeem } from '../../modes/redeem.ts';
import { type ChainArgs, ask, confirm, sandboxUrlOf, withChainOptions } from './chain-args.ts';

interface RedeemArgs extends ChainArgs {
  all: boolean;
  list: boolean;
  condition?: string[];
}

export const redeemCommand: CommandModule<object, RedeemArgs> = {
  command: 'redeem',
  describe: 'list resolved positions and redeem all or some for pUSD (binary via the CTF, neg-risk via the adapter)',
  builder: (y) =>
    withChainOptions(y)
      .option('all', { type: 'boolean', default: false, describe: 'redeem every listed position' })
      .option('condition', { type: 'string', array: true, describe: 'redeem this one (condition id or list number; repeatable)' })
      .option('list', { type: 'boolean', default: false, describe: 'only list what can be redeemed' })
      .example('$0 redeem', 'list, then ask which to redeem')
      .example('$0 redeem --all --yes', 'redeem everything without asking (cron)') as never,
  handler: async (args) => {
    const { exitCode } = await runRedeem({
      configPath: args.config,
      env: process.env,
      prompt: process.stdin.isTTY ? promptHidden : undefined,
      sandboxUrl: sandboxUrlOf(args),
      dataDir: args['data-dir'],
      all: args.all && !args.list,
      pick: args.list ? undefined : args.condition,
      choose: args.list ? undefined : ask,
      yes: args.yes,
      confirm,
      print: (line) => process.stdout.write(`${line}\n`),
    });
    process.exitCode = exitCode;
  },
};
