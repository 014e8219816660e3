/**
 * LineHash copies ASCII lines into a byte buffer and hands them to SHA-256 in batches; its digest must equal
 * the SHA-256 of the same lines joined with '\n' after each — whatever the lines hold (non-ASCII text, lines
 * longer than a batch) and wherever the digest is read in between.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineHash } from '../../src/core/line-hash.ts';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const line = fc.oneof(
  fc.string({ maxLength: 120 }),
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  // Past a batch (16 KB) on its own.
  fc.integer({ min: 16_000, max: 40_000 }).map((n) => 'x'.repeat(n)),
);

describe('line hash (property)', () => {
  it('equals the SHA-256 of the lines, each followed by a newline, read at any point', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 400 }), fc.array(fc.nat(), { maxLength: 5 }), (lines, reads) => {
        const hash = new LineHash();
        const readAt = new Set(reads.map((r) => (lines.length === 0 ? 0 : r % lines.length)));
        let text = '';
        for (const [i, l] of lines.entries()) {
          hash.add(l);
          text += l + '\n';
          if (readAt.has(i)) expect(hash.digest()).toBe(sha256(text));
        }
        expect(hash.digest()).toBe(sha256(text));
      }),
      { numRuns: 200 },
    );
  });

  it('hashes thousands of fill lines across many batches as one text', () => {
    const hash = new LineHash();
    let text = '';
    for (let i = 0; i < 5_000; i++) {
      const l = `f-${i}|o-${String(i).padStart(6, '0')}|mirror:0xabc|7100000000000${i % 10}|BUY|455000|12500000|0|taker|${1_760_000_000_000 + i}`;
      hash.add(l);
      text += l + '\n';
    }
    expect(hash.digest()).toBe(sha256(text));
  });
});
