import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  parseRiskLimits,
  RISK_LIMIT_KEYS,
  RiskLimitsError,
  riskLimitsConfigSchema,
  riskLimitsToConfig,
} from '../../../src/risk/limits-schema.ts';
import { RiskManager } from '../../../src/risk/risk-manager.ts';

function problemsOf(input: unknown): string[] {
  try {
    parseRiskLimits(input);
  } catch (error) {
    expect(error).toBeInstanceOf(RiskLimitsError);
    return (error as RiskLimitsError).problems;
  }
  throw new Error('expected parseRiskLimits to throw');
}

describe('risk limits config', () => {
  it('turns human units into micros', () => {
    const limits = parseRiskLimits({
      minOrderUsdc: 1,
      maxOrderUsdc: 50,
      maxDailyLossUsdc: '100.25',
      maxPositionPerMarketUsdc: 0.1,
      maxTotalExposureUsdc: 1_000,
      maxSlippageBps: 200,
      maxDrawdownPct: 20,
      balanceReserve: 1.05,
      maxMarkets: 5,
      maxDailyTrades: 40,
      allowMarkets: [' will-it-rain ', '0xabc'],
      blockTokens: ['123'],
      allowNegRisk: false,
      minLiquidityUsdc: 250,
      maxSpread: 0.05,
      dailyResetTimeZone: 'America/New_York',
    });
    expect(limits).toEqual({
      minOrderUsdcMicros: 1_000_000,
      maxOrderUsdcMicros: 50_000_000,
      maxDailyLossUsdcMicros: 100_250_000,
      maxPositionPerMarketUsdcMicros: 100_000,
      maxTotalExposureUsdcMicros: 1_000_000_000,
      maxSlippageBps: 200,
      maxDrawdownPct: 20,
      balanceReserveFactor: 1.05,
      maxMarkets: 5,
      maxDailyTrades: 40,
      allowMarkets: ['will-it-rain', '0xabc'],
      blockTokens: ['123'],
      allowNegRisk: false,
      minLiquidityUsdcMicros: 250_000_000,
      maxSpreadMicros: 50_000,
      dailyResetTimeZone: 'America/New_York',
    });
    expect(new RiskManager(limits).timeZone).toBe('America/New_York');
  });

  it('leaves absent keys absent (a parsed partial can update limits) and accepts nothing at all', () => {
    expect(parseRiskLimits({ maxOrderUsdc: 5 })).toEqual({ maxOrderUsdcMicros: 5_000_000 });
    expect(Object.keys(parseRiskLimits({ maxOrderUsdc: 5 }))).toEqual(['maxOrderUsdcMicros']);
    expect(parseRiskLimits(undefined)).toEqual({});
    expect(parseRiskLimits({ balanceReserve: true })).toEqual({ balanceReserveFactor: 1.05 });
    expect(parseRiskLimits({ balanceReserve: false })).toEqual({ balanceReserveFactor: 1 });
  });

  it('names the bad key and what it expects', () => {
    expect(problemsOf({ maxOrderUsdc: 'fifty' })).toEqual([
      'maxOrderUsdc: expected a USDC amount > 0 as a decimal number (e.g. 50 or 12.5), got "fifty"',
    ]);
    expect(problemsOf({ maxOrderUsdc: 0 })[0]).toMatch(/^maxOrderUsdc: expected a USDC amount > 0/);
    expect(problemsOf({ maxDailyLossUsdc: -5 })[0]).toMatch(/^maxDailyLossUsdc: .*got -5$/);
    expect(problemsOf({ maxSlippageBps: 2.5 })[0]).toMatch(
      /^maxSlippageBps: expected basis points .* whole number from 0 to 10000, got 2.5/,
    );
    expect(problemsOf({ maxDrawdownPct: 0.2 + 100 })[0]).toMatch(/^maxDrawdownPct: expected a percent/);
    expect(problemsOf({ balanceReserve: 0.9 })[0]).toMatch(/^balanceReserve: expected a cash reserve factor from 1 to 10/);
    expect(problemsOf({ allowMarkets: 'will-it-rain' })[0]).toMatch(/^allowMarkets: expected a list of market condition ids or slugs/);
    expect(problemsOf({ dailyResetTimeZone: 'EST5' })[0]).toMatch(/^dailyResetTimeZone: expected an IANA time zone .*got "EST5"/);
    expect(problemsOf({ maxSpread: 5 })[0]).toMatch(/^maxSpread: expected a price difference .* 0.05 for 5¢/);
    expect(problemsOf({ maxMarkets: null })[0]).toMatch(/^maxMarkets: .*got null/);
    expect(problemsOf('strict')[0]).toMatch(/expected an object of limits/);
  });

  it('lists every problem at once', () => {
    expect(problemsOf({ maxOrderUsdc: 'x', maxDailyTrades: -1 })).toHaveLength(2);
  });

  it('refuses unknown keys and lists the valid ones', () => {
    const [problem] = problemsOf({ maxOrderUSDC: 50, maxOrderUsdc: 50 });
    expect(problem).toMatch(/^unknown risk limit key "maxOrderUSDC"; valid keys: minOrderUsdc, maxOrderUsdc, /);
    for (const key of RISK_LIMIT_KEYS) expect(problem).toContain(key);
  });

  it('checks keys against each other', () => {
    expect(problemsOf({ minOrderUsdc: 10, maxOrderUsdc: 5 })).toEqual(['minOrderUsdc (10) must not exceed maxOrderUsdc (5)']);
    expect(problemsOf({ allowMarkets: ['a'], blockMarkets: ['A'] })[0]).toMatch(/a is in both allowMarkets and blockMarkets/);
  });

  it('embeds in a larger config schema with a useful path', () => {
    const config = z.object({ risk: riskLimitsConfigSchema.optional() });
    const result = config.safeParse({ risk: { maxOrderUsdc: 'x' } });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({ path: ['risk', 'maxOrderUsdc'] });
  });

  it('round-trips through human units', () => {
    const human = {
      maxOrderUsdc: 50,
      maxDailyLossUsdc: 100,
      maxSlippageBps: 200,
      maxDrawdownPct: 20,
      balanceReserve: 1.05,
      allowMarkets: ['m'],
      maxSpread: 0.03,
      dailyResetTimeZone: 'UTC',
    };
    expect(riskLimitsToConfig(parseRiskLimits(human))).toEqual(human);
  });
});
