/**
 * How a sweep deals its combinations to workers: every combination once, the same number per worker
 * (±1), and each axis value spread over the workers — so no worker gets, say, every combination under
 * the tight exposure cap while another gets every one under the loose cap.
 */
import { describe, expect, it } from 'vitest';
import { combinations } from '../../../src/modes/sweep/grid.ts';
import { splitCombos } from '../../../src/modes/sweep/sweep.ts';

const RATIO_GRID = combinations([
  { key: 'multiplier', values: [0.25, 0.5, 1, 2, 4] },
  { key: 'risk.maxOrderUsdc', values: [10, 250] },
  { key: 'risk.maxTotalExposureUsdc', values: [500, 10000] },
]);

describe('sweep split over workers', () => {
  it('deals every combination once, in grid order within a share, the same number to each worker', () => {
    for (const count of [1, 2, 3, 4, 7]) {
      const shares = splitCombos(RATIO_GRID, count);
      expect(shares).toHaveLength(count);
      const indices = shares.flatMap((s) => s.map((x) => x.index)).sort((a, b) => a - b);
      expect(indices).toEqual(RATIO_GRID.map((_, i) => i));
      for (const share of shares) {
        for (const x of share) expect(x.combo).toBe(RATIO_GRID[x.index]);
        expect(share.map((x) => x.index)).toEqual([...share.map((x) => x.index)].sort((a, b) => a - b));
      }
      const sizes = shares.map((s) => s.length);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }
  });

  it('gives two workers half of the combinations of each value of every axis', () => {
    const shares = splitCombos(RATIO_GRID, 2);
    for (const [key, values] of [
      ['multiplier', [0.25, 0.5, 1, 2, 4]],
      ['risk.maxOrderUsdc', [10, 250]],
      ['risk.maxTotalExposureUsdc', [500, 10000]],
    ] as const) {
      for (const value of values) {
        const per = shares.map((s) => s.filter((x) => x.combo[key] === value).length);
        expect(per, `${key}=${value}`).toEqual([per[0], per[0]]);
      }
    }
  });
});
