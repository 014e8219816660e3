import { describe, expect, it } from 'vitest';
import { cancels, fills, harness, market, marketEvent, MIN, orders, quote, spec, YES } from './helpers.ts';

const base = {
  market: '0x' + 'c'.repeat(64),
  outcome: 'Yes',
  tokenIds: [YES],
  sizeUsdc: 10,
  bidOffsetPct: 4,
  askOffsetPct: 4,
  requoteDriftPct: 2,
  referenceWindowMs: MIN,
  reference: 'last',
  cancelBeforeEndMs: 2 * MIN,
};

async function setup(params: Record<string, unknown> = {}, m = market()) {
  const h = harness([await spec('maker-wave', { ...base, ...params }, 'mw')]);
  h.feed([marketEvent(m, 0), quote(YES, 1_000, 0.49, 0.51)]);
  return h;
}

describe('maker-wave', () => {
  it('rests a post-only GTC bid bidOffsetPct below the reference', async () => {
    const h = await setup();
    const [bid] = orders(h);
    expect(bid).toMatchObject({ side: 'BUY', reason: 'approved' });
    const open = h.engine.openOrders();
    expect(open).toHaveLength(1);
    // mid 0.50 − 4% = 0.48; $10 buys 20.83 shares.
    expect(open[0]).toMatchObject({ side: 'BUY', type: 'GTC', priceMicros: 480_000, postOnly: true, sizeMicros: 20_830_000 });
  });

  it('after the bid fills, rests an ask askOffsetPct above the entry; the round completes when it fills', async () => {
    const h = await setup();
    h.feed([quote(YES, 2_000, 0.47, 0.48)]); // the ask comes down to our bid: we fill as maker
    const [buy] = fills(h);
    expect(buy).toMatchObject({ side: 'BUY', priceMicros: 480_000, liquidity: 'maker', sizeMicros: 20_830_000 });
    // The ask goes out at once (onFill), not at the next book update; no second bid meanwhile.
    const open = h.engine.openOrders();
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ side: 'SELL', type: 'GTC', priceMicros: 500_000, sizeMicros: 20_830_000 }); // 0.48 + 4% = 0.4992 → 0.50
    h.feed([quote(YES, 3_000, 0.5, 0.51)]); // a bid reaches our ask
    const sell = fills(h)[1]!;
    expect(sell).toMatchObject({ side: 'SELL', priceMicros: 500_000, liquidity: 'maker' });
    expect(h.engine.portfolio.strategy('mw').size(YES)).toBe(0);
    expect(h.engine.portfolio.strategy('mw').realizedMicros).toBe(416_600); // 20.83 × 0.02
    // Flat again: a new bid below the new reference (mid 0.505 − 4% = 0.4848 → 0.48).
    expect(h.engine.openOrders()).toMatchObject([{ side: 'BUY', priceMicros: 480_000 }]);
  });

  it('requotes (cancel + new bid) only when the reference drifts more than requoteDriftPct', async () => {
    const h = await setup();
    h.feed([quote(YES, 2_000, 0.5, 0.51)]); // mid 0.505: +1% drift, keep
    expect(cancels(h)).toHaveLength(0);
    h.feed([quote(YES, 3_000, 0.51, 0.52)]); // mid 0.515: +3%
    expect(cancels(h, 'requote')).toHaveLength(1);
    const requote = orders(h)[1]!;
    expect(requote.message).toMatch(/requote: reference 0\.500 → 0\.515/);
    expect(h.engine.openOrders()).toMatchObject([{ side: 'BUY', priceMicros: 490_000 }]); // 0.515 − 4% = 0.4944 → 0.49
  });

  it('cancels everything cancelBeforeEndMs before the end, on its timer, and keeps the position', async () => {
    const h = await setup({}, market({ endMs: 10 * MIN }));
    h.feed([quote(YES, 2_000, 0.47, 0.48)]); // bid filled, ask resting
    expect(h.engine.openOrders()).toMatchObject([{ side: 'SELL' }]);
    h.clock.advanceTo(8 * MIN);
    expect(cancels(h, 'cancel_before_end')).toHaveLength(1);
    expect(h.engine.openOrders()).toHaveLength(0);
    expect(h.engine.portfolio.strategy('mw').size(YES)).toBe(20_830_000);
    h.feed([quote(YES, 8 * MIN + 1_000, 0.45, 0.46)]);
    expect(orders(h)).toHaveLength(2); // no new quotes after the cutoff
  });

  it('with exitAtEnd, also sells the position with a FAK at the cutoff', async () => {
    const h = await setup({ exitAtEnd: true }, market({ endMs: 10 * MIN }));
    h.feed([quote(YES, 2_000, 0.47, 0.48), quote(YES, 7 * MIN, 0.46, 0.5)]);
    h.clock.advanceTo(8 * MIN); // cancels the ask; the sale follows once the cancel is confirmed
    expect(cancels(h, 'cancel_before_end')).toHaveLength(1);
    h.clock.advanceTo(8 * MIN + 1);
    const exit = orders(h).at(-1)!;
    expect(exit.message).toMatch(/exit before the end/);
    expect(h.engine.portfolio.strategy('mw').size(YES)).toBe(0);
  });

  it('resizes the ask in two steps when a partly filled bid fills more', async () => {
    const h = await setup({ sizeUsdc: 12 }); // bid 25 shares at 0.48
    h.feed([
      { type: 'trade_print', tsEvent: 2_000, tsRecv: 2_000, tokenId: YES, side: 'SELL', priceMicros: 470_000, sizeMicros: 10_000_000 },
    ]);
    expect(h.engine.openOrders()).toMatchObject([{ side: 'BUY' }, { side: 'SELL', sizeMicros: 10_000_000 }]);
    h.feed([
      { type: 'trade_print', tsEvent: 3_000, tsRecv: 3_000, tokenId: YES, side: 'SELL', priceMicros: 470_000, sizeMicros: 15_000_000 },
    ]);
    expect(cancels(h, 'resize_ask')).toHaveLength(1);
    h.clock.advanceTo(3_001);
    expect(h.engine.openOrders()).toMatchObject([{ side: 'SELL', sizeMicros: 25_000_000, priceMicros: 500_000 }]);
    expect(h.decisions.filter((d) => d.reason === 'no_position_to_sell')).toHaveLength(0);
  });

  it('says once when sizeUsdc is too small for the market minimum', async () => {
    const h = await setup({ sizeUsdc: 1 });
    h.feed([quote(YES, 2_000, 0.49, 0.51), quote(YES, 3_000, 0.49, 0.51)]);
    expect(orders(h)).toHaveLength(0);
    const skip = h.decisions.filter((d) => d.reason === 'below_min_size');
    expect(skip).toHaveLength(1);
    expect(skip[0]!.details).toMatchObject({ sizeMicros: 2_083_333, minSizeMicros: 5_000_000 });
  });
});
