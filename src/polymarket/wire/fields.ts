/**
 * Shared zod field schemas for Polymarket wire formats. Decimals arrive as strings or floats with
 * noise; they become integer micros here, once. CSV exports turn every value into a string, so the
 * numeric schemas accept numeric strings too.
 */
import { z } from 'zod';
import { toMicros, tryMicros } from '../../core/money.ts';

/** Raised when a wire object does not have the shape we need; `field` names the offending field. */
export class WireError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
    this.name = 'WireError';
  }
}

const decimalInput = z.union([z.string(), z.number()]);

/** A decimal (string or number) → micros. */
export const micros = decimalInput
  .refine((v) => tryMicros(v) !== undefined, { message: 'expected a decimal number' })
  .transform((v) => toMicros(v));

/** Like `micros`, but "" / null / absent → undefined (the CLOB sends "" for "no best bid"). */
export const optionalMicros = z
  .union([z.string(), z.number(), z.null()])
  .optional()
  .refine((v) => v === undefined || v === null || v === '' || tryMicros(v) !== undefined, {
    message: 'expected a decimal number or ""',
  })
  .transform((v) => (v === undefined || v === null || v === '' ? undefined : toMicros(v)));

/**
 * The largest size or amount a wire value may carry: a billion shares or USDC. Far beyond any real
 * trade, and sums of many such values stay exact in micro-units (below 2^53).
 */
export const MAX_AMOUNT_MICROS = 1_000_000_000 * 1_000_000;
const maxText = '1,000,000,000';

/** A price of an outcome token: strictly between 0 and 1. */
export const probability = micros.refine((v) => v > 0 && v < 1_000_000, { message: 'expected a price between 0 and 1 (exclusive)' });

/** A trade size in shares: more than 0 and at most a billion. */
export const shares = micros
  .refine((v) => v > 0, { message: 'expected a size above 0' })
  .refine((v) => v <= MAX_AMOUNT_MICROS, { message: `expected a size of at most ${maxText}` });

/** A book level's size: 0 (level removed) up to a billion. */
export const levelSize = micros
  .refine((v) => v >= 0, { message: 'expected a size of 0 or more' })
  .refine((v) => v <= MAX_AMOUNT_MICROS, { message: `expected a size of at most ${maxText}` });

/** Like optionalMicros, bounded by a billion either way. */
export const optionalAmount = optionalMicros.refine((v) => v === undefined || Math.abs(v) <= MAX_AMOUNT_MICROS, {
  message: `expected an amount of at most ${maxText}`,
});

/** 2100-01-01 in epoch ms: later times are typos or garbage (and would not fit the recording safely). */
const MAX_TIME_MS = 4_102_444_800_000;

/** A trade time → epoch ms: unix seconds (what the APIs send) or unix ms, as number or numeric text. */
export const unixTimeMs = z
  .union([z.string(), z.number()])
  .transform((v) => (typeof v === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(v) ? Number(v) : v))
  .refine((v): v is number => typeof v === 'number' && Number.isFinite(v), {
    message: 'expected unix seconds, unix ms or an ISO date/time',
  })
  .transform((v) => (Math.abs(v) >= 1e11 ? Math.round(v) : Math.round(v * 1000)))
  .refine((ms) => ms >= 0 && ms < MAX_TIME_MS, { message: 'expected a time before the year 2100' });

/** An epoch time in ms (frames), as an integer number or text, from 1970 to 2100. */
export const epochMs = z
  .union([z.string(), z.number()])
  .refine((v) => (typeof v === 'number' ? Number.isInteger(v) : /^\s*\d+\s*$/.test(v)), { message: 'expected an integer time in ms' })
  .transform((v) => Number(v))
  .refine((ms) => ms >= 0 && ms < MAX_TIME_MS, { message: 'expected a time in ms from 1970 to 2100' });

/** An integer given as number or numeric string. */
export const integer = z
  .union([z.string(), z.number()])
  .refine((v) => (typeof v === 'number' ? Number.isInteger(v) : /^\s*-?\d+\s*$/.test(v)), {
    message: 'expected an integer',
  })
  .transform((v) => Number(v));

export const optionalInteger = z
  .union([z.string(), z.number(), z.null()])
  .optional()
  .refine((v) => v === undefined || v === null || v === '' || (typeof v === 'number' ? Number.isInteger(v) : /^\s*-?\d+\s*$/.test(v)), {
    message: 'expected an integer',
  })
  .transform((v) => (v === undefined || v === null || v === '' ? undefined : Number(v)));

export const nonEmpty = z.string().trim().min(1, { message: 'must not be empty' });

export const side = z
  .string()
  .transform((s) => s.trim().toUpperCase())
  .refine((s) => s === 'BUY' || s === 'SELL', { message: 'expected BUY or SELL' })
  .transform((s) => s as 'BUY' | 'SELL');

export const optionalText = z
  .union([z.string(), z.null()])
  .optional()
  .transform((v) => (v === null || v === undefined || v === '' ? undefined : v));

export const bool = z
  .union([z.boolean(), z.string()])
  .refine((v) => typeof v === 'boolean' || /^(true|false|)$/i.test(v.trim()), { message: 'expected true or false' })
  .transform((v) => (typeof v === 'boolean' ? v : v.trim().toLowerCase() === 'true'));

/** Gamma's JSON-encoded string arrays (`"[\"Yes\", \"No\"]"`), or a real array. */
export const stringList = z.union([z.string(), z.array(z.union([z.string(), z.number()]))]).transform((v, ctx) => {
  if (Array.isArray(v)) return v.map(String);
  try {
    const parsed: unknown = JSON.parse(v);
    if (Array.isArray(parsed)) return parsed.map(String);
  } catch {
    // reported below
  }
  ctx.issues.push({ code: 'custom', message: 'expected a JSON array of strings', input: v });
  return z.NEVER;
});

/** Parses `value` with `schema`, or throws a WireError naming the first bad field. */
export function parseWire<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)';
  const got = describeInput(value, issue.path);
  throw new WireError(`${what}: field "${field}": ${issue.message}${got}`, field);
}

function describeInput(value: unknown, path: PropertyKey[]): string {
  let cur: unknown = value;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return '';
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  if (cur === undefined) return ' (missing)';
  const text = JSON.stringify(cur) ?? String(cur);
  return ` (got ${text.length > 60 ? text.slice(0, 57) + '...' : text})`;
}

/** Lower-cases 0x addresses so wallet comparisons are exact. */
export const address = nonEmpty.transform((s) => s.toLowerCase());
