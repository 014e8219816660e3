/**
 * Finds strategies by name or path: built-ins first, then `strategies/<name>.ts|.js` (the package's own
 * folder, then the working directory's), or a file path. Every way a file can be wrong becomes a
 * StrategyLoadError that names the file and the fix.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, extname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { z } from 'zod';
import { STRATEGY_API_VERSION, type StrategyDefinition } from './api.ts';
import { builtinStrategies } from './builtin/index.ts';
import { StrategyLoadError, StrategyParamsError } from './errors.ts';
import { allowPackageImports } from './package-imports.ts';
import { issueLine, paramRows, type ParamRow } from './param-text.ts';

/** The polytail package root (two folders up from this file), so `strategies/` works from any cwd. */
export const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const defaultStrategiesDir = join(packageRoot, 'strategies');

const EXTENSIONS = ['.ts', '.js', '.mjs', '.mts'];

export interface LoadOptions {
  /** Where `<name>.ts|.js` files live; default `<package root>/strategies`, then `<cwd>/strategies`. */
  strategiesDir?: string;
}

function looksLikePath(nameOrPath: string): boolean {
  return /[\\/]/.test(nameOrPath) || EXTENSIONS.includes(extname(nameOrPath));
}

function display(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel.startsWith('..') || isAbsolute(rel) ? file : rel;
}

const ACCEPTED = `a built-in name (${Object.keys(builtinStrategies).join(', ')}), the name of a file in strategies/ (\`polytail strategies\` lists them), or a path to a .ts/.js strategy file (strategies/README.md)`;

function candidateFiles(nameOrPath: string, options: LoadOptions): string[] {
  if (looksLikePath(nameOrPath)) {
    const bases = isAbsolute(nameOrPath) ? [nameOrPath] : [resolve(process.cwd(), nameOrPath), resolve(packageRoot, nameOrPath)];
    return bases.flatMap((b) => (extname(b) ? [b] : EXTENSIONS.map((ext) => b + ext)));
  }
  const dirs = options.strategiesDir ? [resolve(options.strategiesDir)] : [defaultStrategiesDir, resolve(process.cwd(), 'strategies')];
  return [...new Set(dirs)].flatMap((dir) => EXTENSIONS.map((ext) => join(dir, nameOrPath + ext)));
}

/** Resolves a built-in name, a name in the strategies folder, or a path, to a checked definition. */
export async function loadStrategy(nameOrPath: string, options: LoadOptions = {}): Promise<StrategyDefinition> {
  const builtin = Object.hasOwn(builtinStrategies, nameOrPath) ? builtinStrategies[nameOrPath] : undefined;
  if (builtin && !looksLikePath(nameOrPath)) return builtin;
  const candidates = candidateFiles(nameOrPath, options);
  const file = candidates.find((f) => existsSync(f) && statSync(f).isFile());
  if (!file) {
    throw new StrategyLoadError(
      nameOrPath,
      `strategy "${nameOrPath}" not found: it is not a built-in (${Object.keys(builtinStrategies).join(', ')}) ` +
        `and none of these files exist: ${[...new Set(candidates.map(display))].join(', ')}. Accepted: ${ACCEPTED}`,
    );
  }
  return loadStrategyFile(file);
}

/** Imports one strategy file and checks its default export. */
export async function loadStrategyFile(file: string): Promise<StrategyDefinition> {
  const shown = display(file);
  let mod: Record<string, unknown>;
  try {
    allowPackageImports(packageRoot);
    mod = (await import(pathToFileURL(resolve(file)).href)) as Record<string, unknown>;
  } catch (error) {
    const e = error as Error;
    const text = e?.message ?? String(error);
    const syntax = e?.name === 'SyntaxError' || e?.name === 'TransformError' || /syntax|parse error|unexpected|expected/i.test(text);
    const detail = (syntax && jsSyntaxDetail(file)) || firstLines(text);
    throw new StrategyLoadError(file, `strategy file ${shown}: ${syntax ? 'syntax error' : 'error while loading'}: ${detail}`, {
      cause: error,
    });
  }
  return checkDefinition(mod['default'], file, shown);
}

/**
 * The TypeScript loader reports a .js parse error only as "Parse error file:1:1"; Node's own checker
 * says what and where, so ask it for plain JavaScript files.
 */
function jsSyntaxDetail(file: string): string | undefined {
  if (!['.js', '.mjs'].includes(extname(file))) return undefined;
  const check = spawnSync(process.execPath, ['--check', file], { encoding: 'utf8' });
  if (check.status === 0) return undefined;
  const lines = check.stderr.split('\n').filter((l) => l.trim() !== '');
  const where = lines.find((l) => l.startsWith(file + ':'));
  const what = lines.find((l) => /^\w*Error:/.test(l));
  return what ? `${what}${where ? ` (at ${display(where)})` : ''}` : undefined;
}

function firstLines(text: string): string {
  return text.split('\n').slice(0, 6).join('\n');
}

function isZodSchema(value: unknown): value is z.ZodTypeAny {
  return (
    typeof value === 'object' && value !== null && '_zod' in value && typeof (value as { safeParse?: unknown }).safeParse === 'function'
  );
}

function checkDefinition(value: unknown, file: string, shown: string): StrategyDefinition {
  const fail = (problem: string): never => {
    throw new StrategyLoadError(file, `strategy file ${shown}: ${problem}`);
  };
  if (value === undefined) return fail('has no default export; end it with `export default defineStrategy({ ... })`');
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail(`default export is not a defineStrategy({ ... }) object (got ${Array.isArray(value) ? 'an array' : typeof value})`);
  }
  const def = value as Record<string, unknown>;
  // First: a file written for another version may differ in every other field.
  const version = def['apiVersion'];
  if (version === undefined) {
    return fail(
      `defineStrategy({ ... }) has no apiVersion; add \`apiVersion: ${STRATEGY_API_VERSION}\` if the file follows the strategy API of this polytail (strategies/README.md)`,
    );
  }
  if (version !== STRATEGY_API_VERSION) {
    return fail(
      `written for strategy API version ${JSON.stringify(version)}, but this polytail runs version ${STRATEGY_API_VERSION}: ` +
        `use a polytail that runs version ${JSON.stringify(version)}, or port the file to version ${STRATEGY_API_VERSION} (strategies/README.md)`,
    );
  }
  const missing = ['name', 'kind', 'params', 'create'].filter((k) => def[k] === undefined);
  if (missing.length > 0) return fail(`defineStrategy({ ... }) is missing ${missing.join(', ')}`);
  if (typeof def['name'] !== 'string' || !/^[a-z0-9][a-z0-9_-]*$/i.test(def['name'])) {
    return fail(`name must be a word such as "my-strategy" (letters, digits, - and _), got ${JSON.stringify(def['name'])}`);
  }
  if (def['kind'] !== 'copy' && def['kind'] !== 'market')
    return fail(`kind must be "copy" or "market", got ${JSON.stringify(def['kind'])}`);
  if (!isZodSchema(def['params'])) return fail('params is not a zod schema; use z.object({ ... }) from "zod"');
  if (typeof def['create'] !== 'function') return fail('create must be a function (params) => handlers');
  if (def['subscriptions'] !== undefined && typeof def['subscriptions'] !== 'function') {
    return fail('subscriptions must be a function (params) => ({ wallets, tokens })');
  }
  if (def['description'] !== undefined && typeof def['description'] !== 'string') return fail('description must be text');
  if (def['knobs'] !== undefined && !knobsLookRight(def['knobs'])) {
    return fail('knobs must map names to { description, get(params), set(params, value) }');
  }
  return { ...(def as unknown as StrategyDefinition), description: (def['description'] as string | undefined) ?? '' };
}

function knobsLookRight(knobs: unknown): boolean {
  if (typeof knobs !== 'object' || knobs === null) return false;
  return Object.values(knobs).every((k) => {
    const knob = k as Record<string, unknown> | null;
    return !!knob && typeof knob['get'] === 'function' && typeof knob['set'] === 'function';
  });
}

/** Parses raw params with the strategy's schema; errors read `strategy "mirror": params.sizing.multiplier: expected a number > 0, got ...`. */
export function parseStrategyParams<S extends z.ZodTypeAny>(def: StrategyDefinition<S>, raw: unknown): z.infer<S> {
  const unknown = unknownParams(def.params, raw);
  if (unknown.length > 0) {
    const known = Object.keys(shapeOf(def.params) ?? {}).filter((k) => k !== 'wallets');
    throw new StrategyParamsError(
      def.name,
      unknown.map((k) => `params.${k}: not a parameter of this strategy; its parameters are ${known.join(', ') || '(none)'}`),
    );
  }
  const result = def.params.safeParse(raw ?? {});
  if (result.success) return result.data;
  throw new StrategyParamsError(
    def.name,
    result.error.issues.map((issue) => issueLine(issue, raw ?? {})),
  );
}

/** Top-level keys of `raw` the strategy's object schema does not know (a typo would be silently dropped). */
function unknownParams(schema: z.ZodTypeAny, raw: unknown): string[] {
  const shape = shapeOf(schema);
  if (!shape || raw === null || typeof raw !== 'object' || Array.isArray(raw)) return [];
  return Object.keys(raw).filter((k) => !(k in shape));
}

function shapeOf(schema: z.ZodTypeAny): Record<string, unknown> | undefined {
  const def = (schema as { _zod?: { def?: { type?: string; shape?: Record<string, unknown>; catchall?: unknown } } })._zod?.def;
  // A schema with a catch-all (or passthrough) accepts any key on purpose.
  return def?.type === 'object' && def.shape && !def.catchall ? def.shape : undefined;
}

export interface StrategyListing {
  name: string;
  kind: 'copy' | 'market';
  description: string;
  source: 'builtin' | string;
  params: ParamRow[];
  /** Set when the file could not be loaded; the other fields are then placeholders. */
  error?: string;
}

function listing(def: StrategyDefinition, source: string): StrategyListing {
  return { name: def.name, kind: def.kind, description: def.description, source, params: paramRows(def.params) };
}

/** Built-ins, then every strategy file in `dir` (broken files are listed with their error, not thrown). */
export async function listStrategies(dir: string = defaultStrategiesDir): Promise<StrategyListing[]> {
  const rows = Object.values(builtinStrategies).map((d) => listing(d, 'builtin'));
  const files = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => EXTENSIONS.includes(extname(f)) && !f.endsWith('.d.ts'))
        .sort()
    : [];
  for (const f of files) {
    const file = join(dir, f);
    try {
      rows.push(listing(await loadStrategyFile(file), file));
    } catch (error) {
      const name = f.slice(0, -extname(f).length);
      rows.push({ name, kind: 'copy', description: '', source: file, params: [], error: (error as Error).message });
    }
  }
  return rows;
}
