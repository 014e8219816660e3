/** `polytail approve`: send the approvals a wallet needs to trade (after showing them and asking). */
import type { CommandModule } from 'yargs';
import { promptHidden } from '../hidden-prompt.ts';
import { runApprove } from '../../modes/approve.ts';
import { type ChainArgs, confirm, sandboxUrlOf, withChainOptions } from './chain-args.ts';

export const approveCommand: CommandModule<object, ChainArgs> = {
  command: 'approve',
  describe: 'approve pUSD and outcome tokens for the exchanges and the neg-risk adapter (shows the transactions, asks first)',
  builder: (y) =>
    withChainOptions(y)
      .example('$0 approve', 'show what is missing for the wallet of POLYTAIL_PRIVATE_KEY, then ask before sending')
      .example('$0 approve --sandbox --yes', 'approve the sandbox test wallet on the local chain') as never,
  handler: async (args) => {
    const { exitCode } = await runApprove({
      configPath: args.config,
      env: process.env,
      prompt: process.stdin.isTTY ? promptHidden : undefined,
      sandboxUrl: sandboxUrlOf(args),
      dataDir: args['data-dir'],
      yes: args.yes,
      confirm,
      print: (line) => process.stdout.write(`${line}\n`),
    });
    process.exitCode = exitCode;
  },
};
