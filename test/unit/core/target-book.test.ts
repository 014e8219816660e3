import { describe, expect, it } from 'vitest';
import { TargetBook } from '../../../src/core/target-book.ts';
import type { TargetTrade } from '../../../src/core/types.ts';

const W = '0x' + 'ab'.repeat(20);
const trade = (wallet: string, side: 'BUY' | 'SELL', sizeMicros: number, tokenId = 'tok'): TargetTrade => ({
  wallet,
  txHash: '0x1',
  tokenId,
  conditionId: 'c',
  side,
  sizeMicros,
  priceMicros: 500_000,
  usdcMicros: sizeMicros / 2,
  outcome: 'Yes',
});

describe('TargetBook', () => {
  it('keeps one position per wallet however the trades spell its address', () => {
    const book = new TargetBook();
    book.apply(trade(W.toUpperCase().replace('0X', '0x'), 'BUY', 10_000_000));
    book.apply(trade(W, 'BUY', 5_000_000));
    book.apply(trade(W.toUpperCase().replace('0X', '0x'), 'SELL', 3_000_000));
    expect(book.position(W, 'tok')).toBe(12_000_000);
    expect(book.wallets()).toEqual([W]);
  });

  it('advances a seeded position, and a new seed replaces what trades built before it', () => {
    const book = new TargetBook();
    book.apply(trade(W, 'BUY', 10_000_000));
    book.seed(W, [{ tokenId: 'tok', sizeMicros: 40_000_000 }]);
    book.apply(trade(W, 'SELL', 15_000_000));
    expect(book.position(W, 'tok')).toBe(25_000_000);
    book.seed(W.toUpperCase().replace('0X', '0x'), [{ tokenId: 'other', sizeMicros: 1_000_000 }]);
    book.apply(trade(W, 'BUY', 2_000_000, 'other'));
    expect(book.position(W, 'tok')).toBe(0);
    expect(book.position(W, 'other')).toBe(3_000_000);
  });

  it('never takes a position below zero on a SELL it did not see bought', () => {
    const book = new TargetBook();
    book.apply(trade(W, 'SELL', 5_000_000));
    expect(book.position(W, 'tok')).toBe(0);
    expect(book.positionsOf(W).size).toBe(0);
  });
});
