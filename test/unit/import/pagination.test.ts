import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findPaginationRepeats } from '../../../src/import/pagination.ts';

const rows = (n: number, prefix = 'r') => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

describe('findPaginationRepeats', () => {
  it('drops a repeated last page and keeps identical fills that do not form a block', () => {
    const pages = rows(1500);
    pages.splice(10, 0, 'r9'); // adjacent identical genuine fill
    pages.splice(20, 0, 'r17'); // identical fill three rows apart
    const file = [...pages, ...pages.slice(pages.length - 500)];
    const scan = findPaginationRepeats(file);
    expect(scan.dropped).toBe(500);
    expect(scan.blocks).toEqual([{ start: 1502, length: 500, copyOf: 1002 }]);
    expect(scan.keep.slice(0, 1502).every(Boolean)).toBe(true);
  });

  it('treats a page served many times in a row as one repeat (Nobel tape shape)', () => {
    const base = rows(1500);
    const file = [...base, ...Array.from({ length: 7 }, () => base.slice(1000)).flat()];
    expect(file).toHaveLength(5000);
    expect(findPaginationRepeats(file).dropped).toBe(3500);
  });

  it('keeps short repeated runs below the block size', () => {
    const file = [...rows(50), 'r3', 'r4', 'r5', ...rows(10, 's')];
    expect(findPaginationRepeats(file, 20).dropped).toBe(0);
    expect(findPaginationRepeats(file, 3).dropped).toBe(3);
  });

  it('never drops the first copy of any row, and counts exactly what it drops', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'b', 'c', 'd'), { maxLength: 200 }), (file) => {
        const scan = findPaginationRepeats(file, 20);
        // Every distinct row keeps at least its first occurrence.
        const kept = new Set(file.filter((_, i) => scan.keep[i]));
        expect(kept).toEqual(new Set(file));
        expect(scan.keep.filter((k) => !k).length).toBe(scan.dropped);
      }),
    );
  });

  /**
   * A file of unique rows with genuine identical fills sprinkled in: single rows or short runs (under
   * the block size) copied from anywhere earlier, each followed by a fresh row. No repeated block.
   */
  const genuineFile = fc
    .array(fc.record({ copy: fc.boolean(), from: fc.nat(), len: fc.integer({ min: 1, max: 19 }) }), { minLength: 1, maxLength: 120 })
    .map((steps) => {
      const rows: string[] = [];
      steps.forEach((step, i) => {
        if (step.copy && rows.length > 0) {
          const start = step.from % rows.length;
          rows.push(...rows.slice(start, start + step.len));
        }
        rows.push(`fresh-${i}`);
      });
      return rows;
    });

  it('drops nothing from a file without a repeated block, however many identical fills it holds', () => {
    fc.assert(
      fc.property(genuineFile, (file) => {
        const scan = findPaginationRepeats(file, 20);
        expect(scan.dropped).toBe(0);
        expect(scan.blocks).toEqual([]);
        expect(scan.keep.every(Boolean)).toBe(true);
      }),
    );
  });

  it('drops exactly a repeated page appended to such a file, and nothing else', () => {
    const withPage = genuineFile
      .filter((f) => f.length >= 20)
      .chain((file) => fc.tuple(fc.constant(file), fc.nat({ max: file.length - 20 }), fc.integer({ min: 20, max: 60 })));
    fc.assert(
      fc.property(withPage, ([file, start, wanted]) => {
        const page = file.slice(start, start + wanted);
        const scan = findPaginationRepeats([...file, ...page], 20);
        expect(scan.dropped).toBe(page.length);
        expect(scan.keep.slice(0, file.length).every(Boolean)).toBe(true);
        expect(scan.keep.slice(file.length).some(Boolean)).toBe(false);
      }),
    );
  });
});
