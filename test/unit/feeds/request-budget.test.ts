import { describe, expect, it } from 'vitest';
import { RequestBudget } from '../../../src/feeds/request-budget.ts';

describe('RequestBudget', () => {
  it('lets at most N requests start in any window, in order, waiting exactly as long as needed', async () => {
    let now = 0;
    const budget = new RequestBudget({ requests: 3, perMs: 1000, now: () => now, sleep: async (ms) => void (now += ms) });
    const starts: number[] = [];
    const order: number[] = [];
    await Promise.all([0, 1, 2, 3, 4, 5, 6].map((i) => budget.take().then(() => (starts.push(now), order.push(i)))));
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(starts).toEqual([0, 0, 0, 1000, 1000, 1000, 2000]);
    for (const t of starts) expect(starts.filter((s) => s > t - 1000 && s <= t).length).toBeLessThanOrEqual(3);
    expect(budget.waitedMs).toBe(2000);
  });

  it('refuses a budget that could never let anything through', () => {
    expect(() => new RequestBudget({ requests: 0, perMs: 1000 })).toThrow(/requests ≥ 1/);
  });
});
