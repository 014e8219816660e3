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

  it('never drops anything from a file without repeated blocks, and never drops the first copy', () => {
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
});
