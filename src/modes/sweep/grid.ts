/**
 * Parameter grids for sweeps: `--grid KEY=V1,V2,...` where KEY is any config path
 * (`multiplier`, `fillModel`, `risk.maxOrderUsdc`, `targets.0.params.minTargetUsdc`, `strategies.0.params.dropPct`...).
 * `multiplier` and `strategy` are shorthands for every target's sizing and strategy.
 */
import { ConfigError } from '../../core/errors.ts';
import { parseConfig, type PolytailConfig } from '../../config/config.ts';
import type { Overrides } from '../assemble.ts';

export interface GridAxis {
  key: string;
  values: (number | string | boolean)[];
}

export function parseGrid(specs: string[]): GridAxis[] {
  return specs.map((spec) => {
    const eq = spec.indexOf('=');
    if (eq <= 0 || eq === spec.length - 1) throw new ConfigError(`--grid ${spec}: expected KEY=V1,V2,... (e.g. multiplier=0.5,1,2)`);
    const key = spec.slice(0, eq).trim();
    const values = spec
      .slice(eq + 1)
      .split(',')
      .map((v) => v.trim())
      .filter((v) => v !== '')
      .map(parseValue);
    if (values.length === 0) throw new ConfigError(`--grid ${spec}: no values`);
    return { key, values };
  });
}

function parseValue(text: string): number | string | boolean {
  if (text === 'true' || text === 'false') return text === 'true';
  const n = Number(text);
  return Number.isFinite(n) && /^[-+]?[\d.]+(e[-+]?\d+)?$/i.test(text) ? n : text;
}

/** Every combination, in a stable order (first axis slowest). */
export function combinations(axes: GridAxis[]): Record<string, number | string | boolean>[] {
  let out: Record<string, number | string | boolean>[] = [{}];
  for (const axis of axes) out = out.flatMap((combo) => axis.values.map((v) => ({ ...combo, [axis.key]: v })));
  return out;
}

/** Applies one combination to a config; the result is validated like a config file, so a bad key says so. */
export function applyCombination(
  base: PolytailConfig,
  overrides: Overrides,
  combo: Record<string, number | string | boolean>,
): { config: PolytailConfig; overrides: Overrides } {
  const raw = structuredClone(base) as unknown as Record<string, unknown>;
  const next: Overrides = { ...overrides };
  for (const [key, value] of Object.entries(combo)) {
    if (key === 'multiplier') next.multiplier = Number(value);
    else if (key === 'strategy') next.strategy = String(value);
    else setPath(raw, key, value);
  }
  try {
    return { config: parseConfig(raw, 'swept config'), overrides: next };
  } catch (error) {
    throw new ConfigError(`${(error as Error).message}\n  (while applying ${JSON.stringify(combo)})`);
  }
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let node: Record<string, unknown> = target;
  for (let i = 0; i < parts.length - 1; i++) {
    const part = parts[i]!;
    if (node[part] === undefined || node[part] === null || typeof node[part] !== 'object') {
      node[part] = /^\d+$/.test(parts[i + 1]!) ? [] : {};
    }
    node = node[part] as Record<string, unknown>;
  }
  node[parts[parts.length - 1]!] = value;
}
