import { describe, expect, it } from 'vitest';
import { makeWorld, lv, TOKEN } from './sim-fixture.ts';

describe('target-price model', () => {
  it('fills the whole order at the target price when it is within the limit, with the taker fee', () => {
    const w = makeWorld({ fillModel: 'target-price' });
    w.venue.submit(w.order({ side: 'BUY', type: 'FOK', price: '0.55', amount: '10', ref: '0.50' }));
    expect(w.types()).toEqual(['order_accepted', 'order_filled']);
    // $10 at 0.50 = 20 shares; fee 20 × 0.072 × 0.5 × 0.5 = $0.36
    expect(w.fills()).toMatchObject([
      { priceMicros: 500_000, sizeMicros: 20_000_000, feeMicros: 360_000, liquidity: 'taker', fillId: 'f-000001' },
    ]);
  });

  it('rejects no_match when the target price is beyond our limit', () => {
    const w = makeWorld({ fillModel: 'target-price' });
    w.venue.submit(w.order({ side: 'SELL', type: 'FOK', price: '0.50', size: '10', ref: '0.49' }));
    expect(w.events).toMatchObject([
      {
        type: 'order_rejected',
        reason: 'no_match',
        message: 'no orders found to match with FOK order. FOK orders are fully filled or killed.',
      },
    ]);
  });

  it('without a target price falls back to the best level, no slippage', () => {
    const w = makeWorld({ fillModel: 'target-price', slippageTicks: 3 });
    w.venue.submit(w.order({ side: 'SELL', type: 'FOK', price: '0.40', size: '70' }));
    expect(w.fills()).toMatchObject([{ priceMicros: 480_000, sizeMicros: 70_000_000 }]);
  });
});

describe('top-of-book model', () => {
  it('fills everything at the best price plus the slippage ticks', () => {
    const w = makeWorld({ fillModel: 'top-of-book', slippageTicks: 1 });
    w.venue.submit(w.order({ side: 'BUY', type: 'FOK', price: '0.60', amount: '10' }));
    // 0.52 + 1 tick = 0.53; $10 buys 18.867924 shares
    expect(w.fills()).toMatchObject([{ priceMicros: 530_000, sizeMicros: 18_867_924 }]);
    expect(w.types()).toEqual(['order_accepted', 'order_filled']);
  });

  it('rejects no_book when the side to take is empty, saying why', () => {
    const w = makeWorld({ fillModel: 'top-of-book' });
    w.books.get(TOKEN)!.replace([], [lv('0.52', '20')], w.clock.now());
    w.venue.submit(w.order({ side: 'SELL', type: 'FAK', price: '0.40', size: '10' }));
    expect(w.events).toHaveLength(1);
    expect(w.events[0]).toMatchObject({ type: 'order_rejected', reason: 'no_book' });
    expect((w.events[0] as { message: string }).message).toMatch(/no bids/);
  });

  it('rejects no_match when the slipped price passes the limit', () => {
    const w = makeWorld({ fillModel: 'top-of-book', slippageTicks: 2 });
    w.venue.submit(w.order({ side: 'BUY', type: 'FOK', price: '0.53', size: '10' }));
    expect(w.events).toMatchObject([{ type: 'order_rejected', reason: 'no_match' }]);
  });
});

describe('book-walk model', () => {
  it('walks levels within the limit, one fill per level, last one order_filled', () => {
    const w = makeWorld();
    w.venue.submit(w.order({ side: 'BUY', type: 'FOK', price: '0.55', size: '50' }));
    expect(w.types()).toEqual(['order_accepted', 'order_partially_filled', 'order_filled']);
    expect(w.fills().map((f) => [f.priceMicros, f.sizeMicros])).toEqual([
      [520_000, 20_000_000],
      [550_000, 30_000_000],
    ]);
  });

  it('FOK that cannot fill completely is rejected and takes nothing', () => {
    const w = makeWorld();
    w.venue.submit(w.order({ side: 'BUY', type: 'FOK', price: '0.55', size: '200' }));
    expect(w.events).toMatchObject([{ type: 'order_rejected', reason: 'no_match' }]);
    w.venue.submit(w.order({ side: 'BUY', type: 'FOK', price: '0.52', size: '20' }));
    expect(w.fills()).toMatchObject([{ priceMicros: 520_000, sizeMicros: 20_000_000 }]);
  });

  it('FAK fills what it can and cancels the rest', () => {
    const w = makeWorld();
    w.venue.submit(w.order({ side: 'BUY', type: 'FAK', price: '0.55', size: '200' }));
    expect(w.types()).toEqual(['order_accepted', 'order_partially_filled', 'order_partially_filled', 'order_cancelled']);
    expect(w.events[3]).toMatchObject({ reason: 'fak_unfilled', unfilledMicros: 80_000_000 });
  });

  it('FAK with nothing within the limit is rejected with the CLOB text', () => {
    const w = makeWorld();
    w.venue.submit(w.order({ side: 'SELL', type: 'FAK', price: '0.50', size: '10' }));
    expect(w.events).toMatchObject([
      {
        type: 'order_rejected',
        reason: 'no_match',
        message: 'no orders found to match with FAK order. FAK orders are partially filled or killed if no match is found.',
      },
    ]);
  });

  it('a market BUY spends its USDC and no more', () => {
    const w = makeWorld();
    w.venue.submit(w.order({ side: 'BUY', type: 'FOK', price: '0.55', amount: '20' }));
    const fills = w.fills();
    // 20 shares at 0.52 = $10.40, then $9.60 at 0.55 = 17.454545 shares
    expect(fills.map((f) => [f.priceMicros, f.sizeMicros])).toEqual([
      [520_000, 20_000_000],
      [550_000, 17_454_545],
    ]);
    const spent = fills.reduce((s, f) => s + Math.ceil((f.sizeMicros * f.priceMicros) / 1e6), 0);
    expect(spent).toBeLessThanOrEqual(20_000_000);
    expect(w.types().at(-1)).toBe('order_filled');
  });

  it('two orders in a row do not take the same shares; a level update or snapshot resets it', () => {
    const w = makeWorld();
    w.venue.submit(w.order({ side: 'BUY', type: 'FOK', price: '0.52', size: '20' }));
    w.venue.submit(w.order({ side: 'BUY', type: 'FOK', price: '0.52', size: '20' }));
    expect(w.types()).toEqual(['order_accepted', 'order_filled', 'order_rejected']);
    w.feed(w.change('SELL', '0.52', '20'));
    w.venue.submit(w.order({ side: 'BUY', type: 'FOK', price: '0.52', size: '20' }));
    expect(w.types().at(-1)).toBe('order_filled');
    w.venue.submit(w.order({ side: 'BUY', type: 'FOK', price: '0.52', size: '20' }));
    expect(w.types().at(-1)).toBe('order_rejected');
    w.feed({ type: 'book_snapshot', tokenId: TOKEN, bids: [], asks: [lv('0.52', '20')], tsEvent: 0, tsRecv: 0 });
    w.venue.submit(w.order({ side: 'BUY', type: 'FOK', price: '0.52', size: '20' }));
    expect(w.types().at(-1)).toBe('order_filled');
  });
});

describe('latency', () => {
  it('fills against the book as it is when the order arrives', () => {
    const w = makeWorld({ latencyMs: 100 });
    const start = w.clock.now();
    w.venue.submit(w.order({ side: 'BUY', type: 'FOK', price: '0.60', size: '10' }));
    expect(w.events).toHaveLength(0);
    expect(w.venue.openOrders()).toHaveLength(1);
    w.clock.advanceTo(start + 50);
    w.feed(w.change('SELL', '0.52', '0'));
    w.clock.advanceTo(start + 100);
    expect(w.fills()).toMatchObject([{ priceMicros: 550_000, sizeMicros: 10_000_000, tsMs: start + 100 }]);
    expect(w.events[0]!.tsEvent).toBe(start + 100);
  });

  it('measured latency samples: each order waits one of them, drawn repeatably from the seed', () => {
    const arrivals = (seed: number) => {
      const w = makeWorld({ latencyMs: 999, latencySamplesMs: [10, 40, 300], latencySeed: seed });
      const start = w.clock.now();
      for (let i = 0; i < 30; i++) w.venue.submit(w.order({ side: 'BUY', type: 'GTC', price: '0.40', size: '5' }));
      const waits: number[] = [];
      for (let t = start; t <= start + 300; t++) {
        w.clock.advanceTo(t);
        for (let k = waits.length; k < w.types().length; k++) waits.push(t - start);
      }
      return waits;
    };
    const waits = arrivals(3);
    expect(waits).toHaveLength(30);
    expect(new Set(waits)).toEqual(new Set([10, 40, 300]));
    expect(arrivals(3)).toEqual(waits);
  });

  it('fill notice samples: a market order matches at once, and its answer reaches the engine a drawn delay later', () => {
    const w = makeWorld({ noticeSamplesMs: [250], latencySeed: 5 });
    const start = w.clock.now();
    w.venue.submit(w.order({ side: 'BUY', type: 'FOK', price: '0.55', amount: '5', ref: '0.52' }));
    // A second order right after takes what is left: the first one's shares are already gone from the book.
    w.venue.submit(w.order({ side: 'BUY', type: 'FOK', price: '0.55', amount: '10', ref: '0.52' }));
    expect(w.types()).toEqual([]);
    w.clock.advanceTo(start + 249);
    expect(w.types()).toEqual([]);
    w.clock.advanceTo(start + 250);
    expect(w.types()).toEqual(['order_accepted', 'order_filled', 'order_accepted', 'order_partially_filled', 'order_filled']);
    const fills = w.events.flatMap((e) => ('fill' in e ? [e.fill] : []));
    expect(fills.map((f) => [f.priceMicros, f.tsMs])).toEqual([
      [520_000, start],
      [520_000, start],
      [550_000, start],
    ]);
  });

  it('fill notice samples leave resting orders alone (their later maker fills must not overtake the accept)', () => {
    const w = makeWorld({ noticeSamplesMs: [250] });
    w.venue.submit(w.order({ side: 'BUY', type: 'GTC', price: '0.40', size: '5' }));
    expect(w.types()).toEqual(['order_accepted']);
  });

  it('an order cancelled while in flight never reaches the book', () => {
    const w = makeWorld({ latencyMs: 100 });
    const o = w.order({ side: 'BUY', type: 'GTC', price: '0.50', size: '10' });
    w.venue.submit(o);
    w.venue.cancel(o.clientOrderId, 'user');
    w.clock.advanceTo(w.clock.now() + 200);
    expect(w.types()).toEqual(['order_cancelled']);
    expect(w.venue.openOrders()).toHaveLength(0);
  });
});
