import { describe, expect, it } from 'vitest';
import { distribution, maxDrawdownPct, riskAdjusted, slippageBps, tradeStats } from '../../../src/report/metrics.ts';

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
    const r = riskAdjusted(rising);
    expect(r.sharpe).toBeGreaterThan(0);
    expect(r.sortino).toBeNull(); // no losing periods
  });

  it('slippage is adverse-positive on both sides', () => {
    expect(slippageBps('BUY', 510_000, 500_000)).toBeCloseTo(200);
    expect(slippageBps('SELL', 490_000, 500_000)).toBeCloseTo(200);
    expect(distribution([1, 2, 3, 4, 100])).toEqual({ mean: 22, p50: 3, p95: 100 });
  });
});
