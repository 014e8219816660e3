import { describe, expect, it } from 'vitest';
import { byWindow, windowNotice } from '../../../src/modes/sweep/sweep-windows.ts';

const range = { fromMs: 1_000_000, toMs: 2_000_000 };
const splitAt = (train: number) => Math.floor(range.fromMs + (range.toMs - range.fromMs) * train);

describe('where the targets’ trades fall in a sweep’s windows', () => {
  it('suggests a --train whose split holds some of their trades out', () => {
    // Trades from 1.05M to 1.3M; the 70th percentile at 1.2M; the split at 0.7 (1.7M) holds none out.
    const t = byWindow({ before: 40, after: 0, firstMs: 1_050_000, lastMs: 1_300_000, p70Ms: 1_200_000 }, range);
    expect(t.suggestedTrain).toBe(0.21);
    const split = splitAt(t.suggestedTrain!);
    expect(split).toBeGreaterThan(1_200_000);
    expect(split).toBeLessThanOrEqual(1_300_000);
  });

  it('finds a finer fraction when a round one would pass their last trade', () => {
    const t = byWindow({ before: 10, after: 0, firstMs: 1_000_000, lastMs: 1_200_004, p70Ms: 1_200_000 }, range);
    const split = splitAt(t.suggestedTrain!);
    expect(split).toBeGreaterThan(1_200_000);
    expect(split).toBeLessThanOrEqual(1_200_004);
  });

  it('suggests nothing when their trades all share one time', () => {
    expect(
      byWindow({ before: 3, after: 0, firstMs: 1_100_000, lastMs: 1_100_000, p70Ms: 1_100_000 }, range).suggestedTrain,
    ).toBeUndefined();
  });

  it('says when a window is empty or thin, and is silent when both hold enough', () => {
    const windows = { train: { to: splitAt(0.7) } };
    const base = { firstMs: 1_050_000, lastMs: 1_300_000, suggestedTrain: 0.21 };
    expect(windowNotice({ ...base, train: 40, test: 0 }, windows)).toMatch(
      /held-out window .* holds none of the targets' 40 trades.*--train 0\.21/,
    );
    expect(windowNotice({ ...base, train: 0, test: 40 }, windows)).toMatch(/training window .* holds none/);
    expect(windowNotice({ ...base, train: 38, test: 2 }, windows)).toMatch(/only 2 of the targets' 40 trades/);
    expect(windowNotice({ train: 0, test: 0 }, windows)).toMatch(/no trades of the followed wallets/);
    expect(windowNotice({ ...base, train: 30, test: 10 }, windows)).toBeUndefined();
  });
});
