/**
 * Resolutions files: `{resolvedAt?, markets: [{conditionId, winningOutcome, tokensSeenInTape?}]}` (as
 * shipped with the Nobel tape) or a bare array of `{conditionId, winningOutcome}`. `winningOutcome`
 * "50-50" (or "50/50") pays 0.5 to every outcome.
 */
import { z } from 'zod';
import { parseDateMs } from '../polymarket/wire/gamma.ts';
import { parseWire } from '../polymarket/wire/fields.ts';

export interface ResolutionEntry {
  conditionId: string;
  winningOutcome: string;
  question?: string;
  slug?: string;
  /** Tokens named by the file itself (outcome → payout per share as given, if any). */
  tokens: { tokenId: string; outcome: string; payoutMicros?: number }[];
  resolvedMs?: number;
  /** resolvedMs is a time of day (Gamma closedTime), not just a date. */
  precise: boolean;
}

const dateField = z
  .string()
  .optional()
  .transform((v, ctx) => {
    if (v === undefined || v.trim() === '') return undefined;
    const ms = parseDateMs(v);
    if (ms === undefined) {
      ctx.issues.push({ code: 'custom', message: 'expected a date', input: v });
      return z.NEVER;
    }
    return ms;
  });

const entrySchema = z.object({
  conditionId: z.string().trim().min(1, { message: 'must not be empty' }),
  winningOutcome: z.string().trim().min(1, { message: 'must not be empty' }),
  question: z.string().optional(),
  slug: z.string().optional(),
  resolvedAt: dateField,
  tokensSeenInTape: z
    .array(z.object({ tokenId: z.string().min(1), outcome: z.string(), payout: z.number().min(0).max(1).optional() }))
    .optional(),
});

const fileSchema = z.object({ resolvedAt: dateField, markets: z.array(z.unknown()) });

export function parseResolutionEntry(
  value: unknown,
  defaultResolved?: { ms?: number; precise: boolean },
  what = 'resolution',
): ResolutionEntry {
  const e = parseWire(entrySchema, value, what);
  const given = (value as { resolvedAt?: unknown }).resolvedAt;
  return {
    conditionId: e.conditionId,
    winningOutcome: e.winningOutcome,
    question: e.question?.trim() || undefined,
    slug: e.slug,
    tokens: (e.tokensSeenInTape ?? []).map((t) => ({
      tokenId: t.tokenId,
      outcome: t.outcome,
      payoutMicros: t.payout === undefined ? undefined : Math.round(t.payout * 1_000_000),
    })),
    resolvedMs: e.resolvedAt ?? defaultResolved?.ms,
    precise: e.resolvedAt !== undefined ? hasTime(given) : (defaultResolved?.precise ?? false),
  };
}

export function parseResolutionFile(value: unknown): ResolutionEntry[] {
  const f = parseWire(fileSchema, value, 'resolutions file');
  const precise = hasTime((value as { resolvedAt?: unknown }).resolvedAt);
  return f.markets.map((m, i) => {
    try {
      return parseResolutionEntry(m, { ms: f.resolvedAt, precise }, `resolutions file markets[${i}]`);
    } catch (err) {
      const e = err as Error & { field?: string };
      if (e.field !== undefined) e.field = `markets.${i}.${e.field}`;
      throw e;
    }
  });
}

export function isFiftyFifty(outcome: string): boolean {
  return /^50\s*[-/]\s*50$/.test(outcome.trim());
}

/** Payout per share for a token with `outcome`, given the winner. */
export function payoutFor(entry: ResolutionEntry, outcome: string): number {
  if (isFiftyFifty(entry.winningOutcome)) return 500_000;
  return outcome.trim().toLowerCase() === entry.winningOutcome.trim().toLowerCase() ? 1_000_000 : 0;
}

function hasTime(v: unknown): boolean {
  return typeof v === 'string' && /\d:\d/.test(v);
}
