/**
 * A target that takes liquidity across price levels in one transaction: the chain reports its order once
 * with the match's totals, RTDS and the Data API once per maker fill. Whatever order the reports arrive
 * in, the engine's dedup passes on exactly the shares the target traded, once.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FillDedup, namesAggregate } from '../../../src/core/dedup.ts';
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
    expect(decided.map(namesAggregate)).toEqual([true]);
    const after = new FillDedup();
    after.restore(
      decided.map((e) => [e.key!, e.tsEvent]),
      new Set(decided.map((e) => e.key!)),
    );
    expect(passed(after, [...rows('data-api'), ...rows('rtds')])).toEqual([]);
  });

  it('after a restart, a row and the rest of the chain total decided beside it cover the whole match', () => {
    const before = new FillDedup();
    const decided = passed(before, [rows('rtds')[0]!, chainTotal()]);
    expect(decided.map(namesAggregate)).toEqual([false, true]);
    const after = new FillDedup();
    after.restore(
      decided.map((e) => [e.key!, e.tsEvent]),
      new Set(decided.filter(namesAggregate).map((e) => e.key!)),
    );
    expect(passed(after, [...rows('data-api'), chainTotal(), ...rows('rtds')])).toEqual([]);
  });

  it('after a restart, a fill read again (never sent before the crash) passes on whole beside the fills decided with it', () => {
    // A BUY taking 89.736843 at 0.19 and 9.399995 at 0.20: both decided, the first copy killed before it was
    // signed, so only the second key is restored and the Data API reads the first again.
    const level19 = seen('data-api', 89.736843, 0.19);
    const level20 = seen('data-api', 9.399995, 0.2);
    const before = passed(new FillDedup(), [level19, level20]);
    const after = new FillDedup();
    after.restore([[before[1]!.key!, 1_000]]);
    const again = passed(after, [level19, level20]);
    expect(again.map((e) => e.key)).toEqual([before[0]!.key]);
    expect(again[0]!.trade).toBe(level19.trade);
  });

  it('after a restart, fills of one size read again are not taken for the same-sized fill decided beside them', () => {
    // A SELL of 300 shares at each of 0.769, 0.768 and 0.767; only the last was decided before the crash.
    const levels = [0.769, 0.768, 0.767].map((p) => ({
      ...seen('data-api', 300, p),
      trade: { ...seen('data-api', 300, p).trade, side: 'SELL' as const },
    }));
    const before = passed(new FillDedup(), levels);
    const after = new FillDedup();
    after.restore([[before[2]!.key!, 1_000]]);
    expect(passed(after, levels).map((e) => e.key)).toEqual([before[0]!.key, before[1]!.key]);
  });

  it('after a restart, a fill read again passes whole under its key even when the rest of its match was copied as a part', () => {
    // 216 at 0.48 arrived first (its copy approved, killed before it was signed); the chain total then passed on the other 103.
    const before = new FillDedup();
    const [level48, rest] = passed(before, [rows('rtds')[1]!, chainTotal()]);
    expect(rest!.trade).toMatchObject({ sizeMicros: 103_000_000, priceMicros: 470_000 });
    const after = new FillDedup();
    after.restore([[rest!.key!, 1_000]], new Set([rest!.key!]));
    after.reread([level48!.key!]);
    const again = passed(after, [rows('data-api')[1]!, ...rows('rtds'), chainTotal(), rows('data-api')[0]!]);
    expect(again.map((e) => [e.key, e.partial])).toEqual([[level48!.key, undefined]]);
  });

  it('keeps two targets apart, and separate transactions apart', () => {
    const other = '0x2222222222222222222222222222222222222222';
    const out = passed(new FillDedup(), [chainTotal(), seen('rtds', 50, 0.47, other), seen('data-api', 103, 0.47, WALLET, '0xdef')]);
    expect(out.map((e) => e.trade.sizeMicros)).toEqual([319_000_000, 50_000_000, 103_000_000]);
  });

  it('keeps two targets with identical fills in one transaction apart, also after a restart', () => {
    const other = '0x2222222222222222222222222222222222222222';
    // Two followed makers each sell 50 at 0.47 to one taker: the same transaction, token, size and price.
    const mine = seen('data-api', 50, 0.47);
    const theirs = seen('data-api', 50, 0.47, other);
    const before = passed(new FillDedup(), [mine, theirs, seen('rtds', 50, 0.47, other), seen('chain', 50, 0.47)]);
    expect(before.map((e) => e.key)).toEqual([`${TX}:${WALLET}:77:BUY:50000000:470000#1`, `${TX}:${other}:77:BUY:50000000:470000#1`]);
    // Only the first was decided before a crash: the other wallet's fill is still new when read again.
    const after = new FillDedup();
    after.restore([[before[0]!.key!, 1_000]]);
    expect(passed(after, [theirs, mine]).map((e) => e.trade.wallet)).toEqual([other]);
  });

  it('reads keys written before keys named the wallet: a fill they name is not copied again', () => {
    const legacy = `${TX}:77:BUY:103000000:470000#1`;
    const after = new FillDedup();
    after.restore([[legacy, 1_000]]);
    // The same fill under today's key is known; the other row of the match is new.
    expect(passed(after, rows('data-api')).map((e) => e.trade.sizeMicros)).toEqual([216_000_000]);
    // A legacy chain total (an aggregate) still sets the transaction's copied floor, for every wallet.
    const total = new FillDedup();
    total.restore([[`${TX}:77:BUY:319000000:473600#1`, 1_000]], new Set([`${TX}:77:BUY:319000000:473600#1`]));
    expect(passed(total, [...rows('rtds'), chainTotal()])).toEqual([]);
    // An undecided legacy key is not restored: the fill it names, read again, is decided as new.
    const reread = new FillDedup();
    reread.reread([legacy]);
    expect(passed(reread, [rows('data-api')[0]!]).map((e) => e.trade.sizeMicros)).toEqual([103_000_000]);
  });

  it('does not count a source twice when it re-delivers a fill it already reported', () => {
    const dedup = new FillDedup();
    passed(dedup, rows('rtds'));
    // RTDS after a reconnect sends the first row again (same key): nothing new, and the chain total is covered.
    expect(passed(dedup, [rows('rtds')[0]!, chainTotal()])).toEqual([]);
  });
});
