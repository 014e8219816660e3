/**
 * A daily USDC limit (a sub-account's `maxDailyUsdc`): the cost of the BUY orders sent today, counted
 * when sent. An order that would take today's total past the limit is denied with its numbers; one that
 * lands exactly on it passes; SELLs neither count nor get held back; the day rolls over where the
 * account's other daily counters do.
 */
import { describe, expect, it } from 'vitest';
import { RiskManager } from '../../../src/risk/risk-manager.ts';
import type { Order } from '../../../src/core/types.ts';
import { account, market, order, USD } from './risk-fixtures.ts';

const at = (iso: string) => Date.parse(iso);
const NOON = at('2026-03-07T12:00:00Z');
/** A GTC BUY costing `usdc`: 0.5 a share. */
const buy = (usdc: number, extra: Partial<Order> = {}) => order({ priceMicros: 500_000, sizeMicros: 2 * usdc * USD, ...extra });
/** Holds 200 shares of the order's token, so a SELL has something to sell. */
const holder = account({ positions: { yes1: { conditionId: '0xc1', size: 200 * USD, cost: 100 * USD } } });
const judge = (risk: RiskManager, o: Order, nowMs = NOON) => risk.check({ order: o, market: market(), account: holder, nowMs });

/** Checks the order, and sends it (counts it) when approved, as the engine does. */
function send(risk: RiskManager, o: Order, nowMs = NOON) {
  const v = judge(risk, o, nowMs);
  if (v.approved) risk.recordOrderSubmitted(nowMs, o);
  return v;
}

describe('max daily USDC', () => {
  it('allows BUYs up to the limit and denies the one that would cross it, with its numbers', () => {
    const risk = new RiskManager({ maxDailyUsdcMicros: 10 * USD });
    expect(send(risk, buy(4)).approved).toBe(true);
    expect(send(risk, buy(4)).approved).toBe(true);
    const exact = send(risk, buy(2)); // 4 + 4 + 2 = 10: on the limit, allowed
    expect(exact.approved).toBe(true);
    expect(exact.checks.find((c) => c.code === 'max_daily_usdc')).toMatchObject({ passed: true, value: 10 * USD, limit: 10 * USD });
    expect(risk.day(NOON).buyUsdcTodayMicros).toBe(10 * USD);

    const over = send(risk, buy(0.01)); // one cent more: $10.01 > $10
    expect(over.approved).toBe(false);
    expect(over.reason).toBe('max_daily_usdc');
    expect(over.checks.find((c) => c.code === 'max_daily_usdc')).toMatchObject({ passed: false, value: 10_010_000, limit: 10 * USD });
    expect(over.message).toBe('BUYs today would come to $10.01 > max $10.00');
    expect(risk.day(NOON).buyUsdcTodayMicros).toBe(10 * USD); // a denied order is not counted
  });

  it('counts a market BUY by the amount it may spend, and neither counts nor holds back a SELL', () => {
    const risk = new RiskManager({ maxDailyUsdcMicros: 10 * USD });
    expect(send(risk, buy(1, { type: 'FOK', amountMicros: 9 * USD })).approved).toBe(true);
    const sell = send(risk, buy(50, { side: 'SELL' }));
    expect(sell.approved).toBe(true);
    expect(sell.checks.some((c) => c.code === 'max_daily_usdc')).toBe(false);
    expect(risk.day(NOON).buyUsdcTodayMicros).toBe(9 * USD);
    expect(send(risk, buy(1.5)).reason).toBe('max_daily_usdc');
    expect(risk.usage(holder, NOON).find((c) => c.code === 'max_daily_usdc')).toMatchObject({ value: 9 * USD, limit: 10 * USD });
  });

  it('starts again at the account’s local midnight', () => {
    const risk = new RiskManager({ maxDailyUsdcMicros: 10 * USD }, { timeZone: 'America/New_York' });
    const evening = at('2026-01-15T23:30:00Z'); // 18:30 in New York
    expect(send(risk, buy(10), evening).approved).toBe(true);
    expect(judge(risk, buy(1), at('2026-01-16T04:59:59Z')).reason).toBe('max_daily_usdc'); // still the 15th in New York
    expect(send(risk, buy(10), at('2026-01-16T05:00:00Z')).approved).toBe(true); // midnight in New York
  });

  it('follows a change of the limit at run time, keeping what was spent today', () => {
    const risk = new RiskManager({ maxDailyUsdcMicros: 10 * USD });
    expect(send(risk, buy(8)).approved).toBe(true);
    risk.updateLimits({ maxDailyUsdcMicros: 5 * USD });
    expect(judge(risk, buy(1)).reason).toBe('max_daily_usdc');
    risk.updateLimits({ maxDailyUsdcMicros: undefined });
    expect(judge(risk, buy(100)).approved).toBe(true);
  });
});
