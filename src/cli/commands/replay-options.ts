/** Options shared by `replay` and `sweep` (and their parsing into config overrides). */
import type { Argv } from 'yargs';
import { ConfigError } from '../../core/errors.ts';
import { loadConfig, parseConfig, type PolytailConfig } from '../../config/config.ts';

export const BUNDLED_DEFAULT = 'recordings/nobel-peace-prize-2025.duckdb';

export interface ReplayArgs {
  recording: string;
  target?: string[];
  strategy?: string;
  multiplier?: number;
  config?: string;
  'fill-model'?: string;
  'latency-ms'?: number;
  'slippage-ticks'?: number;
  seed?: number;
  from?: string;
  to?: string;
  cash?: number;
}

export function withReplayOptions<T>(y: Argv<T>) {
  return y
    .option('target', { type: 'string', array: true, describe: 'wallet to copy (repeatable); default: the recording’s only wallet' })
    .option('strategy', { type: 'string', describe: 'copy strategy name or file path (default: mirror, or the config’s)' })
    .option('multiplier', { type: 'number', describe: 'copy size = target size × this' })
    .option('config', { type: 'string', describe: 'JSON config file (same as live)' })
    .option('fill-model', {
      choices: ['auto', 'target-price', 'top-of-book', 'book-walk'] as const,
      describe: 'how simulated orders fill; auto = book-walk when the recording has books, else target-price',
    })
    .option('latency-ms', { type: 'number', describe: 'decide this long after each event, against the book as it was then' })
    .option('slippage-ticks', { type: 'number', describe: 'top-of-book: extra ticks of slippage' })
    .option('seed', { type: 'number', describe: 'seed for ids and any randomness (same seed ⇒ same fills)' })
    .option('from', { type: 'string', describe: 'start time (ISO date/time or unix ms)' })
    .option('to', { type: 'string', describe: 'end time, exclusive (ISO date/time or unix ms)' })
    .option('cash', { type: 'number', describe: 'starting cash in USDC' });
}

/** Config file + environment + these flags, flags winning. */
export function replayConfig(args: ReplayArgs): PolytailConfig {
  const base = loadConfig(args.config);
  return parseConfig({
    ...base,
    ...(args['fill-model'] ? { fillModel: args['fill-model'] } : {}),
    ...(args['latency-ms'] !== undefined ? { latencyMs: args['latency-ms'] } : {}),
    ...(args['slippage-ticks'] !== undefined ? { slippageTicks: args['slippage-ticks'] } : {}),
    ...(args.seed !== undefined ? { seed: args.seed } : {}),
    ...(args.cash !== undefined ? { startingCashUsdc: args.cash } : {}),
  });
}

export function parseTime(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (/^\d{10,13}$/.test(value)) return value.length === 10 ? Number(value) * 1000 : Number(value);
  const ms = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(value) || value.length <= 10 ? value : value + 'Z');
  if (Number.isNaN(ms)) throw new ConfigError(`--${flag} ${value}: expected an ISO date/time (2025-10-10T09:00Z) or unix milliseconds`);
  return ms;
}
