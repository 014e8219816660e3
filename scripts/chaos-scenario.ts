/**
 * The sandbox world both chaos runs use: two markets (one binary at 0.01 ticks, one neg-risk at 0.001
 * with taker fees), deep maker books, and the followed targets trading $5–40 at a steady pace with
 * plenty of sandbox USDC. The runs differ only in pace and names.
 */
import type { ScenarioInput } from '../src/sandbox/index.ts';

export function chaosScenario(o: {
  seed: number;
  clockSpeed: number;
  targets: readonly string[];
  ratePerMinute: number;
  /** Market slugs are `<prefix>-a` and `<prefix>-b`. */
  marketPrefix: string;
  /** Trader names are `<prefix>1`, `<prefix>2`, … */
  traderPrefix: string;
}): ScenarioInput {
  return {
    seed: o.seed,
    clockSpeed: o.clockSpeed,
    defaultUsdc: 10_000_000,
    rtdsPingIntervalMs: 0,
    markets: [
      { slug: `${o.marketPrefix}-a`, fairValue: 0.55, volatility: 0.005 },
      { slug: `${o.marketPrefix}-b`, tickSize: '0.001', fairValue: 0.3, negRisk: true, fee: { rate: 0.02 } },
    ],
    makers: [{ levels: 5, sizeShares: 2000, refreshMs: 3000 }],
    traders: o.targets.map((address, i) => ({
      address,
      name: `${o.traderPrefix}${i + 1}`,
      ratePerMinute: o.ratePerMinute,
      sizeUsd: [5, 40],
      sellProbability: 0.35,
      startingUsdc: 10_000_000,
    })),
  };
}
