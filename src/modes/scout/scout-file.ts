/**
 * Reads what `polytail scout --json` wrote, for `polytail paper --from-scout FILE`: the top N wallets by
 * rank, and each one's held-out score at the scout's rank delay (the TUI's Targets panel shows it).
 */
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from '../../core/errors.ts';

const rowSchema = z.object({
  rank: z.number().int().min(1),
  wallet: z.string().regex(/^0x[0-9a-fA-F]{40}$/),
  test: z.object({
    followerPnl: z.array(z.object({ delayS: z.number(), pnl: z.number() })),
    captureRatio: z.number().nullable(),
    halfLife: z.string(),
    trades: z.number(),
  }),
});

const fileSchema = z.object({ rankDelayS: z.number(), rows: z.array(rowSchema) });

export interface ScoutPick {
  wallet: string;
  rank: number;
  /** Held-out follower PnL at the scout's rank delay. */
  followerPnlUsdc: number;
  captureRatio: number | null;
  halfLife: string;
  trades: number;
}

export function readScoutFile(path: string, top: number): ScoutPick[] {
  if (!(Number.isInteger(top) && top > 0)) throw new ConfigError(`--scout-top ${top}: expected a whole number ≥ 1`);
  if (!existsSync(path))
    throw new ConfigError(`--from-scout ${path}: file not found (write one with \`polytail scout REC --json > ${path}\`)`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(`--from-scout ${path}: not JSON (${(error as Error).message}); write it with \`polytail scout REC --json\``);
  }
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(
      `--from-scout ${path}: not the output of \`polytail scout --json\` (${issue.path.join('.') || 'top level'}: ${issue.message})`,
    );
  }
  const { rankDelayS, rows } = parsed.data;
  if (rows.length === 0) throw new ConfigError(`--from-scout ${path}: the scout scored no wallets`);
  return [...rows]
    .sort((a, b) => a.rank - b.rank)
    .slice(0, top)
    .map((row) => ({
      wallet: row.wallet.toLowerCase(),
      rank: row.rank,
      followerPnlUsdc: row.test.followerPnl.find((p) => p.delayS === rankDelayS)?.pnl ?? 0,
      captureRatio: row.test.captureRatio,
      halfLife: row.test.halfLife,
      trades: row.test.trades,
    }));
}
