/**
 * Zod schemas and issues rendered for people: the `polytail strategies` param table, and error lines
 * such as `params.sizing.multiplier: expected a number > 0`.
 */
import type { z } from 'zod';

/** One row of a strategy's param table. `default` is JSON text, or undefined when there is none. */
export interface ParamRow {
  key: string;
  type: string;
  required: boolean;
  default: string | undefined;
  description: string;
}

// zod 4 keeps each schema's definition on `_zod.def`; we only read it.
interface Def {
  type: string;
  innerType?: Schema;
  in?: Schema;
  element?: Schema;
  options?: Schema[];
  entries?: Record<string, string | number>;
  values?: unknown[];
  shape?: Record<string, Schema>;
  defaultValue?: unknown;
  discriminator?: string;
}
type Schema = { _zod: { def: Def }; description?: string };

function defOf(schema: unknown): Def | undefined {
  return (schema as Schema | undefined)?._zod?.def;
}

/** A schema's top-level object shape, looking through refine/default/optional wrappers. */
export function objectShape(schema: unknown): Record<string, unknown> | undefined {
  let def = defOf(schema);
  while (def && def.type !== 'object') {
    const inner = def.innerType ?? def.in;
    if (!inner) return undefined;
    def = defOf(inner);
  }
  return def?.shape as Record<string, unknown> | undefined;
}

/** A short type label: `number`, `string[]`, `"FOK" | "FAK"`, `multiplier | fixed | percent | tiers`. */
export function typeLabel(schema: unknown): string {
  const def = defOf(schema);
  if (!def) return 'unknown';
  switch (def.type) {
    case 'default':
    case 'optional':
    case 'nullable':
    case 'prefault':
    case 'readonly':
      return typeLabel(def.innerType);
    case 'pipe':
      return typeLabel(def.in);
    case 'array':
      return `${typeLabel(def.element)}[]`;
    case 'enum':
      return Object.values(def.entries ?? {})
        .map((v) => JSON.stringify(v))
        .join(' | ');
    case 'literal':
      return (def.values ?? []).map((v) => JSON.stringify(v)).join(' | ');
    case 'union': {
      if (def.discriminator) {
        const modes = (def.options ?? []).map((o) => {
          const literal = objectShape(o)?.[def.discriminator!];
          return (defOf(literal)?.values ?? []).map(String).join('|');
        });
        return `{${def.discriminator}: ${modes.join(' | ')}}`;
      }
      return (def.options ?? []).map(typeLabel).join(' | ');
    }
    case 'object':
      return `{${Object.keys(def.shape ?? {}).join(', ')}}`;
    default:
      return def.type;
  }
}

function describe(schema: unknown): string {
  let s = schema as Schema | undefined;
  while (s) {
    if (s.description) return s.description;
    const def = defOf(s);
    s = def?.innerType ?? def?.in;
  }
  return '';
}

function defaultOf(schema: unknown): string | undefined {
  let def = defOf(schema);
  while (def) {
    if (def.type === 'default' || def.type === 'prefault') {
      const value = typeof def.defaultValue === 'function' ? (def.defaultValue as () => unknown)() : def.defaultValue;
      return JSON.stringify(value);
    }
    def = defOf(def.innerType ?? def.in);
  }
  return undefined;
}

function isRequired(schema: unknown): boolean {
  const type = defOf(schema)?.type;
  return type !== 'optional' && type !== 'default' && type !== 'prefault';
}

/** One row per top-level key of an object schema (empty for any other schema). */
export function paramRows(schema: unknown): ParamRow[] {
  const shape = objectShape(schema);
  if (!shape) return [];
  return Object.entries(shape).map(([key, s]) => ({
    key,
    type: typeLabel(s),
    required: isRequired(s),
    default: defaultOf(s),
    description: describe(s),
  }));
}

function received(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `"${value.length > 40 ? value.slice(0, 40) + '…' : value}"`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function valueAt(root: unknown, path: PropertyKey[]): unknown {
  let v = root;
  for (const key of path) v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[key] : undefined;
  return v;
}

type Issue = z.core.$ZodIssue;

/** One issue as `params.a.b: what was expected, what was given`. */
export function issueLine(issue: Issue, raw: unknown): string {
  const where = ['params', ...issue.path.map(String)].join('.');
  const got = valueAt(raw, issue.path);
  const i = issue as Issue & Record<string, unknown>;
  switch (issue.code) {
    case 'invalid_type':
      if (got === undefined) return `${where}: required (${article(String(i['expected']))})`;
      return `${where}: expected ${article(String(i['expected']))}, got ${received(got)}`;
    case 'too_small':
    case 'too_big': {
      const op = issue.code === 'too_small' ? (i['inclusive'] ? '>=' : '>') : i['inclusive'] ? '<=' : '<';
      const bound = String(issue.code === 'too_small' ? i['minimum'] : i['maximum']);
      if (i['origin'] === 'array') return `${where}: expected a list with ${op} ${bound} item(s)`;
      if (i['origin'] === 'string') return `${where}: expected text with ${op} ${bound} character(s)`;
      return `${where}: expected a number ${op} ${bound}, got ${received(got)}`;
    }
    case 'invalid_value':
      return `${where}: expected one of ${(i['values'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}, got ${received(got)}`;
    case 'invalid_union':
      if (Array.isArray(i['options']) && i['discriminator']) {
        return `${where}: expected one of ${(i['options'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}, got ${received(got)}`;
      }
      return `${where}: ${issue.message}`;
    case 'unrecognized_keys':
      return `${where}: unknown key(s) ${(i['keys'] as string[]).map((k) => `"${k}"`).join(', ')} (misspelt?)`;
    case 'not_multiple_of':
      return `${where}: expected a multiple of ${String(i['divisor'])}, got ${received(got)}`;
    default:
      return `${where}: ${issue.message}`;
  }
}
