/** A small world for SimVenue tests: virtual clock, seeded ids, one binary market and its book. */
import { VirtualClock } from '../../../src/core/clock.ts';
import type { MarketDataEvent, OrderEvent } from '../../../src/core/events.ts';
import { SeededIds } from '../../../src/core/ids.ts';
import { MarketRegistry } from '../../../src/core/market-registry.ts';
import { toMicros } from '../../../src/core/money.ts';
import { BookRegistry } from '../../../src/core/order-book.ts';
import type { BookLevel, MarketInfo, Order, OrderType, Side } from '../../../src/core/types.ts';
import { SimVenue, type SimVenueOptions } from '../../../src/exec/sim/sim-venue.ts';

export const TOKEN = 'yes-token';
export const MARKET: MarketInfo = {
  conditionId: '0xc1',
  slug: 'test-market',
  tokens: [
    { tokenId: TOKEN, outcome: 'Yes' },
    { tokenId: 'no-token', outcome: 'No' },
  ],
  negRisk: false,
  tickMicros: 10_000,
  minOrderSizeMicros: 5_000_000,
  feeRate: 0.072,
  feeExponent: 1,
};

export const lv = (price: string, size: string): BookLevel => ({ priceMicros: toMicros(price), sizeMicros: toMicros(size) });

/** Bids 0.48×50, 0.45×100, 0.40×100; asks 0.52×20, 0.55×100, 0.60×100 (best first). */
export const DEFAULT_BIDS = () => [lv('0.48', '50'), lv('0.45', '100'), lv('0.40', '100')];
export const DEFAULT_ASKS = () => [lv('0.52', '20'), lv('0.55', '100'), lv('0.60', '100')];

export function makeWorld(options: Partial<SimVenueOptions> = {}, seed = 7) {
  const clock = new VirtualClock(1_700_000_000_000);
  const ids = new SeededIds(seed);
  const books = new BookRegistry();
  const markets = new MarketRegistry();
  markets.upsert(MARKET);
  books.getOrCreate(TOKEN).replace(DEFAULT_BIDS(), DEFAULT_ASKS(), clock.now());
  const venue = new SimVenue({ clock, ids, books, markets, fillModel: 'book-walk', ...options });
  const events: OrderEvent[] = [];
  venue.attach((e) => events.push(e));
  let n = 0;
  const order = (o: {
    side: Side;
    type: OrderType;
    price: string;
    size?: string;
    amount?: string;
    ref?: string;
    postOnly?: boolean;
    expiresAtMs?: number;
  }): Order => {
    const priceMicros = toMicros(o.price);
    const amountMicros = o.amount !== undefined ? toMicros(o.amount) : undefined;
    const sizeMicros = o.size !== undefined ? toMicros(o.size) : Math.floor(((amountMicros ?? 0) * 1e6) / priceMicros);
    return {
      clientOrderId: `o-${++n}`,
      strategyId: 's1',
      tokenId: TOKEN,
      conditionId: MARKET.conditionId,
      side: o.side,
      type: o.type,
      priceMicros,
      sizeMicros,
      amountMicros,
      postOnly: o.postOnly ?? false,
      expiresAtMs: o.expiresAtMs,
      createdMs: clock.now(),
      referencePriceMicros: o.ref !== undefined ? toMicros(o.ref) : undefined,
      salt: 1,
    };
  };
  /** Updates the shared books first, as the engine does, then tells the venue. */
  const feed = (event: MarketDataEvent) => {
    if (event.type === 'book_snapshot') books.getOrCreate(event.tokenId).replace(event.bids, event.asks, event.tsEvent);
    if (event.type === 'book_change')
      for (const c of event.changes) books.getOrCreate(event.tokenId).setLevel(c.side, c.priceMicros, c.sizeMicros, event.tsEvent);
    venue.onMarketData(event);
  };
  const change = (side: Side, price: string, size: string): MarketDataEvent => ({
    type: 'book_change',
    tokenId: TOKEN,
    changes: [{ side, priceMicros: toMicros(price), sizeMicros: toMicros(size) }],
    tsEvent: clock.now(),
    tsRecv: clock.now(),
  });
  const print = (price: string, size: string, side: Side = 'SELL'): MarketDataEvent => ({
    type: 'trade_print',
    tokenId: TOKEN,
    side,
    priceMicros: toMicros(price),
    sizeMicros: toMicros(size),
    tsEvent: clock.now(),
    tsRecv: clock.now(),
  });
  const fills = () => events.flatMap((e) => (e.type === 'order_filled' || e.type === 'order_partially_filled' ? [e.fill] : []));
  const types = () => events.map((e) => e.type);
  return { clock, ids, books, markets, venue, events, order, feed, change, print, fills, types };
}
