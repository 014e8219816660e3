import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FillDedup, withWallet } from '../../src/core/dedup.ts';
import { dedupTrade } from '../helpers/dedup-trade.ts';

describe('fill dedup', () => {
  it('keeps genuine identical fills of one transaction and collapses the second source', () => {
    const dedup = new FillDedup();
    // The poller sees a page with two byte-identical fills: occurrence 1 and 2.
    expect(dedup.accept(dedupTrade('0x1', 5, 'data-api', 1), 1)?.key).toBe('0x1:0xa:tok:BUY:5:500000#1');
    expect(dedup.accept(dedupTrade('0x1', 5, 'data-api', 1), 2)?.key).toBe('0x1:0xa:tok:BUY:5:500000#2');
    // RTDS delivers the same two fills later: counted per source, both are duplicates.
    expect(dedup.accept(dedupTrade('0x1', 5, 'rtds', 1))).toBeUndefined();
    expect(dedup.accept(dedupTrade('0x1', 5, 'rtds', 1))).toBeUndefined();
    // A re-poll of the overlapping window numbers the page again: still duplicates.
    expect(dedup.accept(dedupTrade('0x1', 5, 'data-api', 1), 1)).toBeUndefined();
    expect(dedup.duplicates).toBe(3);
  });

  it("puts a key written before keys named the wallet into today's shape, and leaves others as they are", () => {
    const w = '0xA1';
    expect(withWallet('0x1:tok:BUY:5:500000#2', w)).toBe('0x1:0xa1:tok:BUY:5:500000#2');
    expect(withWallet('no-tx:1700000000000:tok:SELL:5:500000#1', w)).toBe('no-tx:1700000000000:0xa1:tok:SELL:5:500000#1');
    for (const today of ['0x1:0xa1:tok:BUY:5:500000#2', 'no-tx:1700000000000:0xa1:tok:SELL:5:500000#1', 'whole-key', 'a:b#1'])
      expect(withWallet(today, w)).toBe(today);
  });

  it('drops events older than its window instead of risking a second copy', () => {
    const dedup = new FillDedup({ windowMs: 1000 });
    dedup.accept(dedupTrade('0x1', 5, 'rtds', 10_000));
    expect(dedup.accept(dedupTrade('0x2', 5, 'rtds', 8_000))).toBeUndefined();
    expect(dedup.stale).toBe(1);
  });

  it('feeding events twice in any order (within the window) yields the same set of fills', () => {
    const rows = fc.array(
      fc.record({ tx: fc.constantFrom('0xa', '0xb', '0xc'), size: fc.constantFrom(1, 2), ts: fc.integer({ min: 0, max: 1000 }) }),
      { maxLength: 30 },
    );
    // Occurrence numbers come from the poller's page, so a delivery is a random permutation of the
    // numbered rows, each delivered twice.
    const delivery = rows.chain((list) => {
      const counts = new Map<string, number>();
      const numbered = list.map((r) => {
        const k = `${r.tx}:${r.size}`;
        const n = (counts.get(k) ?? 0) + 1;
        counts.set(k, n);
        return { ...r, n };
      });
      const doubled = [...numbered, ...numbered];
      return fc.tuple(fc.constant(numbered), fc.shuffledSubarray(doubled, { minLength: doubled.length, maxLength: doubled.length }));
    });
    fc.assert(
      fc.property(delivery, ([numbered, shuffled]) => {
        expect(shuffled).toHaveLength(numbered.length * 2);
        const once = new FillDedup();
        const expected = new Set(numbered.map((r) => once.accept(dedupTrade(r.tx, r.size, 'data-api', r.ts), r.n)?.key).filter(Boolean));
        const twice = new FillDedup();
        const got = new Set(shuffled.map((r) => twice.accept(dedupTrade(r.tx, r.size, 'data-api', r.ts), r.n)?.key).filter(Boolean));
        expect(got).toEqual(expected);
        expect(got.size).toBe(numbered.length);
        expect(twice.duplicates).toBe(numbered.length);
      }),
      { numRuns: 500 },
    );
  });
});
