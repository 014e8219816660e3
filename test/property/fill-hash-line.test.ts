/**
 * A fill's hash line is the fields joined by `|` in a fixed order, missing ones as empty text: the
 * fills hash of every run and every stored run depends on it staying exactly that.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fillHashLine } from '../../src/core/fill-hash.ts';
import type { Fill } from '../../src/core/types.ts';

const FIELDS = [
  'fillId',
  'clientOrderId',
  'strategyId',
  'tokenId',
  'side',
  'priceMicros',
  'sizeMicros',
  'feeMicros',
  'liquidity',
  'tsMs',
] as const;

describe('fill hash line (property)', () => {
  it('equals the fields joined by | in their fixed order, a missing field as empty text', () => {
    const text = fc.option(fc.string(), { nil: undefined });
    const num = fc.option(fc.oneof(fc.integer(), fc.double({ noNaN: false })), { nil: undefined });
    fc.assert(
      fc.property(
        fc.record({
          fillId: text,
          clientOrderId: text,
          strategyId: text,
          tokenId: text,
          conditionId: text,
          side: fc.constantFrom('BUY', 'SELL', undefined),
          priceMicros: num,
          sizeMicros: num,
          feeMicros: num,
          liquidity: fc.constantFrom('maker', 'taker', undefined),
          tsMs: num,
        }),
        fc.boolean(),
        (raw, asNull) => {
          // Rows read back from a store may carry null where a fill has nothing.
          const fill = Object.fromEntries(
            Object.entries(raw).map(([k, v]) => [k, v === undefined && asNull ? null : v]),
          ) as unknown as Fill;
          expect(fillHashLine(fill)).toBe(FIELDS.map((k) => fill[k]).join('|'));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('is the text the stored hashes were made of', () => {
    const fill: Fill = {
      fillId: 'f-1',
      clientOrderId: 'c-1',
      strategyId: 'mirror:0xabc',
      tokenId: '71000000000001',
      conditionId: '0x01',
      side: 'SELL',
      priceMicros: 455_000,
      sizeMicros: 12_500_000,
      feeMicros: 0,
      liquidity: 'taker',
      tsMs: 1_760_000_001_050,
    };
    expect(fillHashLine(fill)).toBe('f-1|c-1|mirror:0xabc|71000000000001|SELL|455000|12500000|0|taker|1760000001050');
  });
});
