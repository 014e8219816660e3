/**
 * SimVenue fills never exceed the order, never trade outside the limit, book-walk VWAP lies between the
 * best price and the limit, and the same inputs + seed give identical events.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OrderEvent } from '../../src/core/events.ts';
import type { Fill, Order, Side } from '../../src/core/types.ts';
import type { FillModel } from '../../src/exec/sim/sim-venue.ts';
import { TOKEN, makeWorld } from '../unit/sim/sim-fixture.ts';

const priceArb = fc.integer({ min: 1, max: 99 }).map((c) => c * 10_000);
const levelsArb = fc.uniqueArray(
  fc.record({ priceMicros: priceArb, sizeMicros: fc.integer({ min: 1, max: 50_000 }).map((c) => c * 10_000) }),
  { selector: (l) => l.priceMicros, maxLength: 8 },
);

type Step =
  | { kind: 'order'; side: Side; type: 'FOK' | 'FAK' | 'GTC'; price: number; cents: number; ref?: number }
  | { kind: 'change'; side: Side; price: number; size: number }
  | { kind: 'print'; price: number; size: number }
  | { kind: 'advance'; ms: number }
  | { kind: 'cancelAll' };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('order' as const),
      side: fc.constantFrom<Side>('BUY', 'SELL'),
      type: fc.constantFrom('FOK' as const, 'FAK' as const, 'GTC' as const),
      price: priceArb,
      cents: fc.integer({ min: 500, max: 20_000 }),
      ref: fc.option(priceArb, { nil: undefined }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('change' as const),
      side: fc.constantFrom<Side>('BUY', 'SELL'),
      price: priceArb,
      size: fc.integer({ min: 0, max: 30_000 }).map((c) => c * 10_000),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('print' as const),
      price: priceArb,
      size: fc.integer({ min: 1, max: 10_000 }).map((c) => c * 10_000),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 1, max: 200 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'cancelAll' as const }) },
);

const scenarioArb = fc.record({
  model: fc.constantFrom<FillModel>('target-price', 'top-of-book', 'book-walk'),
  latencyMs: fc.constantFrom(0, 0, 50),
  slippageTicks: fc.integer({ min: 0, max: 3 }),
  queuePosition: fc.boolean(),
  seed: fc.integer({ min: 1, max: 1_000_000 }),
  bids: levelsArb,
  asks: levelsArb,
  steps: fc.array(stepArb, { maxLength: 40 }),
});

type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

function run(s: Scenario) {
  const w = makeWorld(
    { fillModel: s.model, latencyMs: s.latencyMs, slippageTicks: s.slippageTicks, queuePosition: s.queuePosition },
    s.seed,
  );
  const book = w.books.get(TOKEN)!;
  // Copies: OrderBook.setLevel updates level objects in place, and a scenario must stay reusable.
  book.replace(
    s.bids.map((l) => ({ ...l })),
    s.asks.map((l) => ({ ...l })),
    w.clock.now(),
  );
  const bestAtSubmit = new Map<string, number | undefined>();
  for (const step of s.steps) {
    if (step.kind === 'order') {
      const isMarketBuy = step.side === 'BUY' && step.type !== 'GTC';
      const qty = (step.cents / 100).toFixed(2);
      const order = w.order({
        side: step.side,
        type: step.type,
        price: String(step.price / 1e6),
        ...(isMarketBuy ? { amount: qty } : { size: qty }),
        ref: step.ref !== undefined ? String(step.ref / 1e6) : undefined,
      });
      bestAtSubmit.set(order.clientOrderId, book.oppositeLevels(step.side)[0]?.priceMicros);
      w.venue.submit(order);
    } else if (step.kind === 'change') {
      w.feed({
        type: 'book_change',
        tokenId: TOKEN,
        changes: [{ side: step.side, priceMicros: step.price, sizeMicros: step.size }],
        tsEvent: w.clock.now(),
        tsRecv: w.clock.now(),
      });
    } else if (step.kind === 'print') {
      w.feed({
        type: 'trade_print',
        tokenId: TOKEN,
        side: 'SELL',
        priceMicros: step.price,
        sizeMicros: step.size,
        tsEvent: w.clock.now(),
        tsRecv: w.clock.now(),
      });
    } else if (step.kind === 'advance') {
      w.clock.advanceTo(w.clock.now() + step.ms);
    } else {
      w.venue.cancelAll('test');
    }
  }
  w.clock.advanceTo(w.clock.now() + 1_000);
  return { events: w.events, bestAtSubmit };
}

function cost(f: Fill): number {
  return Math.ceil((f.sizeMicros * f.priceMicros) / 1e6);
}

describe('SimVenue properties', () => {
  it('fills never exceed the order and never trade outside its limit; book-walk VWAP is between best and limit', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const { events, bestAtSubmit } = run(s);
        const byOrder = new Map<string, { order: Order; fills: Fill[] }>();
        for (const e of events) {
          if (e.type !== 'order_filled' && e.type !== 'order_partially_filled') continue;
          const entry = byOrder.get(e.order.clientOrderId) ?? { order: e.order, fills: [] };
          entry.fills.push(e.fill);
          byOrder.set(e.order.clientOrderId, entry);
        }
        for (const { order, fills } of byOrder.values()) {
          const budget = order.side === 'BUY' && order.type !== 'GTC' ? order.amountMicros : undefined;
          if (budget !== undefined) expect(fills.reduce((a, f) => a + cost(f), 0)).toBeLessThanOrEqual(budget);
          else expect(fills.reduce((a, f) => a + f.sizeMicros, 0)).toBeLessThanOrEqual(order.sizeMicros);
          for (const f of fills) {
            expect(f.sizeMicros).toBeGreaterThan(0);
            if (order.side === 'BUY') expect(f.priceMicros).toBeLessThanOrEqual(order.priceMicros);
            else expect(f.priceMicros).toBeGreaterThanOrEqual(order.priceMicros);
            if (f.liquidity === 'maker') expect(f.feeMicros).toBe(0);
          }
          const taker = fills.filter((f) => f.liquidity === 'taker');
          const best = bestAtSubmit.get(order.clientOrderId);
          if (s.model === 'book-walk' && s.latencyMs === 0 && taker.length > 0 && best !== undefined) {
            const shares = taker.reduce((a, f) => a + f.sizeMicros, 0);
            const vwap = taker.reduce((a, f) => a + f.sizeMicros * f.priceMicros, 0) / shares;
            const [lo, hi] = order.side === 'BUY' ? [best, order.priceMicros] : [order.priceMicros, best];
            expect(vwap).toBeGreaterThanOrEqual(lo - 1e-6);
            expect(vwap).toBeLessThanOrEqual(hi + 1e-6);
          }
        }
        // Every order ends at most once, and a FOK is filled whole or not at all.
        const ended = new Set<string>();
        for (const e of events) {
          if (e.type === 'order_filled' || e.type === 'order_cancelled' || e.type === 'order_expired' || e.type === 'order_rejected') {
            expect(ended.has(e.order.clientOrderId)).toBe(false);
            ended.add(e.order.clientOrderId);
          }
          // A FOK may be cancelled while in flight, but never after filling part of it.
          if (e.type === 'order_cancelled' && e.order.type === 'FOK') expect(byOrder.has(e.order.clientOrderId)).toBe(false);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('the same inputs and seed give identical events', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const a: OrderEvent[] = run(s).events;
        const b: OrderEvent[] = run(s).events;
        expect(JSON.stringify(b)).toBe(JSON.stringify(a));
      }),
      { numRuns: 150 },
    );
  });
});
