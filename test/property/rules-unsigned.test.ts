/**
 * An unsigned (shaped) order is checked from its numbers, without building the signed order: the verdict
 * must be the one for the wire order its amounts make — clob-client-v2's (`makerTakerAmounts`) or the
 * exchange-safe ones (`exchangeAmounts`, what the sim assumes is sent) — on random orders, on tick or not.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { notional } from '../../src/core/money.ts';
import type { MarketInfo, OrderType, Side } from '../../src/core/types.ts';
import { checkOrderForExchange, exchangeAmounts, makerTakerAmounts } from '../../src/polymarket/order-rules.ts';
import type { ShapedOrder } from '../../src/polymarket/shaping-types.ts';

const NOW_MS = 1_760_000_000_000;
const qtyArb = fc.oneof(fc.integer({ min: 0, max: 20_000_000 }), fc.integer({ min: 0, max: 100_000_000_000 }));

const caseArb = fc.record({
  tickMicros: fc.constantFrom(100_000, 10_000, 5_000, 2_500, 1_000, 100),
  minOrderSizeMicros: fc.constantFrom(1_000_000, 5_000_000),
  side: fc.constantFrom<Side>('BUY', 'SELL'),
  type: fc.constantFrom<OrderType>('GTC', 'GTD', 'FOK', 'FAK'),
  ticks: fc.integer({ min: -1, max: 10_001 }),
  offTick: fc.constantFrom(0, 0, 0, 1, 37),
  sizeMicros: qtyArb,
  amountMicros: fc.option(qtyArb, { nil: undefined }),
  postOnly: fc.boolean(),
  expiresInMs: fc.option(fc.constantFrom(-1_000, 30_000, 61_000, 3_600_000), { nil: undefined }),
  amounts: fc.constantFrom<'sdk' | 'exchange'>('sdk', 'exchange'),
});

/** The verdict by way of the wire order (what the check did before it worked from numbers), or the error thrown. */
function viaWire(order: ShapedOrder, market: MarketInfo, amounts: 'sdk' | 'exchange'): unknown {
  const tick = market.tickMicros;
  const p = order.priceMicros;
  // The price is checked first, on the order's own price (unchanged by this rewrite): only its code is compared here.
  if (p < tick || p > 1_000_000 - tick) return 'invalid_price';
  if (p % tick !== 0) return 'invalid_tick';
  const isMarket = order.type === 'FOK' || order.type === 'FAK';
  const amountMicros =
    order.amountMicros ?? (order.side === 'BUY' && isMarket ? notional(order.sizeMicros, order.priceMicros, 'floor') : undefined);
  const input = { ...order, amountMicros, tickMicros: market.tickMicros };
  try {
    const signed = amounts === 'exchange' ? exchangeAmounts(input) : makerTakerAmounts(input);
    const wire = {
      side: order.side,
      type: order.type,
      makerAmountMicros: signed.makerAmountMicros,
      takerAmountMicros: signed.takerAmountMicros,
      postOnly: order.postOnly,
      expirationSec: order.expiresAtMs !== undefined ? Math.floor(order.expiresAtMs / 1000) : 0,
    };
    return checkOrderForExchange(wire, market, { orderId: '0xab', nowMs: NOW_MS });
  } catch (e) {
    return String(e);
  }
}

describe('exchange rules on a shaped order', () => {
  it('give the verdict of the wire order its amounts make', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const market: MarketInfo = {
          conditionId: '0xc',
          tokens: [],
          negRisk: false,
          tickMicros: c.tickMicros,
          minOrderSizeMicros: c.minOrderSizeMicros,
        };
        const order: ShapedOrder = {
          tokenId: 't',
          side: c.side,
          type: c.type,
          priceMicros: c.ticks * c.tickMicros + c.offTick,
          sizeMicros: c.sizeMicros,
          amountMicros: c.amountMicros,
          postOnly: c.postOnly,
          expiresAtMs: c.expiresInMs === undefined ? undefined : NOW_MS + c.expiresInMs,
        };
        let direct: unknown;
        try {
          direct = checkOrderForExchange(order, market, { orderId: '0xab', nowMs: NOW_MS, amounts: c.amounts });
        } catch (e) {
          direct = String(e);
        }
        const expected = viaWire(order, market, c.amounts);
        if (typeof expected === 'string' && expected.startsWith('invalid_'))
          expect((direct as { code?: string } | null)?.code).toBe(expected);
        else expect(direct).toEqual(expected);
      }),
      { numRuns: 5_000 },
    );
  });
});
