/** The live venue's order book-keeping: a trade read before its order's POST was answered. */
import type { Trade } from '@polymarket/clob-client-v2';
import { describe, expect, it } from 'vitest';
import type { OrderEvent } from '../../../src/core/events.ts';
import type { Order } from '../../../src/core/types.ts';
import { OrderTracker } from '../../../src/exec/clob/order-tracker.ts';

const HASH = '0x' + 'ab'.repeat(32);
const order: Order = {
  clientOrderId: 'o-1',
  strategyId: 's',
  tokenId: '123',
  conditionId: '0xc',
  side: 'BUY',
  type: 'FOK',
  priceMicros: 790_000,
  sizeMicros: 10_000_000,
  amountMicros: 7_850_000,
  postOnly: false,
  createdMs: 0,
  salt: 1,
};
const trade = {
  id: 'trade-1',
  taker_order_id: HASH,
  match_time: '1700000000',
  fee_rate_bps: '0',
  status: 'MATCHED',
  maker_orders: [
    { order_id: '0xm1', price: '0.785', matched_amount: '6' },
    { order_id: '0xm2', price: '0.785', matched_amount: '4' },
  ],
} as unknown as Trade;

describe('OrderTracker', () => {
  it('books a market order at once when the poll read its trade while the POST was being answered', () => {
    const events: OrderEvent[] = [];
    const tracker = new OrderTracker(() => 1000);
    tracker.emit = (e) => events.push(e);
    const t = tracker.add(order);
    tracker.setHash(t, HASH, { makerAmountMicros: 7_850_000 });
    t.state = 'posting';
    tracker.applyTrades([trade]); // the background poll, before the POST's answer is handled
    tracker.accept(t);
    t.awaitTrades = new Set([trade.id]); // the POST's answer names the trade
    tracker.applyTrades([trade]); // the look-up of that trade: already applied
    expect(t.awaitTrades.size).toBe(0);
    tracker.settleMarketOrder(t);
    expect(events.map((e) => e.type)).toEqual(['order_accepted', 'order_partially_filled', 'order_filled']);
    const fills = events.flatMap((e) => ('fill' in e ? [e.fill] : []));
    expect(fills.map((f) => [f.priceMicros, f.sizeMicros])).toEqual([
      [785_000, 6_000_000],
      [785_000, 4_000_000],
    ]);
  });
});
