import { describe, expect, it } from 'vitest';
import { AccumulatingSizer } from '../../../src/polymarket/order-rules.ts';
import type { MarketInfo, OrderIntent } from '../../../src/core/types.ts';

const market: MarketInfo = {
  conditionId: '0xc1',
  tokens: [{ tokenId: 't1', outcome: 'Yes' }],
  negRisk: false,
  tickMicros: 10_000,
  minOrderSizeMicros: 5_000_000,
};
const limitBuy = (size: number): OrderIntent => ({ tokenId: 't1', side: 'BUY', type: 'GTC', limitPriceMicros: 400_000, sizeMicros: size });
const marketBuy = (usd: number): OrderIntent => ({ tokenId: 't1', side: 'BUY', type: 'FOK', limitPriceMicros: 500_000, amountMicros: usd });

describe('AccumulatingSizer', () => {
  it('holds sub-minimum limit copies until together they reach the minimum', () => {
    const sizer = new AccumulatingSizer();
    expect(sizer.offer(limitBuy(2_000_000), market)).toMatchObject({
      action: 'hold',
      reason: 'below_min_size',
      pendingMicros: 2_000_000,
      pendingCount: 1,
    });
    expect(sizer.offer(limitBuy(2_000_000), market)).toMatchObject({ action: 'hold', pendingMicros: 4_000_000, pendingCount: 2 });
    const third = sizer.offer(limitBuy(1_500_000), market);
    expect(third).toMatchObject({ action: 'submit', combinedCount: 3, order: { sizeMicros: 5_500_000, priceMicros: 400_000 } });
    expect(sizer.pending('t1', 'BUY')).toBeUndefined();
  });

  it('adds market BUYs in USDC up to the $1 minimum', () => {
    const sizer = new AccumulatingSizer();
    expect(sizer.offer(marketBuy(600_000), market)).toMatchObject({ action: 'hold', reason: 'below_min_notional', unit: 'usdc' });
    expect(sizer.offer(marketBuy(600_000), market)).toMatchObject({ action: 'submit', order: { amountMicros: 1_200_000 } });
  });

  it('an opposite-side copy drops what was pending; stale pending is dropped too', () => {
    const sizer = new AccumulatingSizer({ maxAgeMs: 1_000 });
    sizer.offer(limitBuy(3_000_000), market, 0);
    sizer.offer({ ...limitBuy(1_000_000), side: 'SELL' }, market, 10);
    expect(sizer.pending('t1', 'BUY')).toBeUndefined();
    sizer.offer(limitBuy(3_000_000), market, 100);
    expect(sizer.offer(limitBuy(3_000_000), market, 5_000)).toMatchObject({ action: 'hold', pendingMicros: 3_000_000 });
  });

  it('passes other shaping failures through without touching what is pending', () => {
    const sizer = new AccumulatingSizer();
    sizer.offer(limitBuy(3_000_000), market);
    expect(sizer.offer({ ...limitBuy(3_000_000), limitPriceMicros: 0 }, market)).toMatchObject({
      action: 'reject',
      reason: 'invalid_price',
    });
    expect(sizer.pending('t1', 'BUY')).toMatchObject({ micros: 3_000_000 });
    sizer.clear('t1');
    expect(sizer.pending('t1', 'BUY')).toBeUndefined();
  });
});
