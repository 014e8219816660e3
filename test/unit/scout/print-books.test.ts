/** The print-book model's ladders and the edge half-life: exact values. */
import { describe, expect, it } from 'vitest';
import { ladderAfterPrint, withPrintBooks } from '../../../src/modes/scout/print-books.ts';
import { halfLife } from '../../../src/modes/scout/rank.ts';
import type { EngineEvent } from '../../../src/core/events.ts';

describe('print-book ladders', () => {
  it('a taker BUY at p leaves asks from p and bids from p − 1 tick, each level worth levelUsdc', () => {
    const [bids, asks] = ladderAfterPrint('BUY', 400_000, 10_000, { levelUsdc: 100, levels: 3 });
    expect(asks).toEqual([
      { priceMicros: 400_000, sizeMicros: 250_000_000 },
      { priceMicros: 410_000, sizeMicros: 243_902_439 },
      { priceMicros: 420_000, sizeMicros: 238_095_238 },
    ]);
    expect(bids!.map((l) => l.priceMicros)).toEqual([390_000, 380_000, 370_000]);
  });

  it('a taker SELL at p leaves bids from p and asks from p + 1 tick; levels stop inside [tick, 1 − tick]', () => {
    const [bids, asks] = ladderAfterPrint('SELL', 980_000, 10_000, { levelUsdc: 100, levels: 5 });
    expect(bids!.map((l) => l.priceMicros)).toEqual([980_000, 970_000, 960_000, 950_000, 940_000]);
    expect(asks!.map((l) => l.priceMicros)).toEqual([990_000]);
  });

  it('puts a snapshot before every print, at its time, with the market’s tick', () => {
    const events = [
      {
        type: 'market',
        tsEvent: 0,
        tsRecv: 0,
        market: {
          conditionId: 'c',
          tokens: [{ tokenId: 't', outcome: 'Yes' }],
          negRisk: false,
          tickMicros: 1_000,
          minOrderSizeMicros: 5_000_000,
        },
      },
      { type: 'trade_print', tsEvent: 5, tsRecv: 5, tokenId: 't', side: 'BUY', priceMicros: 500_000, sizeMicros: 1_000_000 },
    ] as EngineEvent[];
    const out = withPrintBooks(events, { levelUsdc: 10, levels: 2 });
    expect(out.map((e) => e.type)).toEqual(['market', 'book_snapshot', 'trade_print']);
    const book = out[1] as Extract<EngineEvent, { type: 'book_snapshot' }>;
    expect(book.tsRecv).toBe(5);
    expect(book.asks.map((l) => l.priceMicros)).toEqual([500_000, 501_000]);
    expect(book.bids.map((l) => l.priceMicros)).toEqual([499_000, 498_000]);
  });
});

describe('edge half-life', () => {
  it('interpolates the delay at which PnL falls to half of the smallest delay’s', () => {
    expect(
      halfLife([
        { delayMs: 0, pnl: 60 },
        { delayMs: 2000, pnl: 60 },
        { delayMs: 10_000, pnl: 0 },
      ]),
    ).toEqual({ seconds: 6, text: '6s' });
  });
  it('says when half is still there at the largest delay, and when there was no edge', () => {
    expect(
      halfLife([
        { delayMs: 0, pnl: 10 },
        { delayMs: 30_000, pnl: 6 },
      ]).text,
    ).toBe('>30s');
    expect(
      halfLife([
        { delayMs: 0, pnl: -1 },
        { delayMs: 30_000, pnl: 6 },
      ]),
    ).toEqual({ seconds: null, text: 'none' });
  });
});
