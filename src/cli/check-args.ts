/**
 * Flags checked before anything runs: each bad value is one line saying what is wrong and what is
 * accepted (exit 2), instead of a stack trace from deep inside a strategy's schema.
 */
import { ConfigError } from '../core/errors.ts';

const WALLET = /^0x[0-9a-fA-F]{40}$/;

export interface CommonArgs {
  target?: string[];
  multiplier?: number;
  cash?: number;
  seed?: number;
}

export function checkCommonArgs(args: CommonArgs): void {
  for (const t of args.target ?? []) {
    if (!WALLET.test(String(t).trim()))
      throw new ConfigError(`--target ${JSON.stringify(t)}: not a wallet address; expected 0x followed by 40 hex digits`);
  }
  positive('--multiplier', args.multiplier, 'e.g. 0.5 or 2');
  positive('--cash', args.cash, 'starting cash in USDC, e.g. 1000');
  if (args.seed !== undefined && !Number.isSafeInteger(args.seed))
    throw new ConfigError(`--seed ${shown(args.seed)}: expected a whole number, e.g. 1`);
}

/** A number flag that must be finite and above 0 (yargs turns "abc" into NaN). */
export function positive(flag: string, value: number | undefined, example: string): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0)
    throw new ConfigError(`${flag} ${shown(value)}: expected a number above 0 (${example})`);
}

/** `--from` must come before `--to` (the window is [from, to)). */
export function checkWindow(from: number | undefined, to: number | undefined): void {
  if (from !== undefined && to !== undefined && from >= to) {
    throw new ConfigError(
      `--from ${new Date(from).toISOString()} is not before --to ${new Date(to).toISOString()}; give a start earlier than the end`,
    );
  }
}

function shown(value: unknown): string {
  return typeof value === 'number' && Number.isNaN(value) ? '(not a number)' : String(value);
}
