/**
 * A target that takes liquidity across price levels in one transaction: the chain reports its order once
 * with the match's totals, RTDS and the Data API once per maker fill. Whatever order the reports arrive
 * in, the engine's dedup passes on exactly the shares the target traded, once.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FillDedup } from '../../../src/core/dedup.ts';
import type { TargetTradeSeen } from '../../../src/core/events.ts';
import type { SourceName } from '../../../src/core/types.ts';

const TX = '0xabc';
const WALLET = '0x1111111111111111111111111111111111111111';

function seen(source: SourceName, sizeShares: number, price: number, wallet = WALLET, tx = TX): TargetTradeSeen {
  const sizeMicros = Math.round(sizeShares * 1e6);
  const priceMicros = Math.round(price * 1e6);
  return {
    type: 'target_trade',
    source,
    seq: 0,
    tsEvent: 1_000,
    tsRecv: 1_000,
    occurrence: 1, // every live source numbers identical fills itself
    trade: {
      wallet,
      txHash: tx,
      tokenId: '77',
      conditionId: '0xc',
      side: 'BUY',
      sizeMicros,
      priceMicros,
      usdcMicros: Math.round((sizeMicros * priceMicros) / 1e6),
      outcome: 'Yes',
    },
  };
}

/** 103 shares at 0.47 and 216 at 0.48: the chain's taker event totals 319 for 151.09 (avg 0.47363…). */
const rows = (source: SourceName) => [seen(source, 103, 0.47), seen(source, 216, 0.48)];
const chainTotal = (): TargetTradeSeen => {
  const e = seen('chain', 319, 0.4736);
  return { ...e, orderTotal: true, trade: { ...e.trade, usdcMicros: 103 * 470_000 + 216 * 480_000 } };
};

function passed(dedup: FillDedup, events: TargetTradeSeen[]): TargetTradeSeen[] {
  return events.map((e) => dedup.accept(e, e.occurrence)).filter((e): e is TargetTradeSeen => e !== undefined);
}

const total = (events: TargetTradeSeen[]) => events.reduce((s, e) => s + e.trade.sizeMicros, 0);

describe('one multi-level taker fill from three sources', () => {
  it('passes on the shares once, in any arrival order of the chain total and the per-level rows', () => {
    const reports = [chainTotal(), ...rows('rtds'), ...rows('data-api')];
    fc.assert(
      fc.property(fc.shuffledSubarray(reports, { minLength: reports.length, maxLength: reports.length }), (order) => {
        const out = passed(new FillDedup(), order);
        expect(total(out)).toBe(319_000_000);
        const usdc = out.reduce((s, e) => s + e.trade.usdcMicros, 0);
        expect(usdc).toBe(103 * 470_000 + 216 * 480_000);
      }),
    );
  });

  it('copies the rest of a match at its own price when a row arrived before the chain total', () => {
    const dedup = new FillDedup();
    const first = dedup.accept(rows('rtds')[0]!);
    expect(first?.trade.sizeMicros).toBe(103_000_000);
    const rest = dedup.accept(chainTotal());
    expect(rest?.trade).toMatchObject({ sizeMicros: 216_000_000, priceMicros: 480_000, usdcMicros: 216 * 480_000 });
    expect(rest?.source).toBe('chain');
    expect(passed(dedup, [...rows('rtds'), ...rows('data-api')])).toEqual([]);
    expect(dedup.duplicates).toBe(4);
  });

  it('after a restart, the decided keys cover the other sources rows of the same transaction', () => {
    const before = new FillDedup();
    const decided = passed(before, [chainTotal()]);
    const after = new FillDedup();
    after.restore(decided.map((e) => [e.key!, e.tsEvent]));
    expect(passed(after, [...rows('data-api'), ...rows('rtds')])).toEqual([]);
  });

  it('keeps two targets apart, and separate transactions apart', () => {
    const other = '0x2222222222222222222222222222222222222222';
    const out = passed(new FillDedup(), [chainTotal(), seen('rtds', 50, 0.47, other), seen('data-api', 103, 0.47, WALLET, '0xdef')]);
    expect(out.map((e) => e.trade.sizeMicros)).toEqual([319_000_000, 50_000_000, 103_000_000]);
  });

  it('does not count a source twice when it re-delivers a fill it already reported', () => {
    const dedup = new FillDedup();
    passed(dedup, rows('rtds'));
    // RTDS after a reconnect sends the first row again (same key): nothing new, and the chain total is covered.
    expect(passed(dedup, [rows('rtds')[0]!, chainTotal()])).toEqual([]);
  });
});
