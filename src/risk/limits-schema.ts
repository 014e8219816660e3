/**
 * The risk limits as users write them (config file, CLI, TUI): USDC as decimal numbers, percents,
 * basis points. Parsed once here into RiskLimits (integer micros). Every error names the key and
 * says what is expected; an unknown key is an error that lists the valid ones (a typo must never
 * silently drop a limit).
 */
import { z } from 'zod';
import { fromMicros, toMicros, type Micros } from '../core/money.ts';
import { DEFAULT_BALANCE_RESERVE_FACTOR } from './account-checks.ts';
import { isKnownTimeZone } from './local-day.ts';
import type { RiskLimits } from './types.ts';

/** Risk limits in human units; every key is optional and an absent key is not checked. */
export interface RiskLimitsConfig {
  minOrderUsdc?: number | string;
  maxOrderUsdc?: number | string;
  maxSlippageBps?: number;
  maxPositionPerMarketUsdc?: number | string;
  maxTotalExposureUsdc?: number | string;
  maxMarkets?: number;
  maxDailyTrades?: number;
  maxDailyLossUsdc?: number | string;
  maxDrawdownPct?: number;
  /** Cash must cover cost × this (default 1.05); true = 1.05, false = 1 (no extra reserve). */
  balanceReserve?: number | boolean;
  allowMarkets?: string[];
  blockMarkets?: string[];
  allowTokens?: string[];
  blockTokens?: string[];
  allowNegRisk?: boolean;
  minLiquidityUsdc?: number | string;
  /** Max bid-ask spread as a price difference, e.g. 0.05 for 5¢. */
  maxSpread?: number;
  dailyResetTimeZone?: string;
}

type Ctx = z.core.$RefinementCtx;

function describe(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : Array.isArray(value) ? 'a list' : String(value);
}

/** A field whose value goes through `parse`; `parse` returns undefined when the value is invalid. */
function field<T>(key: string, expected: string, parse: (value: unknown) => T | undefined) {
  return z
    .unknown()
    .transform((value, ctx: Ctx) => {
      if (value === undefined) return undefined;
      const parsed = parse(value);
      if (parsed === undefined) {
        ctx.addIssue({ code: 'custom', message: `${key}: expected ${expected}, got ${describe(value)}` });
        return z.NEVER;
      }
      return parsed;
    })
    .optional();
}

function decimal(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value)) return Number(value);
  return undefined;
}

function usdc(key: string, allowZero: boolean) {
  const expected = `a USDC amount ${allowZero ? '≥ 0' : '> 0'} as a decimal number (e.g. 50 or 12.5)`;
  return field<Micros>(key, expected, (v) => {
    const n = decimal(v);
    if (n === undefined || n < 0 || (!allowZero && n === 0)) return undefined;
    const micros = toMicros(typeof v === 'string' ? v.trim() : n);
    return micros > 0 || allowZero ? micros : undefined;
  });
}

function integer(key: string, min: number, max: number, what: string) {
  return field<number>(key, `${what}: a whole number from ${min} to ${max}`, (v) =>
    typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? v : undefined,
  );
}

function ids(key: string, what: string) {
  return field<string[]>(key, `a list of ${what} (strings), e.g. ["${what.includes('token') ? '7132...' : 'will-it-rain'}"]`, (v) =>
    Array.isArray(v) && v.every((s) => typeof s === 'string' && s.trim() !== '') ? v.map((s: string) => s.trim()) : undefined,
  );
}

const shape = {
  minOrderUsdc: usdc('minOrderUsdc', true),
  maxOrderUsdc: usdc('maxOrderUsdc', false),
  maxSlippageBps: integer('maxSlippageBps', 0, 10_000, 'basis points of the target price (200 = 2%)'),
  maxPositionPerMarketUsdc: usdc('maxPositionPerMarketUsdc', false),
  maxTotalExposureUsdc: usdc('maxTotalExposureUsdc', false),
  maxMarkets: integer('maxMarkets', 1, 100_000, 'a count of markets'),
  maxDailyTrades: integer('maxDailyTrades', 1, 1_000_000, 'a count of orders per day'),
  maxDailyLossUsdc: usdc('maxDailyLossUsdc', false),
  maxDrawdownPct: field<number>('maxDrawdownPct', 'a percent of peak equity above 0 and at most 100 (e.g. 20)', (v) =>
    typeof v === 'number' && v > 0 && v <= 100 ? v : undefined,
  ),
  balanceReserve: field<number>('balanceReserve', 'a cash reserve factor from 1 to 10 (1.05 = keep 5% spare), or true/false', (v) => {
    if (typeof v === 'boolean') return v ? DEFAULT_BALANCE_RESERVE_FACTOR : 1;
    return typeof v === 'number' && v >= 1 && v <= 10 ? v : undefined;
  }),
  allowMarkets: ids('allowMarkets', 'market condition ids or slugs'),
  blockMarkets: ids('blockMarkets', 'market condition ids or slugs'),
  allowTokens: ids('allowTokens', 'token ids'),
  blockTokens: ids('blockTokens', 'token ids'),
  allowNegRisk: field<boolean>('allowNegRisk', 'true or false', (v) => (typeof v === 'boolean' ? v : undefined)),
  minLiquidityUsdc: usdc('minLiquidityUsdc', true),
  maxSpread: field<Micros>('maxSpread', 'a price difference above 0 and at most 1 (e.g. 0.05 for 5¢)', (v) =>
    typeof v === 'number' && v > 0 && v <= 1 ? toMicros(v) : undefined,
  ),
  dailyResetTimeZone: field<string>('dailyResetTimeZone', 'an IANA time zone such as "UTC" or "America/New_York"', (v) =>
    typeof v === 'string' && isKnownTimeZone(v) ? v : undefined,
  ),
};

/** The valid keys of the risk limits config, in documentation order. */
export const RISK_LIMIT_KEYS = Object.keys(shape) as (keyof RiskLimitsConfig)[];

const unknownKeys = (keys: string[]) =>
  `unknown risk limit key${keys.length > 1 ? 's' : ''} ${keys.map((k) => `"${k}"`).join(', ')}; valid keys: ${RISK_LIMIT_KEYS.join(', ')}`;

/** Parses the user-facing limits (human units) into RiskLimits (micros). Embeddable in a larger config schema. */
export const riskLimitsConfigSchema = z
  .strictObject(shape, {
    error: (issue) => {
      if (issue.code === 'unrecognized_keys') return unknownKeys(issue.keys);
      if (issue.code === 'invalid_type')
        return `risk limits: expected an object of limits such as { maxOrderUsdc: 50 }, got ${describe(issue.input)}`;
      return undefined;
    },
  })
  .superRefine((c, ctx) => {
    if (c.minOrderUsdc !== undefined && c.maxOrderUsdc !== undefined && c.minOrderUsdc > c.maxOrderUsdc) {
      ctx.addIssue({
        code: 'custom',
        path: ['minOrderUsdc'],
        message: `minOrderUsdc (${fromMicros(c.minOrderUsdc)}) must not exceed maxOrderUsdc (${fromMicros(c.maxOrderUsdc)})`,
      });
    }
    for (const [allow, block] of [
      ['allowMarkets', 'blockMarkets'],
      ['allowTokens', 'blockTokens'],
    ] as const) {
      const both = (c[allow] ?? []).filter((id) => (c[block] ?? []).some((b) => b.toLowerCase() === id.toLowerCase()));
      if (both.length > 0)
        ctx.addIssue({ code: 'custom', path: [block], message: `${both.join(', ')} is in both ${allow} and ${block}; keep it in one` });
    }
  })
  .transform((c): RiskLimits => {
    const limits: RiskLimits = {
      minOrderUsdcMicros: c.minOrderUsdc,
      maxOrderUsdcMicros: c.maxOrderUsdc,
      maxSlippageBps: c.maxSlippageBps,
      maxPositionPerMarketUsdcMicros: c.maxPositionPerMarketUsdc,
      maxTotalExposureUsdcMicros: c.maxTotalExposureUsdc,
      maxMarkets: c.maxMarkets,
      maxDailyTrades: c.maxDailyTrades,
      maxDailyLossUsdcMicros: c.maxDailyLossUsdc,
      maxDrawdownPct: c.maxDrawdownPct,
      balanceReserveFactor: c.balanceReserve,
      allowMarkets: c.allowMarkets,
      blockMarkets: c.blockMarkets,
      allowTokens: c.allowTokens,
      blockTokens: c.blockTokens,
      allowNegRisk: c.allowNegRisk,
      minLiquidityUsdcMicros: c.minLiquidityUsdc,
      maxSpreadMicros: c.maxSpread,
      dailyResetTimeZone: c.dailyResetTimeZone,
    };
    // Absent keys stay absent, so a parsed partial can go straight to RiskManager.updateLimits.
    for (const key of Object.keys(limits) as (keyof RiskLimits)[]) if (limits[key] === undefined) delete limits[key];
    return limits;
  });

/** Thrown by parseRiskLimits: one line per problem, each naming its key. */
export class RiskLimitsError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid risk limits:\n  - ${problems.join('\n  - ')}`);
    this.name = 'RiskLimitsError';
  }
}

/** Parses user-facing limits, or throws RiskLimitsError listing every problem. */
export function parseRiskLimits(input: unknown): RiskLimits {
  const result = riskLimitsConfigSchema.safeParse(input ?? {});
  if (result.success) return result.data;
  throw new RiskLimitsError(result.error.issues.map((i) => i.message));
}

/** RiskLimits (micros) back to human units, for display and for writing a config. */
export function riskLimitsToConfig(limits: RiskLimits): RiskLimitsConfig {
  const usd = (m: Micros | undefined) => (m === undefined ? undefined : fromMicros(m));
  const config: RiskLimitsConfig = {
    minOrderUsdc: usd(limits.minOrderUsdcMicros),
    maxOrderUsdc: usd(limits.maxOrderUsdcMicros),
    maxSlippageBps: limits.maxSlippageBps,
    maxPositionPerMarketUsdc: usd(limits.maxPositionPerMarketUsdcMicros),
    maxTotalExposureUsdc: usd(limits.maxTotalExposureUsdcMicros),
    maxMarkets: limits.maxMarkets,
    maxDailyTrades: limits.maxDailyTrades,
    maxDailyLossUsdc: usd(limits.maxDailyLossUsdcMicros),
    maxDrawdownPct: limits.maxDrawdownPct,
    balanceReserve: limits.balanceReserveFactor,
    allowMarkets: limits.allowMarkets,
    blockMarkets: limits.blockMarkets,
    allowTokens: limits.allowTokens,
    blockTokens: limits.blockTokens,
    allowNegRisk: limits.allowNegRisk,
    minLiquidityUsdc: usd(limits.minLiquidityUsdcMicros),
    maxSpread: usd(limits.maxSpreadMicros),
    dailyResetTimeZone: limits.dailyResetTimeZone,
  };
  for (const key of Object.keys(config) as (keyof RiskLimitsConfig)[]) if (config[key] === undefined) delete config[key];
  return config;
}
