/**
 * The portfolio keeps equity as a running total, token by token (its marks in flat slots by token
 * number): after any sequence of prices, book changes, fills and resolutions over more tokens than its
 * first allocation holds, equity, the account's sizes and marks equal what the ledger gives when every
 * position is marked from scratch — with the portfolio numbering tokens itself and on a shared feed's numbers.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BookRegistry } from '../../src/core/order-book.ts';
import type { Fill } from '../../src/core/types.ts';
import { Portfolio } from '../../src/engine/portfolio.ts';
import { SharedFeed } from '../../src/engine/shared-feed.ts';

const TOKENS = 150;
const tokenOf = (i: number) => `tok-${i}`;
const conditionOf = (i: number) => `cond-${Math.floor(i / 2)}`;
/** Mostly a few tokens (so fills, prices and resolutions meet on the same one), sometimes any of them (so the slots grow). */
const tokenArb = fc.oneof(fc.nat(5), fc.nat(TOKENS - 1));

const stepArb = fc.oneof(
  fc.record({ kind: fc.constant('price' as const), token: tokenArb, cents: fc.integer({ min: 1, max: 99 }) }),
  fc.record({ kind: fc.constant('book' as const), token: tokenArb, cents: fc.integer({ min: 2, max: 98 }) }),
  fc.record({
    kind: fc.constant('fill' as const),
    token: tokenArb,
    cents: fc.integer({ min: 1, max: 99 }),
    shares: fc.integer({ min: 1, max: 500 }),
    sell: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('resolve' as const), token: tokenArb, payout: fc.constantFrom(0, 500_000, 1_000_000) }),
);

type Step = typeof stepArb extends fc.Arbitrary<infer T> ? T : never;

function run(steps: Step[], shared: boolean): void {
  const books = new BookRegistry();
  const feed = shared ? new SharedFeed() : undefined;
  const portfolio = new Portfolio(1_000_000_000_000, books, feed);
  const resolved = new Set<number>();
  // The marks as the rule states them, kept here apart from the portfolio: payout, else mid, else the last price seen.
  const last = new Map<string, number>();
  const payouts = new Map<string, number>();
  const expectedMark = (tokenId: string): number | undefined => {
    const book = books.get(tokenId);
    return payouts.get(tokenId) ?? (book && book.bids.length > 0 && book.asks.length > 0 ? book.midMicros() : last.get(tokenId));
  };
  let n = 0;
  for (const step of steps) {
    const tokenId = tokenOf(step.token);
    if (resolved.has(step.token)) continue;
    if (step.kind === 'price') {
      portfolio.notePrice(tokenId, step.cents * 10_000);
      last.set(tokenId, step.cents * 10_000);
    } else if (step.kind === 'book') {
      const book = books.getOrCreate(tokenId);
      book.setLevel('BUY', (step.cents - 1) * 10_000, 1_000_000, n);
      book.setLevel('SELL', (step.cents + 1) * 10_000, 1_000_000, n);
      portfolio.refresh(tokenId);
    } else if (step.kind === 'fill') {
      const held = portfolio.total.size(tokenId);
      const sizeMicros = step.sell ? Math.min(held, step.shares * 1_000_000) : step.shares * 1_000_000;
      if (sizeMicros === 0) continue;
      const fill: Fill = {
        fillId: `f-${++n}`,
        clientOrderId: `o-${n}`,
        strategyId: 's',
        tokenId,
        conditionId: conditionOf(step.token),
        side: step.sell ? 'SELL' : 'BUY',
        priceMicros: step.cents * 10_000,
        sizeMicros,
        feeMicros: 0,
        liquidity: 'taker',
        tsMs: n,
      };
      portfolio.applyFill(fill);
      last.set(tokenId, fill.priceMicros);
    } else {
      resolved.add(step.token);
      portfolio.settle({ [tokenId]: step.payout });
      payouts.set(tokenId, step.payout);
    }
    expect(portfolio.mark(tokenId)).toBe(expectedMark(tokenId));
    expect(portfolio.equityMicros()).toBe(portfolio.total.equity(expectedMark));
  }
  for (let i = 0; i < TOKENS; i++) {
    const tokenId = tokenOf(i);
    expect(portfolio.sizeOf(tokenId)).toBe(portfolio.total.size(tokenId));
    expect(portfolio.mark(tokenId)).toBe(expectedMark(tokenId));
  }
  const point = portfolio.equityPoint(n);
  expect(point.equityMicros).toBe(portfolio.total.equity(expectedMark));
}

describe('portfolio marks', () => {
  it('equity kept token by token equals every position marked from scratch, with its own numbering and a shared one', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 1, maxLength: 400 }), fc.boolean(), (steps, shared) => run(steps, shared)),
      { numRuns: 60 },
    );
  });

  it('marks a token it has never numbered as unknown, and sizes it 0', () => {
    const portfolio = new Portfolio(1_000_000, new BookRegistry());
    expect(portfolio.mark('never-seen')).toBeUndefined();
    expect(portfolio.sizeOf('never-seen')).toBe(0);
  });
});
