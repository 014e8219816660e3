import { describe, expect, it } from 'vitest';
import { fillFeeMicros, takerFeeFraction, takerFeeMicros } from '../../../src/polymarket/fees.ts';

describe('taker fee C · rate · (p(1 − p))^e', () => {
  it('matches the formula at the usual points', () => {
    // 100 shares at 0.50, crypto rate 0.072: 100 × 0.072 × 0.25 = $1.80
    expect(takerFeeMicros(100_000_000, 500_000, { feeRate: 0.072 })).toBe(1_800_000);
    // 20 shares at 0.52, sports rate 0.03: 20 × 0.03 × 0.2496 = $0.14976
    expect(takerFeeMicros(20_000_000, 520_000, { feeRate: 0.03, feeExponent: 1 })).toBe(149_760);
    // exponent 2: 100 × 0.25 × 0.0625 = $1.5625
    expect(takerFeeMicros(100_000_000, 500_000, { feeRate: 0.25, feeExponent: 2 })).toBe(1_562_500);
  });

  it('rounds up to the next micro so fees are never under-counted', () => {
    // 1 share at 0.52, rate 0.072: 0.0179712 → 17_971.2 micros → 17_972
    expect(takerFeeMicros(1_000_000, 520_000, { feeRate: 0.072 })).toBe(17_972);
    expect(takerFeeMicros(1, 500_000, { feeRate: 0.072 })).toBe(1);
  });

  it('is zero for fee-free markets, makers, and degenerate inputs', () => {
    expect(takerFeeMicros(100_000_000, 500_000, {})).toBe(0);
    expect(takerFeeMicros(100_000_000, 500_000, undefined)).toBe(0);
    expect(takerFeeMicros(100_000_000, 500_000, { feeRate: 0 })).toBe(0);
    expect(takerFeeMicros(0, 500_000, { feeRate: 0.072 })).toBe(0);
    expect(fillFeeMicros('maker', 100_000_000, 500_000, { feeRate: 0.072 })).toBe(0);
    expect(fillFeeMicros('taker', 100_000_000, 500_000, { feeRate: 0.072 })).toBe(1_800_000);
  });

  it('is symmetric in p and 1 − p and peaks at 0.5', () => {
    const s = { feeRate: 0.05 };
    expect(takerFeeMicros(10_000_000, 300_000, s)).toBe(takerFeeMicros(10_000_000, 700_000, s));
    expect(takerFeeMicros(10_000_000, 500_000, s)).toBeGreaterThan(takerFeeMicros(10_000_000, 490_000, s));
    expect(takerFeeFraction(500_000, { feeRate: 0.072 })).toBeCloseTo(0.036, 12);
  });
});
