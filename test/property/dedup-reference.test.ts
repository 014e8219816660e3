/**
 * FillDedup keeps its keys split by content key for speed; this holds it to the plain definition —
 * a map of whole keys with their event time, per-source counters, the same transaction coverage, the
 * same pruning — on random
 * streams of keyed, counted and numbered fills from several sources, with restores and pruning.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contentKey, FillDedup } from '../../src/core/dedup.ts';
import type { TargetTradeSeen } from '../../src/core/events.ts';
import { TxCoverage } from '../../src/core/tx-coverage.ts';
import type { SourceName } from '../../src/core/types.ts';
import { dedupTrade } from '../helpers/dedup-trade.ts';

/** The definition, as FillDedup was first written (plain maps), with the transaction coverage. */
class ReferenceDedup {
  private seen = new Map<string, number>();
  private counters = new Map<string, Map<string, number>>();
  private readonly coverage = new TxCoverage();
  private newestMs = 0;
  private lastPruneMs = 0;
  duplicates = 0;
  covered = 0;
  stale = 0;

  constructor(private readonly windowMs: number) {}

  accept(event: TargetTradeSeen, occurrence?: number): string | undefined {
    if (event.tsEvent < this.newestMs - this.windowMs) {
      this.stale++;
      return undefined;
    }
    if (event.key !== undefined) return this.remember(event, event.key);
    const ck = contentKey(event.trade);
    const key = `${ck}#${occurrence ?? this.count(event.source, ck)}`;
    const seen = this.coverage.note(event.source, key, event.trade, event.tsEvent, this.seen.has(key), event.orderTotal === true);
    if (seen.kind === 'covered') {
      this.duplicates++;
      if (!this.seen.has(key)) this.covered++;
      return undefined;
    }
    if (seen.trade === event.trade) return this.remember(event, key);
    const partCk = contentKey(seen.trade);
    let n = 1;
    while (this.seen.has(`${partCk}#${n}`)) n++;
    return this.remember(event, `${partCk}#${n}`);
  }

  private remember(event: TargetTradeSeen, key: string): string | undefined {
    if (this.seen.has(key)) {
      this.duplicates++;
      return undefined;
    }
    this.seen.set(key, event.tsEvent);
    if (event.tsEvent > this.newestMs) {
      this.newestMs = event.tsEvent;
      if (this.newestMs - this.lastPruneMs > this.windowMs / 4) this.prune();
    }
    return key;
  }

  restore(keys: [string, number][]): void {
    for (const [key, ts] of keys) {
      this.seen.set(key, ts);
      this.coverage.restore(key);
      if (ts > this.newestMs) this.newestMs = ts;
    }
  }

  size(): number {
    return this.seen.size;
  }

  has(key: string): boolean {
    return this.seen.has(key);
  }

  private count(source: string, ck: string): number {
    let perSource = this.counters.get(source);
    if (!perSource) this.counters.set(source, (perSource = new Map()));
    const n = (perSource.get(ck) ?? 0) + 1;
    perSource.set(ck, n);
    return n;
  }

  private prune(): void {
    this.lastPruneMs = this.newestMs;
    const cutoff = this.newestMs - this.windowMs;
    for (const [key, ts] of this.seen) if (ts < cutoff) this.seen.delete(key);
    this.coverage.prune(cutoff);
    for (const perSource of this.counters.values()) for (const ck of perSource.keys()) if (!this.seen.has(`${ck}#1`)) perSource.delete(ck);
  }
}

const step = fc.oneof(
  fc.record({
    kind: fc.constant('fill' as const),
    tx: fc.constantFrom('0xA', '0xa', '0xb'),
    size: fc.constantFrom(1, 2),
    source: fc.constantFrom<SourceName>('rtds', 'data-api', 'import:x'),
    dt: fc.integer({ min: -1500, max: 900 }),
    how: fc.constantFrom('count', 'numbered', 'keyed', 'odd-key'),
    n: fc.integer({ min: 0, max: 3 }),
  }),
  fc.record({
    kind: fc.constant('restore' as const),
    tx: fc.constantFrom('0xa', '0xd'),
    n: fc.integer({ min: 1, max: 3 }),
    dt: fc.integer({ min: -900, max: 300 }),
  }),
);

/** Streams of few content keys and sources, counted: occurrence numbering across pruning. */
const counted = fc.record({
  tx: fc.constantFrom('0xa', '0xb'),
  size: fc.constant(1),
  source: fc.constantFrom<SourceName>('rtds', 'data-api'),
  dt: fc.integer({ min: -300, max: 700 }),
  how: fc.constantFrom('count', 'count', 'count', 'keyed'),
  n: fc.integer({ min: 1, max: 2 }),
  kind: fc.constant('fill' as const),
});

describe('fill dedup against its definition', () => {
  it('accepts, drops, counts and forgets exactly as the plain map of whole keys does', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.array(step, { maxLength: 80 }), fc.array(counted, { maxLength: 60 })),
        fc.constantFrom(1000, 2000),
        (steps, windowMs) => {
          const fast = new FillDedup({ windowMs });
          const ref = new ReferenceDedup(windowMs);
          let t = 10_000;
          for (const s of steps) {
            t += Math.max(0, s.dt);
            const ts = t + Math.min(0, s.dt);
            if (s.kind === 'restore') {
              const keys: [string, number][] = [[`${s.tx}:0xa:tok:BUY:1:500000#${s.n}`, ts]];
              fast.restore(keys);
              ref.restore(keys);
            } else {
              const ck = `${s.tx.toLowerCase()}:0xa:tok:BUY:${s.size}:500000`;
              const key = s.how === 'keyed' ? `${ck}#${s.n}` : s.how === 'odd-key' ? `${ck}#0${s.n}` : undefined;
              const e = dedupTrade(s.tx, s.size, s.source, ts, key);
              const occurrence = s.how === 'numbered' ? s.n : undefined;
              expect(fast.accept(e, occurrence)?.key).toBe(ref.accept(e, occurrence));
            }
            expect(fast.size()).toBe(ref.size());
            expect([fast.duplicates, fast.covered, fast.stale]).toEqual([ref.duplicates, ref.covered, ref.stale]);
            for (const probe of [`0xa:0xa:tok:BUY:1:500000#1`, `0xa:0xa:tok:BUY:2:500000#2`, `0xb:0xa:tok:BUY:1:500000#01`])
              expect(fast.has(probe)).toBe(ref.has(probe));
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
