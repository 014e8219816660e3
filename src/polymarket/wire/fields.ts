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
