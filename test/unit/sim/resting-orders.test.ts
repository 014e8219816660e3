import { describe, expect, it } from 'vitest';
import { makeWorld } from './sim-fixture.ts';

describe('GTC/GTD resting orders', () => {
  it('takes what is marketable, rests the rest, then fills as maker on a crossing book and a print', () => {
    const w = makeWorld();
    const o = w.order({ side: 'BUY', type: 'GTC', price: '0.53', size: '50' });
    w.venue.submit(o);
    expect(w.types()).toEqual(['order_accepted', 'order_partially_filled']);
    expect(w.fills()[0]).toMatchObject({ priceMicros: 520_000, sizeMicros: 20_000_000, liquidity: 'taker' });
    expect(w.venue.openOrders().map((x) => x.clientOrderId)).toEqual([o.clientOrderId]);

    w.feed(w.change('SELL', '0.53', '10')); // an ask appears at our price: it trades with us
    expect(w.fills()[1]).toMatchObject({ priceMicros: 530_000, sizeMicros: 10_000_000, liquidity: 'maker', feeMicros: 0 });

    w.feed(w.print('0.50', '100')); // a print through our price fills the remaining 20 at our price
    expect(w.fills()[2]).toMatchObject({ priceMicros: 530_000, sizeMicros: 20_000_000, liquidity: 'maker' });
    expect(w.types().at(-1)).toBe('order_filled');
    expect(w.venue.openOrders()).toHaveLength(0);
    const total = w.fills().reduce((s, f) => s + f.sizeMicros, 0);
    expect(total).toBe(50_000_000);
  });

  it('a print away from our price does not fill', () => {
    const w = makeWorld();
    w.venue.submit(w.order({ side: 'SELL', type: 'GTC', price: '0.57', size: '10' }));
    w.feed(w.print('0.56', '100', 'BUY'));
    expect(w.fills()).toHaveLength(0);
    w.feed(w.print('0.58', '4', 'BUY'));
    expect(w.fills()).toMatchObject([{ priceMicros: 570_000, sizeMicros: 4_000_000 }]);
    expect(w.types().at(-1)).toBe('order_partially_filled');
  });

  it('post-only that would cross is rejected; one that would not rests', () => {
    const w = makeWorld();
    w.venue.submit(w.order({ side: 'BUY', type: 'GTC', price: '0.52', size: '10', postOnly: true }));
    expect(w.events).toMatchObject([
      { type: 'order_rejected', reason: 'post_only_cross', message: 'invalid post-only order: order crosses book' },
    ]);
    w.venue.submit(w.order({ side: 'BUY', type: 'GTC', price: '0.51', size: '10', postOnly: true }));
    expect(w.types()).toEqual(['order_rejected', 'order_accepted']);
    expect(w.venue.openOrders()).toHaveLength(1);
  });

  it('GTD expires at its time with what never filled', () => {
    const w = makeWorld();
    const expiresAtMs = w.clock.now() + 120_000;
    w.venue.submit(w.order({ side: 'BUY', type: 'GTD', price: '0.50', size: '10', expiresAtMs }));
    w.feed(w.print('0.50', '3'));
    w.clock.advanceTo(expiresAtMs - 1);
    expect(w.types()).toEqual(['order_accepted', 'order_partially_filled']);
    w.clock.advanceTo(expiresAtMs + 5_000);
    expect(w.events.at(-1)).toMatchObject({ type: 'order_expired', unfilledMicros: 7_000_000, tsEvent: expiresAtMs });
    expect(w.venue.openOrders()).toHaveLength(0);
  });

  it('GTD expiring within a minute is refused like the CLOB does', () => {
    const w = makeWorld();
    w.venue.submit(w.order({ side: 'BUY', type: 'GTD', price: '0.50', size: '10', expiresAtMs: w.clock.now() + 30_000 }));
    expect(w.events).toMatchObject([{ type: 'order_rejected', reason: 'invalid_expiration', message: 'invalid expiration' }]);
  });

  it('cancel and cancelAll end resting orders with their unfilled size', () => {
    const w = makeWorld();
    const a = w.order({ side: 'BUY', type: 'GTC', price: '0.50', size: '10' });
    const b = w.order({ side: 'SELL', type: 'GTC', price: '0.58', size: '6' });
    w.venue.submit(a);
    w.venue.submit(b);
    w.venue.cancel(a.clientOrderId, 'strategy');
    expect(w.events.at(-1)).toMatchObject({ type: 'order_cancelled', reason: 'strategy', unfilledMicros: 10_000_000 });
    w.venue.cancel('nope', 'x');
    w.venue.cancelAll('kill_switch');
    expect(w.events.at(-1)).toMatchObject({ type: 'order_cancelled', reason: 'kill_switch', unfilledMicros: 6_000_000 });
    expect(w.venue.openOrders()).toHaveLength(0);
    w.feed(w.print('0.40', '100'));
    expect(w.fills()).toHaveLength(0);
  });

  it('queue position: prints at our price first eat the size that was ahead of us', () => {
    const w = makeWorld({ queuePosition: true });
    w.venue.submit(w.order({ side: 'BUY', type: 'GTC', price: '0.48', size: '10' })); // 50 shares ahead at 0.48
    w.feed(w.print('0.48', '40'));
    expect(w.fills()).toHaveLength(0);
    w.feed(w.print('0.48', '16'));
    expect(w.fills()).toMatchObject([{ priceMicros: 480_000, sizeMicros: 6_000_000 }]);
    w.feed(w.print('0.47', '1'));
    expect(w.fills()[1]).toMatchObject({ sizeMicros: 1_000_000 });
  });

  it('without queue position a print at our price fills at once', () => {
    const w = makeWorld();
    w.venue.submit(w.order({ side: 'BUY', type: 'GTC', price: '0.48', size: '10' }));
    w.feed(w.print('0.48', '40'));
    expect(w.fills()).toMatchObject([{ priceMicros: 480_000, sizeMicros: 10_000_000 }]);
    expect(w.types().at(-1)).toBe('order_filled');
  });

  it('a SELL never fills more than its size', () => {
    const w = makeWorld();
    w.venue.submit(w.order({ side: 'SELL', type: 'GTC', price: '0.45', size: '10' }));
    expect(w.fills()).toMatchObject([{ priceMicros: 480_000, sizeMicros: 10_000_000, liquidity: 'taker' }]);
    w.feed(w.print('0.90', '500', 'BUY'));
    expect(w.fills()).toHaveLength(1);
  });
});

describe('exchange rules at the sim venue', () => {
  it('rejects what the CLOB would, with its text', () => {
    const w = makeWorld();
    w.venue.submit(w.order({ side: 'BUY', type: 'GTC', price: '0.50', size: '3' }));
    w.venue.submit(w.order({ side: 'BUY', type: 'GTC', price: '0.505', size: '10' }));
    w.venue.submit(w.order({ side: 'BUY', type: 'FOK', price: '0.55', amount: '0.5' }));
    expect(w.events.map((e) => (e.type === 'order_rejected' ? e.message : e.type))).toEqual([
      'order o-1 is invalid. Size (3) lower than the minimum: 5',
      'order o-2 is invalid. Price (0.505) breaks minimum tick size rule: 0.01',
      'invalid amount for a marketable BUY order ($0.5), min size: $1',
    ]);
  });

  it('rejects a duplicate client order id and an unknown market', () => {
    const w = makeWorld();
    const o = w.order({ side: 'BUY', type: 'GTC', price: '0.50', size: '10' });
    w.venue.submit(o);
    w.venue.submit(o);
    w.venue.submit({ ...o, clientOrderId: 'x', tokenId: 'unknown' });
    expect(w.events.slice(1)).toMatchObject([{ reason: 'duplicate' }, { reason: 'unknown_market' }]);
  });
});
