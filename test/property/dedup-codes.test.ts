/**
 * Fills that carry a recording's key code (`keyCode`, equal exactly when keys are equal) are kept by code in
 * a flat array instead of by key string; this holds that path to the string path (itself held to the plain
 * definition by dedup-reference.test.ts) on random streams of recorded fills with repeated keys, late fills
 * and pruning, and checks that codes and strings are never mixed in one dedup.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FillDedup } from '../../src/core/dedup.ts';
import type { TargetTradeSeen } from '../../src/core/events.ts';
import { dedupTrade } from '../helpers/dedup-trade.ts';

const recorded = fc.record({
  tx: fc.constantFrom('0xa', '0xb', '0xc'),
  n: fc.integer({ min: 1, max: 3 }),
  dt: fc.integer({ min: -1500, max: 900 }),
});

/** The fill of a recorded row: its key, and the code a stream gives that key (the seq of its first row). */
function row(tx: string, n: number, ts: number, codes: Map<string, number>, seq: number): TargetTradeSeen {
  const key = `${tx}:0xa:tok:BUY:1:500000#${n}`;
  if (!codes.has(key)) codes.set(key, seq);
  return { ...dedupTrade(tx, 1, 'import:x', ts, key), keyCode: codes.get(key)! };
}

describe('fill dedup by recorded key code', () => {
  it('accepts, drops and forgets exactly as keeping the key strings does', () => {
    fc.assert(
      fc.property(fc.array(recorded, { maxLength: 120 }), fc.constantFrom(1000, 2000), (steps, windowMs) => {
        const byCode = new FillDedup({ windowMs });
        const byString = new FillDedup({ windowMs });
        const codes = new Map<string, number>();
        let t = 10_000;
        for (const [seq, s] of steps.entries()) {
          t += Math.max(0, s.dt);
          const e = row(s.tx, s.n, t + Math.min(0, s.dt), codes, seq + 1);
          const { keyCode: _, ...plain } = e;
          const got = byCode.accept(e);
          expect(got?.key).toBe(byString.accept(plain)?.key);
          // A new coded fill is passed on as it came (no copy).
          if (got) expect(got).toBe(e);
          expect([byCode.duplicates, byCode.stale]).toEqual([byString.duplicates, byString.stale]);
        }
        // Everything went by code: nothing was kept as a string.
        expect(byCode.size()).toBe(0);
      }),
      { numRuns: 500 },
    );
  });

  it('forgets a coded key after the window, as a string key is forgotten', () => {
    const dedup = new FillDedup({ windowMs: 1000 });
    const codes = new Map<string, number>();
    expect(dedup.accept(row('0xa', 1, 10_000, codes, 1))).toBeDefined();
    expect(dedup.accept(row('0xa', 1, 10_100, codes, 2))).toBeUndefined();
    // Time moves past the window (a prune runs): the old key is forgotten, so its fill is new again.
    expect(dedup.accept(row('0xb', 1, 12_000, codes, 3))).toBeDefined();
    expect(dedup.accept(row('0xa', 1, 11_500, codes, 4))).toBeDefined();
    expect(dedup.duplicates).toBe(1);
  });

  it('keeps string keys when some were kept as strings first, and refuses strings after codes', () => {
    const restored = new FillDedup({ windowMs: 1000 });
    restored.restore([['0xa:0xa:tok:BUY:1:500000#1', 10_000]]);
    // A restored string key still matches a coded fill of the same key.
    expect(restored.accept(row('0xa', 1, 10_050, new Map(), 7))).toBeUndefined();

    const coded = new FillDedup({ windowMs: 1000 });
    expect(coded.accept(row('0xa', 1, 10_000, new Map(), 1))).toBeDefined();
    expect(() => coded.accept(dedupTrade('0xa', 1, 'rtds', 10_010))).toThrow(
      /without a recorded key after fills kept by recorded key code/,
    );
    expect(() => coded.accept(dedupTrade('0xa', 1, 'rtds', 10_010, '0xa:0xa:tok:BUY:1:500000#1'))).toThrow(/key has no code/);
    expect(() => coded.restore([['0xa:0xa:tok:BUY:1:500000#1', 10_000]])).toThrow(/restoring keys/);
  });
});
