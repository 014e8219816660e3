import { describe, expect, it } from 'vitest';
import { shapeOrder, validateOrderForExchange } from '../../../src/polymarket/order-rules.ts';
import type { MarketInfo, OrderIntent } from '../../../src/core/types.ts';

const market: MarketInfo = {
  conditionId: '0xc1',
  tokens: [
    { tokenId: 't1', outcome: 'Yes' },
    { tokenId: 't2', outcome: 'No' },
  ],
  negRisk: false,
  tickMicros: 10_000,
  minOrderSizeMicros: 5_000_000,
};
const intent = (o: Partial<OrderIntent>): OrderIntent => ({ tokenId: 't1', side: 'BUY', type: 'GTC', limitPriceMicros: 570_000, ...o });

describe('shapeOrder: limit orders', () => {
  it('floors the size to 2 decimals and says so', () => {
    const r = shapeOrder(intent({ sizeMicros: 33_339_000 }), market);
    expect(r).toEqual({
      ok: true,
      order: { tokenId: 't1', side: 'BUY', type: 'GTC', priceMicros: 570_000, sizeMicros: 33_330_000, postOnly: false },
      adjustments: ['size 33.339→33.33 (2dp)'],
    });
  });

  it('BUY price rounds down to the tick, SELL price up', () => {
    const buy = shapeOrder(intent({ limitPriceMicros: 504_900, sizeMicros: 10_000_000 }), market);
    const sell = shapeOrder(intent({ side: 'SELL', limitPriceMicros: 504_900, sizeMicros: 10_000_000 }), market);
    expect(buy.ok && buy.order.priceMicros).toBe(500_000);
    expect(sell.ok && sell.order.priceMicros).toBe(510_000);
    expect(buy.ok && buy.adjustments[0]).toBe('price 0.5049→0.50 (tick 0.01, down for a BUY)');
  });

  it('refuses below the market minimum with the numbers instead of bumping the size', () => {
    const r = shapeOrder(intent({ sizeMicros: 4_999_000 }), market);
    expect(r).toMatchObject({ ok: false, reason: 'below_min_size', details: { sizeMicros: 4_990_000, minSizeMicros: 5_000_000 } });
    expect(!r.ok && r.message).toMatch(/at least 5 shares/);
  });

  it('a USDC-sized limit order becomes the shares the USDC buys, floored', () => {
    const r = shapeOrder(intent({ amountMicros: 10_000_000 }), market);
    expect(r.ok && r.order.sizeMicros).toBe(17_540_000); // 10 / 0.57 = 17.543859…
  });

  it('with both size and amount the smaller one wins', () => {
    const r = shapeOrder(intent({ sizeMicros: 100_000_000, amountMicros: 10_000_000 }), market);
    expect(r.ok && r.order.sizeMicros).toBe(17_540_000);
  });

  it('BUY limits above 1 − tick clamp down; a SELL above it is invalid; a BUY below the tick is invalid', () => {
    const buy = shapeOrder(intent({ limitPriceMicros: 995_000, sizeMicros: 10_000_000 }), market);
    expect(buy.ok && buy.order.priceMicros).toBe(990_000);
    expect(shapeOrder(intent({ side: 'SELL', limitPriceMicros: 995_000, sizeMicros: 10_000_000 }), market)).toMatchObject({
      ok: false,
      reason: 'invalid_price',
    });
    expect(shapeOrder(intent({ limitPriceMicros: 5_000, sizeMicros: 10_000_000 }), market)).toMatchObject({
      ok: false,
      reason: 'invalid_price',
    });
    expect(shapeOrder(intent({ limitPriceMicros: 1_000_000, sizeMicros: 10_000_000 }), market)).toMatchObject({
      ok: false,
      reason: 'invalid_price',
    });
  });

  it('GTD needs an expiry at least a minute ahead; it is floored to whole seconds', () => {
    expect(shapeOrder(intent({ type: 'GTD', sizeMicros: 10_000_000 }), market)).toMatchObject({ ok: false, reason: 'missing_expiry' });
    expect(shapeOrder(intent({ type: 'GTD', sizeMicros: 10_000_000, expiresAtMs: 1_030_000 }), market, { nowMs: 1_000_000 })).toMatchObject(
      { ok: false, reason: 'invalid_expiration' },
    );
    const r = shapeOrder(intent({ type: 'GTD', sizeMicros: 10_000_000, expiresAtMs: 1_200_500 }), market, { nowMs: 1_000_000 });
    expect(r.ok && r.order.expiresAtMs).toBe(1_200_000);
  });

  it('post-only only with GTC/GTD', () => {
    expect(shapeOrder(intent({ type: 'GTC', postOnly: true, sizeMicros: 10_000_000 }), market)).toMatchObject({
      ok: true,
      order: { postOnly: true },
    });
    expect(shapeOrder(intent({ type: 'FOK', postOnly: true, amountMicros: 10_000_000 }), market)).toMatchObject({
      ok: false,
      reason: 'post_only_not_allowed',
    });
  });

  it('refuses a closed market, an unknown token, a tick the CLOB does not use, and a missing size', () => {
    expect(shapeOrder(intent({ sizeMicros: 10_000_000 }), { ...market, closed: true })).toMatchObject({
      ok: false,
      reason: 'market_closed',
    });
    expect(shapeOrder(intent({ tokenId: 'zz', sizeMicros: 10_000_000 }), market)).toMatchObject({ ok: false, reason: 'unknown_token' });
    expect(shapeOrder(intent({ sizeMicros: 10_000_000 }), { ...market, tickMicros: 20_000 })).toMatchObject({
      ok: false,
      reason: 'invalid_tick',
    });
    expect(shapeOrder(intent({}), market)).toMatchObject({ ok: false, reason: 'missing_size' });
    expect(shapeOrder(intent({ sizeMicros: -1 }), market)).toMatchObject({ ok: false, reason: 'invalid_size' });
  });
});

describe('shapeOrder: market orders', () => {
  it('a market BUY is sized in USDC floored to cents, with the share estimate at the limit', () => {
    const r = shapeOrder(intent({ type: 'FOK', limitPriceMicros: 550_000, amountMicros: 10_555_000 }), market);
    expect(r).toEqual({
      ok: true,
      order: {
        tokenId: 't1',
        side: 'BUY',
        type: 'FOK',
        priceMicros: 550_000,
        amountMicros: 10_550_000,
        sizeMicros: 19_181_800,
        postOnly: false,
      },
      adjustments: ['amount 10.555→10.55 (2dp)'],
    });
  });

  it('a market BUY given in shares converts with the limit price', () => {
    const r = shapeOrder(intent({ type: 'FAK', limitPriceMicros: 520_000, sizeMicros: 20_000_000 }), market);
    expect(r.ok && r.order.amountMicros).toBe(10_400_000);
  });

  it('a market BUY under $1 is refused with the numbers', () => {
    const r = shapeOrder(intent({ type: 'FOK', limitPriceMicros: 520_000, sizeMicros: 1_900_000 }), market);
    expect(r).toMatchObject({ ok: false, reason: 'below_min_notional', details: { amountMicros: 980_000, minMicros: 1_000_000 } });
  });

  it('a market SELL is in shares floored to 2 decimals and has no 5-share minimum', () => {
    const r = shapeOrder(intent({ side: 'SELL', type: 'FOK', limitPriceMicros: 480_000, sizeMicros: 1_239_000 }), market);
    expect(r).toMatchObject({ ok: true, order: { sizeMicros: 1_230_000, priceMicros: 480_000 } });
    expect(shapeOrder(intent({ side: 'SELL', type: 'FOK', limitPriceMicros: 480_000, sizeMicros: 9_000 }), market)).toMatchObject({
      ok: false,
      reason: 'below_min_size',
    });
  });

  it('shaped orders pass the exchange checks with the amounts the SDK signs (tick 0.01)', () => {
    for (const o of [
      intent({ type: 'FOK', limitPriceMicros: 523_456, amountMicros: 12_345_678 }),
      intent({ side: 'SELL', type: 'FAK', limitPriceMicros: 487_000, sizeMicros: 30_017_000 }),
      intent({ type: 'GTC', limitPriceMicros: 333_333, sizeMicros: 7_777_777 }),
    ]) {
      const r = shapeOrder(o, market);
      expect(r.ok && validateOrderForExchange(r.order, market)).toBeNull();
    }
  });
});

describe('validateOrderForExchange texts', () => {
  it('answers with the CLOB error text for each rule', () => {
    const v = (o: Parameters<typeof validateOrderForExchange>[0], m: MarketInfo = market) =>
      validateOrderForExchange(o, m, { orderId: '0xabc', nowMs: 1_000_000 });
    const base = { tokenId: 't1', postOnly: false } as const;
    expect(v({ ...base, side: 'BUY', type: 'GTC', priceMicros: 995_000, sizeMicros: 10_000_000 })).toBe(
      'invalid price (0.995), min: 0.01 - max: 0.99',
    );
    expect(v({ ...base, side: 'BUY', type: 'GTC', priceMicros: 505_000, sizeMicros: 10_000_000 })).toBe(
      'order 0xabc is invalid. Price (0.505) breaks minimum tick size rule: 0.01',
    );
    expect(v({ ...base, side: 'BUY', type: 'GTC', priceMicros: 500_000, sizeMicros: 1_080_000 })).toBe(
      'order 0xabc is invalid. Size (1.08) lower than the minimum: 5',
    );
    expect(v({ ...base, side: 'BUY', type: 'FOK', priceMicros: 500_000, sizeMicros: 1_800_000, amountMicros: 900_000 })).toBe(
      'invalid amount for a marketable BUY order ($0.9), min size: $1',
    );
    expect(v({ side: 'BUY', type: 'GTC', makerAmountMicros: 5_265_000, takerAmountMicros: 10_125_000 })).toBe(
      'invalid amounts, the buy orders maker amount supports a max accuracy of 4 decimals, taker amount a max of 2 decimals',
    );
    expect(v({ side: 'SELL', type: 'FOK', makerAmountMicros: 30_001_000, takerAmountMicros: 14_400_480 })).toBe(
      'invalid amounts, the market sell orders maker amount supports a max accuracy of 2 decimals, taker amount a max of 4 decimals',
    );
    expect(v({ side: 'BUY', type: 'GTD', makerAmountMicros: 5_000_000, takerAmountMicros: 10_000_000, expirationSec: 1_030 })).toBe(
      'invalid expiration',
    );
    expect(v({ side: 'BUY', type: 'FOK', makerAmountMicros: 5_000_000, takerAmountMicros: 10_000_000, postOnly: true })).toBe(
      'postOnly is not supported for FOK/FAK orders',
    );
    expect(v({ side: 'BUY', type: 'GTC', makerAmountMicros: 0, takerAmountMicros: 10_000_000 })).toBe('Invalid order payload');
    expect(
      v({ side: 'BUY', type: 'GTC', makerAmountMicros: 5_030_000, takerAmountMicros: 10_000_000 }, { ...market, tickMicros: 5_000 }),
    ).toBe('order 0xabc is invalid. Price (0.503) breaks minimum tick size rule: 0.005');
    expect(v({ side: 'BUY', type: 'FOK', makerAmountMicros: 10_000_000, takerAmountMicros: 19_230_700 })).toBeNull();
    expect(v({ side: 'BUY', type: 'FOK', makerAmountMicros: 10_000_000, takerAmountMicros: 10_101_000 })).toBeNull(); // $10 at 0.99, shares floored
  });
});
