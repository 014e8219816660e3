import { describe, expect, it } from 'vitest';
import { distribution, maxDrawdownPct, resample, riskAdjusted, slippageBps, tradeStats } from '../../../src/report/metrics.ts';

describe('report metrics', () => {
  it('measures drawdown from the running peak', () => {
    const pts = [100, 120, 90, 130, 65].map((e) => ({ equityMicros: e }));
    expect(maxDrawdownPct(pts)).toBe(50); // 130 → 65
  });

  it('win rate and profit factor over closed trades', () => {
    expect(tradeStats([10, -5, 20, -5])).toEqual({ count: 4, winRate: 0.5, profitFactor: 3 });
    expect(tradeStats([])).toEqual({ count: 0, winRate: null, profitFactor: null });
  });

  it('refuses ratios it cannot support', () => {
    const flat = Array.from({ length: 50 }, (_, i) => ({ tsMs: i * 300_000, equityMicros: 1_000 }));
    expect(riskAdjusted(flat)).toEqual({ sharpe: null, sortino: null });
    const rising = Array.from({ length: 50 }, (_, i) => ({ tsMs: i * 300_000, equityMicros: 1_000_000 + i * 1_000 + (i % 3) * 10 }));
    expect(riskAdjusted(rising).sharpe).not.toBeNull();
    expect(riskAdjusted(rising).sortino).toBeNull(); // no losing periods
    expect(riskAdjusted(rising.slice(0, 10))).toEqual({ sharpe: null, sortino: null }); // 9 returns are too few
  });

  /** 51 equity points on the 5-minute grid whose 50 returns alternate `up` and `down`. */
  const alternating = (up: number, down: number) => {
    let equity = 1_000_000;
    return Array.from({ length: 51 }, (_, i) => {
      if (i > 0) equity *= 1 + (i % 2 === 1 ? up : down);
      return { tsMs: i * 300_000, equityMicros: equity };
    });
  };
  /** Five-minute periods in a 365-day year: the annualising factor is its square root. */
  const PERIODS = 365 * 24 * 12;
  const round3 = (x: number) => Math.round(x * 1000) / 1000;

  it('Sharpe and Sortino have the values worked out by hand', () => {
    // +1 % and 0 %: mean 0.5 %, sample sd 0.5 % × √(50/49), no losses → Sharpe √(49/50) × √105120.
    expect(riskAdjusted(alternating(0.01, 0))).toEqual({ sharpe: round3(Math.sqrt((49 / 50) * PERIODS)), sortino: null });
    expect(round3(Math.sqrt((49 / 50) * PERIODS))).toBe(320.964);
    // +2 % and −1 %: mean 0.5 %, sample sd 1.5 % × √(50/49) → a third of the Sharpe above; downside
    // deviation √(25 × 0.01² / 50) = 0.7071 % → Sortino 0.5 / 0.7071 × √105120.
    expect(riskAdjusted(alternating(0.02, -0.01))).toEqual({
      sharpe: round3(Math.sqrt((49 / 50) * PERIODS) / 3),
      sortino: round3((0.005 / Math.sqrt(0.00005)) * Math.sqrt(PERIODS)),
    });
    expect(round3((0.005 / Math.sqrt(0.00005)) * Math.sqrt(PERIODS))).toBe(229.26);
  });

  it('samples the last equity once when it falls on the grid, and adds it when it falls between', () => {
    const pts = [0, 1, 2].map((i) => ({ tsMs: i * 300_000, equityMicros: 100 + i }));
    expect(resample(pts, 300_000)).toEqual([100, 101, 102]);
    expect(resample([...pts, { tsMs: 700_000, equityMicros: 110 }], 300_000)).toEqual([100, 101, 102, 110]);
  });

  it('slippage is adverse-positive on both sides', () => {
    expect(slippageBps('BUY', 510_000, 500_000)).toBeCloseTo(200);
    expect(slippageBps('SELL', 490_000, 500_000)).toBeCloseTo(200);
    expect(distribution([1, 2, 3, 4, 100])).toEqual({ mean: 22, p50: 3, p95: 100 });
  });
});
