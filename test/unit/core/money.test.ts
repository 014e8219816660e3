import { describe, expect, it } from 'vitest';
import { formatUsd, mulDiv, notional, sharesFor, toMicros, tryMicros } from '../../../src/core/money.ts';

describe('money', () => {
  it('parses API decimals with float noise to the nearest micro', () => {
    expect(toMicros('0.5799998259997042')).toBe(580_000);
    expect(toMicros(0.3996666666666667)).toBe(399_667);
    expect(toMicros('216')).toBe(216_000_000);
    expect(toMicros('.5')).toBe(500_000);
    expect(toMicros('-1.25')).toBe(-1_250_000);
    expect(toMicros('1e-3')).toBe(1_000);
  });

  it('rejects junk with the value in the message', () => {
    expect(() => toMicros('abc')).toThrow(/"abc"/);
    expect(() => toMicros('')).toThrow();
    expect(tryMicros('1.x')).toBeUndefined();
    expect(tryMicros(undefined)).toBeUndefined();
  });

  it('multiplies without overflow and rounds in the asked direction', () => {
    // 5M shares at 0.999 → 4,995,000 USDC: the plain product is 5e12 × 999000 ≈ 5e18 > 2^53.
    expect(notional(5_000_000_000_000, 999_000)).toBe(4_995_000_000_000);
    expect(notional(7_000_000, 290_000)).toBe(2_030_000);
    expect(notional(1, 500_000, 'floor')).toBe(0);
    expect(notional(1, 500_000, 'ceil')).toBe(1);
    expect(sharesFor(10_000_000, 520_000)).toBe(19_230_769);
    expect(mulDiv(-3, 1, 2)).toBe(-2);
    expect(mulDiv(3, 1, 2)).toBe(2);
  });

  it('past 2^53 gives exactly what BigInt arithmetic gives, in every rounding direction', () => {
    // A fixed pseudo-random walk (no Math.random): sizes and costs up to 2^53, prices and divisors of every scale.
    let state = 12345;
    const next = (bits: number) => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return Math.floor((state / 2 ** 32) * 2 ** bits);
    };
    let overflowed = 0;
    for (let i = 0; i < 20_000; i++) {
      const a = next(20) * 2 ** 20 + next(20) + (i % 3 === 0 ? next(13) * 2 ** 40 : 0);
      const b = i % 2 === 0 ? next(20) : next(20) * 2 ** 15 + next(15);
      const d = [1_000_000, 1 + next(20), 1 + next(20) * 2 ** 20 + next(20)][i % 3]!;
      if (!Number.isSafeInteger(a * b)) overflowed++;
      if (!Number.isSafeInteger(bigMulDiv(a, b, d, 'ceil'))) continue;
      for (const round of ['floor', 'ceil', 'nearest'] as const) expect(mulDiv(a, b, d, round)).toBe(bigMulDiv(a, b, d, round));
    }
    expect(overflowed).toBeGreaterThan(5_000);
  });

  it("gives BigInt's answer for a position's cost share, with divisors on both sides of 2^40", () => {
    // cost × shares sold ÷ shares held, for positions of ~130 to ~140M shares sold in part: only the unsafe products are checked.
    let state = 777;
    const next = () => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return state / 2 ** 32;
    };
    let checked = 0;
    for (let i = 0; i < 20_000; i++) {
      const held = Math.floor(2 ** (27 + next() * 20)) + (i % 7);
      const sold = Math.floor(next() * held) + 1;
      const cost = Math.floor(held * (0.001 + next())) + (i % 5);
      if (Number.isSafeInteger(cost * sold)) continue;
      checked++;
      for (const round of ['floor', 'ceil', 'nearest'] as const) {
        expect(mulDiv(cost, sold, held, round)).toBe(bigMulDiv(cost, sold, held, round));
        expect(mulDiv(sold, cost, held, round)).toBe(bigMulDiv(sold, cost, held, round));
      }
    }
    expect(checked).toBeGreaterThan(10_000);
    // Exact halves, where 'nearest' rounds away from zero: (k·m)·b ÷ 2k leaves remainder k for odd m and b.
    for (let i = 0; i < 200; i++) {
      const k = Math.floor(2 ** (30 + next() * 9));
      const m = 2 * Math.floor(next() * 2 ** 12) + 1;
      const b = 2 * Math.floor(next() * 2 ** 20) + 1;
      expect(bigMulDiv(k * m, b, 2 * k, 'nearest')).toBe(bigMulDiv(k * m, b, 2 * k, 'floor') + 1);
      for (const round of ['floor', 'ceil', 'nearest'] as const)
        expect(mulDiv(k * m, b, 2 * k, round)).toBe(bigMulDiv(k * m, b, 2 * k, round));
    }
    // Operands within a divisor of 2^53, the edge of what doubles hold exactly.
    for (let i = 0; i < 2_000; i++) {
      const d = Math.floor(2 ** (30 + next() * 10));
      const a = Number.MAX_SAFE_INTEGER - Math.floor(next() * d);
      const b = 1 + Math.floor(next() * 2 ** 20);
      const want = bigMulDiv(a, b, d, 'ceil');
      if (Number.isSafeInteger(want))
        for (const round of ['floor', 'ceil', 'nearest'] as const) expect(mulDiv(a, b, d, round)).toBe(bigMulDiv(a, b, d, round));
    }
    // At the edges: divisors just below and at 2^40, and operands at the largest safe integer.
    const max = Number.MAX_SAFE_INTEGER;
    for (const [a, b, d] of [
      [max, 2 ** 40 - 1, 2 ** 40 - 1],
      [max, 2 ** 40 - 2, 2 ** 40 - 1],
      [2 ** 40 - 3, 2 ** 40 - 5, 2 ** 40 - 1],
      [max, 2 ** 40 - 1, 2 ** 40],
      [max - 1, 3, 5],
      [2 ** 52 + 7, 2 ** 39, 2 ** 39 + 1],
    ] as const)
      for (const round of ['floor', 'ceil', 'nearest'] as const) {
        const want = bigMulDiv(a, b, d, round);
        if (Number.isSafeInteger(want)) expect(mulDiv(a, b, d, round)).toBe(want);
      }
  });

  it('formats USDC for people', () => {
    expect(formatUsd(1_234_567_890)).toBe('$1,234.57');
    expect(formatUsd(-4_320_000)).toBe('-$4.32');
  });
});

/** a × b ÷ d in BigInt, for non-negative operands: what mulDiv must equal exactly. */
function bigMulDiv(a: number, b: number, d: number, round: 'floor' | 'ceil' | 'nearest'): number {
  const p = BigInt(a) * BigInt(b);
  const bd = BigInt(d);
  let q = p / bd;
  const r = p % bd;
  if (r !== 0n && round === 'ceil') q += 1n;
  if (r !== 0n && round === 'nearest' && r * 2n >= bd) q += 1n;
  return Number(q);
}
