import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { limitPriceFor } from '../../../src/strategy/copy-trade.ts';
import { sizeBuy, sizeSell, sizingSchema } from '../../../src/strategy/sizing.ts';

const M = 1_000_000;
const buy = { targetSizeMicros: 216 * M, targetUsdcMicros: 4_320_000, priceMicros: 20_000, equityMicros: 500 * M };

describe('sizeBuy', () => {
  it('multiplier: target shares × multiplier, priced at the reference', () => {
    expect(sizeBuy({ mode: 'multiplier', multiplier: 0.5 }, buy)).toMatchObject({
      kind: 'size',
      sizeMicros: 108 * M,
      usdcMicros: 2_160_000,
      basis: 'shares',
    });
  });

  it('multiplier with float-unfriendly sizes stays exact to the micro', () => {
    const r = sizeBuy({ mode: 'multiplier', multiplier: 0.3 }, { ...buy, targetSizeMicros: 101_010_000, priceMicros: 980_000 });
    expect(r).toMatchObject({ sizeMicros: 30_303_000, usdcMicros: 29_696_940 });
  });

  it('fixed: USDC per copy, shares floored at the price', () => {
    expect(sizeBuy({ mode: 'fixed', usdc: 5 }, { ...buy, priceMicros: 570_000 })).toMatchObject({
      usdcMicros: 5 * M,
      sizeMicros: 8_771_929,
      basis: 'usdc',
    });
  });

  it('percent: of my equity; no equity → skip no_equity', () => {
    expect(sizeBuy({ mode: 'percent', percent: 2.5 }, buy)).toMatchObject({ usdcMicros: 12_500_000 });
    expect(sizeBuy({ mode: 'percent', percent: 2.5 }, { ...buy, equityMicros: 0 })).toMatchObject({
      kind: 'skip',
      reason: 'no_equity',
      details: { equityMicros: 0 },
    });
  });

  it('tiers: the highest tier the target trade reaches applies; below all tiers skips', () => {
    const sizing = sizingSchema.parse({
      mode: 'tiers',
      tiers: [
        { minTargetUsdc: 10, usdc: 2 },
        { minTargetUsdc: 100, multiplier: 0.1 },
        { minTargetUsdc: 1000, usdc: 50 },
      ],
    });
    expect(sizeBuy(sizing, { ...buy, targetUsdcMicros: 50 * M })).toMatchObject({ usdcMicros: 2 * M, basis: 'usdc' });
    expect(sizeBuy(sizing, { ...buy, targetUsdcMicros: 211_680_000 })).toMatchObject({ sizeMicros: 21_600_000, basis: 'shares' });
    expect(sizeBuy(sizing, { ...buy, targetUsdcMicros: 5000 * M })).toMatchObject({ usdcMicros: 50 * M });
    expect(sizeBuy(sizing, buy)).toMatchObject({
      kind: 'skip',
      reason: 'below_lowest_tier',
      details: { targetUsdcMicros: 4_320_000, lowestTierMicros: 10 * M },
    });
    expect(sizeBuy({ ...sizing, scale: 2 } as typeof sizing, { ...buy, targetUsdcMicros: 50 * M })).toMatchObject({ usdcMicros: 4 * M });
  });

  it('a copy that rounds to nothing is a skip, not a zero order', () => {
    expect(sizeBuy({ mode: 'multiplier', multiplier: 0.000001 }, { ...buy, targetSizeMicros: 10 })).toMatchObject({
      kind: 'skip',
      reason: 'size_rounds_to_zero',
    });
  });

  it('schema refuses a tier with both or neither of multiplier and usdc', () => {
    expect(sizingSchema.safeParse({ mode: 'tiers', tiers: [{ minTargetUsdc: 1, usdc: 1, multiplier: 1 }] }).success).toBe(false);
    expect(sizingSchema.safeParse({ mode: 'tiers', tiers: [{ minTargetUsdc: 1 }] }).success).toBe(false);
  });
});

describe('sizeSell', () => {
  const base = { ourSizeMicros: 100 * M, targetSellMicros: 40 * M, targetBeforeMicros: 100 * M, sellAllWhenUnknown: false };

  it('sells the same fraction of ours as the target sold of theirs', () => {
    expect(sizeSell(base)).toMatchObject({ kind: 'size', sizeMicros: 40 * M, fractionPpm: 400_000, basis: 'fraction' });
    expect(sizeSell({ ...base, ourSizeMicros: 10 * M })).toMatchObject({ sizeMicros: 4 * M });
  });

  it('the target selling all (or more than we saw) sells all of ours', () => {
    expect(sizeSell({ ...base, targetSellMicros: 100 * M })).toMatchObject({ sizeMicros: 100 * M, basis: 'all' });
    expect(sizeSell({ ...base, targetSellMicros: 150 * M })).toMatchObject({ sizeMicros: 100 * M, basis: 'all' });
  });

  it('nothing held → no_position_to_sell; unknown target position → skip unless sellAllWhenUnknown', () => {
    expect(sizeSell({ ...base, ourSizeMicros: 0 })).toMatchObject({ kind: 'skip', reason: 'no_position_to_sell' });
    expect(sizeSell({ ...base, targetBeforeMicros: 0 })).toMatchObject({
      kind: 'skip',
      reason: 'target_position_unknown',
      details: { targetBeforeMicros: 0, targetSellMicros: 40 * M },
    });
    expect(sizeSell({ ...base, targetBeforeMicros: 0, sellAllWhenUnknown: true })).toMatchObject({
      sizeMicros: 100 * M,
      basis: 'all_unknown',
    });
  });

  it('property: never sells more than we hold, and is monotone in the target fraction', () => {
    const micros = fc.integer({ min: 1, max: 10_000_000 * M });
    fc.assert(
      fc.property(micros, micros, micros, (ours, sell, before) => {
        const r = sizeSell({ ourSizeMicros: ours, targetSellMicros: sell, targetBeforeMicros: before, sellAllWhenUnknown: false });
        if (r.kind === 'skip') return r.reason === 'size_rounds_to_zero';
        const bigger = sizeSell({ ourSizeMicros: ours, targetSellMicros: sell + 1, targetBeforeMicros: before, sellAllWhenUnknown: false });
        return r.sizeMicros <= ours && r.sizeMicros > 0 && bigger.kind === 'size' && bigger.sizeMicros >= r.sizeMicros;
      }),
    );
  });
});

describe('limitPriceFor', () => {
  it('BUY above and SELL below the target price by the slippage', () => {
    expect(limitPriceFor('BUY', 570_000, 200)).toBe(581_400);
    expect(limitPriceFor('SELL', 570_000, 200)).toBe(558_600);
  });

  it('clamps to [tick, 1 − tick]', () => {
    expect(limitPriceFor('BUY', 980_000, 500)).toBe(990_000);
    expect(limitPriceFor('SELL', 20_000, 9_000)).toBe(10_000);
    // On a 0.001-tick market a 0.999 target BUY keeps a limit at its own price, not 0.99.
    expect(limitPriceFor('BUY', 999_000, 200, 1_000)).toBe(999_000);
  });

  it('property: always inside [tick, 1 − tick]; never worse for us than the target price when it is in range', () => {
    const tick = fc.constantFrom(1_000, 10_000);
    fc.assert(
      fc.property(tick, fc.integer({ min: 1, max: 999_999 }), fc.integer({ min: 0, max: 10_000 }), (t, ref, bps) => {
        const buy = limitPriceFor('BUY', ref, bps, t);
        const sell = limitPriceFor('SELL', ref, bps, t);
        const inRange = (p: number) => p >= t && p <= 1_000_000 - t;
        const refInRange = ref >= t && ref <= 1_000_000 - t;
        return inRange(buy) && inRange(sell) && (!refInRange || (buy >= ref && sell <= ref));
      }),
    );
  });
});
