/**
 * OrderBook.setLevel finds a level by binary search; this holds it to the plain definition (a sorted list of
 * price → size, 0 removing a level) on random snapshots and level writes, duplicates and removals included.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OrderBook } from '../../src/core/order-book.ts';
import type { BookLevel, Side } from '../../src/core/types.ts';

/** The definition: one level per price with a positive size, bids descending and asks ascending. */
function reference(levels: Map<number, number>, descending: boolean): BookLevel[] {
  return [...levels]
    .filter(([, size]) => size > 0)
    .map(([priceMicros, sizeMicros]) => ({ priceMicros, sizeMicros }))
    .sort((a, b) => (descending ? b.priceMicros - a.priceMicros : a.priceMicros - b.priceMicros));
}

const price = fc.integer({ min: 1, max: 40 }).map((t) => t * 10_000);
const size = fc.oneof(
  fc.constant(0),
  fc.integer({ min: 1, max: 5 }).map((s) => s * 1_000_000),
);
const write = fc.record({ side: fc.constantFrom<Side>('BUY', 'SELL'), priceMicros: price, sizeMicros: size });
const level = fc.record({ priceMicros: price, sizeMicros: size });

describe('order book level writes', () => {
  it('keep the book equal to its definition after every write', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(level, { selector: (l) => l.priceMicros, maxLength: 12 }),
        fc.uniqueArray(level, { selector: (l) => l.priceMicros, maxLength: 12 }),
        fc.array(write, { maxLength: 200 }),
        (bids, asks, writes) => {
          const book = new OrderBook('tok');
          book.replace(bids, asks, 1);
          const want = {
            BUY: new Map(bids.map((l) => [l.priceMicros, l.sizeMicros])),
            SELL: new Map(asks.map((l) => [l.priceMicros, l.sizeMicros])),
          };
          let version = book.version;
          for (const [i, w] of writes.entries()) {
            book.setLevel(w.side, w.priceMicros, w.sizeMicros, 2 + i);
            want[w.side].set(w.priceMicros, w.sizeMicros);
            expect(book.bids).toEqual(reference(want.BUY, true));
            expect(book.asks).toEqual(reference(want.SELL, false));
            expect(book.lastUpdateMs).toBe(2 + i);
            expect(book.version).toBeGreaterThan(version);
            version = book.version;
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
