/** Options `polytail approve` and `polytail redeem` share, and the terminal prompts they ask with. */
import { createInterface } from 'node:readline/promises';
import type { Argv } from 'yargs';
import { ConfigError } from '../../core/errors.ts';
import { DEFAULT_SANDBOX_URL } from '../../modes/session-hosts.ts';

export interface ChainArgs {
  config?: string;
  sandbox?: string;
  'data-dir'?: string;
  yes: boolean;
}

export function withChainOptions<T>(y: Argv<T>) {
  return y
    .option('config', { type: 'string', describe: 'JSON config file (its `chain` section, or POLYTAIL_RPC_URL)' })
    .option('sandbox', {
      type: 'string',
      describe: `use a sandbox started with \`polytail sandbox --chain\` (no value: ${DEFAULT_SANDBOX_URL})`,
    })
    .option('data-dir', { type: 'string', describe: 'where journals, recordings and credentials live (default .polytail)' })
    .option('yes', { type: 'boolean', default: false, describe: 'send without asking (scripts)' });
}

export function sandboxUrlOf(args: ChainArgs): string | undefined {
  return args.sandbox === undefined ? undefined : args.sandbox || DEFAULT_SANDBOX_URL;
}

/** Asks on the terminal; without one, refuses and says to pass --yes. */
export async function ask(question: string): Promise<string> {
  if (!process.stdin.isTTY) throw new ConfigError(`${question} — no terminal to ask on: pass --yes (and say what to act on) in scripts`);
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await rl.question(question);
  } finally {
    rl.close();
  }
}

export async function confirm(question: string): Promise<boolean> {
  return /^y(es)?$/i.test((await ask(`${question} [y/N] `)).trim());
}
