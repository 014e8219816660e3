import { describe, expect, it } from 'vitest';
import type { EquityPoint } from '../../../src/core/ports.ts';
import { RiskManager } from '../../../src/risk/risk-manager.ts';
import { account, market, order, USD } from './risk-fixtures.ts';

const at = (iso: string) => Date.parse(iso);
const point = (tsMs: number, equityMicros: number): EquityPoint => ({
  tsMs,
  equityMicros,
  cashMicros: equityMicros,
  realizedMicros: 0,
  unrealizedMicros: 0,
  feesMicros: 0,
});

function tradesAllowed(risk: RiskManager, nowMs: number): boolean {
  return risk.check({ order: order(), market: market(), account: account(), nowMs }).approved;
}

describe('daily rollover', () => {
  it('resets the trade counter at UTC midnight by default', () => {
    const risk = new RiskManager({ maxDailyTrades: 1 });
    risk.recordOrderSubmitted(at('2026-03-07T12:00:00Z'));
    expect(tradesAllowed(risk, at('2026-03-07T23:59:59.999Z'))).toBe(false);
    expect(risk.day(at('2026-03-07T23:59:59.999Z')).tradesToday).toBe(1);
    expect(tradesAllowed(risk, at('2026-03-08T00:00:00Z'))).toBe(true);
    expect(risk.day(at('2026-03-08T00:00:00Z'))).toMatchObject({ dayKey: '2026-03-08', tradesToday: 0 });
  });

  it('rolls over at New York midnight (05:00Z in winter), not at UTC midnight', () => {
    const risk = new RiskManager({ maxDailyTrades: 1 }, { timeZone: 'America/New_York' });
    risk.recordOrderSubmitted(at('2026-01-15T20:00:00Z')); // 15:00 local
    expect(tradesAllowed(risk, at('2026-01-16T02:00:00Z'))).toBe(false); // 21:00 local, same day
    expect(tradesAllowed(risk, at('2026-01-16T04:59:59Z'))).toBe(false);
    expect(tradesAllowed(risk, at('2026-01-16T05:00:00Z'))).toBe(true);
  });

  it('handles the 23-hour DST day (2026-03-08 in New York): next midnight is 04:00Z', () => {
    const risk = new RiskManager({ maxDailyTrades: 1, dailyResetTimeZone: 'America/New_York' });
    expect(risk.timeZone).toBe('America/New_York');
    risk.recordOrderSubmitted(at('2026-03-08T05:00:00Z')); // 00:00 EST, first instant of the day
    expect(risk.day(at('2026-03-08T05:00:00Z')).dayKey).toBe('2026-03-08');
    expect(tradesAllowed(risk, at('2026-03-08T04:59:59Z'))).toBe(true); // still the 7th locally
    expect(tradesAllowed(risk, at('2026-03-09T00:30:00Z'))).toBe(false); // UTC has rolled, New York has not
    expect(tradesAllowed(risk, at('2026-03-09T03:59:59Z'))).toBe(false);
    expect(tradesAllowed(risk, at('2026-03-09T04:00:00Z'))).toBe(true); // 00:00 EDT
  });

  it('handles the 25-hour day when DST ends (2026-11-01 in New York)', () => {
    const risk = new RiskManager({ maxDailyTrades: 1 }, { timeZone: 'America/New_York' });
    risk.recordOrderSubmitted(at('2026-11-01T04:00:00Z')); // 00:00 EDT
    expect(tradesAllowed(risk, at('2026-11-02T04:30:00Z'))).toBe(false); // 23:30 EST, same local day
    expect(tradesAllowed(risk, at('2026-11-02T05:00:00Z'))).toBe(true);
  });

  it('day-start equity resets with the local day, so yesterday’s loss does not count today', () => {
    const risk = new RiskManager({ maxDailyLossUsdcMicros: 100 * USD }, { timeZone: 'America/New_York' });
    expect(risk.onEquity(point(at('2026-03-08T14:00:00Z'), 1_000 * USD))).toBeUndefined();
    expect(risk.onEquity(point(at('2026-03-09T03:00:00Z'), 940 * USD))).toBeUndefined(); // -60, 23:00 local
    expect(risk.day(at('2026-03-09T03:00:00Z')).dayStartEquityMicros).toBe(1_000 * USD);
    expect(risk.onEquity(point(at('2026-03-09T04:00:00Z'), 930 * USD))).toBeUndefined(); // new day starts at 930
    expect(risk.day(at('2026-03-09T04:00:00Z')).dayStartEquityMicros).toBe(930 * USD);
    expect(risk.onEquity(point(at('2026-03-09T15:00:00Z'), 831 * USD))).toBeUndefined(); // -99 today
    expect(risk.state()).toBe('active');
    const alert = risk.onEquity(point(at('2026-03-09T16:00:00Z'), 830 * USD)); // -100 today
    expect(alert).toMatchObject({
      level: 'critical',
      code: 'halted_daily_loss',
      details: { lossMicros: 100 * USD, dayStartEquityMicros: 930 * USD },
    });
  });
});

describe('halts on losses', () => {
  it('halts once with a critical alert when the daily loss limit is reached', () => {
    const risk = new RiskManager({ maxDailyLossUsdcMicros: 50 * USD });
    const t0 = at('2026-05-01T10:00:00Z');
    expect(risk.onEquity(point(t0, 500 * USD))).toBeUndefined();
    expect(risk.onEquity(point(t0 + 1, 451 * USD))).toBeUndefined();
    const alert = risk.onEquity(point(t0 + 2, 450 * USD));
    expect(alert).toMatchObject({
      tsMs: t0 + 2,
      level: 'critical',
      code: 'halted_daily_loss',
      details: { lossMicros: 50 * USD, limitMicros: 50 * USD },
    });
    expect(alert!.message).toMatch(/daily loss \$50\.00 reached the limit \$50\.00/);
    expect(risk.state()).toBe('halted');
    expect(risk.stateReason()).toBe(alert!.message);
    expect(risk.onEquity(point(t0 + 3, 400 * USD))).toBeUndefined(); // no second alert
    expect(risk.check({ order: order({ side: 'SELL' }), market: market(), account: account(), nowMs: t0 + 4 }).reason).toBe('risk_halted');
  });

  it('halts on drawdown from the peak, measured across days', () => {
    const risk = new RiskManager({ maxDrawdownPct: 20 });
    expect(risk.onEquity(point(at('2026-05-01T10:00:00Z'), 1_000 * USD))).toBeUndefined();
    expect(risk.onEquity(point(at('2026-05-02T10:00:00Z'), 1_200 * USD))).toBeUndefined();
    expect(risk.onEquity(point(at('2026-05-03T10:00:00Z'), 961 * USD))).toBeUndefined(); // 19.9%
    const alert = risk.onEquity(point(at('2026-05-04T10:00:00Z'), 960 * USD)); // 20% of 1,200
    expect(alert).toMatchObject({ code: 'halted_drawdown', details: { drawdownBps: 2000, peakEquityMicros: 1_200 * USD } });
    expect(risk.state()).toBe('halted');
    expect(risk.onEquity(point(at('2026-05-04T11:00:00Z'), 500 * USD))).toBeUndefined();
  });

  it('gives one alert when both limits trip on the same point, and none after a manual halt', () => {
    const both = new RiskManager({ maxDailyLossUsdcMicros: 10 * USD, maxDrawdownPct: 1 });
    both.onEquity(point(0, 100 * USD));
    expect(both.onEquity(point(1, 50 * USD))?.code).toBe('halted_daily_loss');
    expect(both.onEquity(point(2, 40 * USD))).toBeUndefined();
    const manual = new RiskManager({ maxDailyLossUsdcMicros: 10 * USD });
    manual.onEquity(point(0, 100 * USD));
    manual.halt('kill switch');
    expect(manual.onEquity(point(1, 50 * USD))).toBeUndefined();
    expect(manual.stateReason()).toBe('kill switch');
  });

  it('does not halt on gains or without loss limits', () => {
    const risk = new RiskManager({});
    risk.onEquity(point(0, 100 * USD));
    expect(risk.onEquity(point(1, 1 * USD))).toBeUndefined();
    const up = new RiskManager({ maxDailyLossUsdcMicros: 0, maxDrawdownPct: 0 });
    up.onEquity(point(0, 100 * USD));
    expect(up.onEquity(point(1, 150 * USD))).toBeUndefined();
    expect(up.state()).toBe('active');
  });
});

describe('usage and run-time limits', () => {
  it('reports how much of each limit is used', () => {
    const risk = new RiskManager({
      maxDailyTrades: 10,
      maxTotalExposureUsdcMicros: 100 * USD,
      maxPositionPerMarketUsdcMicros: 50 * USD,
      maxMarkets: 3,
      maxDailyLossUsdcMicros: 40 * USD,
      maxDrawdownPct: 25,
    });
    const now = at('2026-05-01T10:00:00Z');
    risk.onEquity(point(now, 1_000 * USD));
    risk.recordOrderSubmitted(now);
    risk.recordOrderSubmitted(now);
    const acc = account({
      equity: 960 * USD,
      positions: { a: { conditionId: '0xa', size: USD, cost: 30 * USD }, b: { conditionId: '0xb', size: USD, cost: 20 * USD } },
      pending: [{ conditionId: '0xb', costMicros: 25 * USD }],
    });
    const byCode = Object.fromEntries(risk.usage(acc, now).map((u) => [u.code, u]));
    expect(byCode.max_daily_trades).toMatchObject({ value: 2, limit: 10, passed: true });
    expect(byCode.max_total_exposure).toMatchObject({ value: 75 * USD, limit: 100 * USD, passed: true });
    expect(byCode.max_position_per_market).toMatchObject({ value: 45 * USD, limit: 50 * USD });
    expect(byCode.max_markets).toMatchObject({ value: 2, limit: 3 });
    expect(byCode.max_daily_loss).toMatchObject({ value: 40 * USD, limit: 40 * USD, passed: false });
    expect(byCode.max_drawdown).toMatchObject({ value: 400, limit: 2500, passed: true });
    expect(risk.usage(acc, at('2026-05-02T00:00:00Z')).find((u) => u.code === 'max_daily_trades')?.value).toBe(0);
  });

  it('updates limits at run time; undefined removes a limit; a bad time zone changes nothing', () => {
    const risk = new RiskManager({ maxOrderUsdcMicros: 5 * USD, maxDailyTrades: 3 });
    const input = { order: order(), market: market(), account: account(), nowMs: 0 };
    expect(risk.check(input).reason).toBe('max_order_usdc');
    risk.updateLimits({ maxOrderUsdcMicros: undefined });
    expect(risk.check(input).approved).toBe(true);
    expect(risk.limits.maxDailyTrades).toBe(3);
    expect(() => risk.updateLimits({ dailyResetTimeZone: 'Mars/Olympus', maxDailyTrades: 0 })).toThrow(
      /unknown time zone "Mars\/Olympus".*IANA/,
    );
    expect(risk.limits.maxDailyTrades).toBe(3);
    risk.updateLimits({ dailyResetTimeZone: 'Asia/Tokyo' });
    expect(risk.timeZone).toBe('Asia/Tokyo');
    expect(risk.day(at('2026-05-01T15:00:00Z')).dayKey).toBe('2026-05-02');
  });

  it('refuses an unknown time zone at construction', () => {
    expect(() => new RiskManager({ dailyResetTimeZone: 'New York' })).toThrow(/dailyResetTimeZone/);
  });
});
