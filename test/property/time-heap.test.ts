import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TimeHeap } from '../../src/core/time-heap.ts';

describe('time heap', () => {
  it('drains exactly the pairs older than each cutoff, oldest first, whatever the push order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.record({ push: fc.integer({ min: 0, max: 50 }) }), fc.record({ cutoff: fc.integer({ min: 0, max: 60 }) })), {
          maxLength: 120,
        }),
        (steps) => {
          const heap = new TimeHeap();
          let held: [string, number][] = [];
          steps.forEach((step, i) => {
            if ('push' in step) {
              heap.push(`k${i}`, step.push);
              held.push([`k${i}`, step.push]);
              return;
            }
            const drained: [string, number][] = [];
            heap.drainOlderThan(step.cutoff, (key, time) => drained.push([key, time]));
            const expected = held.filter(([, t]) => t < step.cutoff);
            held = held.filter(([, t]) => t >= step.cutoff);
            expect(drained.map(([, t]) => t)).toEqual(expected.map(([, t]) => t).sort((a, b) => a - b));
            expect(new Set(drained.map(([k]) => k))).toEqual(new Set(expected.map(([k]) => k)));
            expect(heap.size).toBe(held.length);
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});
