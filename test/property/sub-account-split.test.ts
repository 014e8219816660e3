/**
 * Sub-accounts on one wallet always add up to the wallet: over any sequence of target trades (BUYs
 * and SELLs at any price, taker fees on) and a resolution, the sub-accounts' cash, fees and shares
 * (plus the pool's own strategies) equal the wallet ledger's to the micro (the pool keeps the payout
 * rounding of a 50/50 resolution, a micro or two, and nothing else), and their PnL equals the wallet's. Three members copy the same wallet at different sizes, so every trade is split three ways.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EngineEvent, TargetTradeSeen } from '../../src/core/events.ts';
import { splitBySubAccount } from '../../src/engine/sub-accounts.ts';
import { builtinStrategies } from '../../src/strategy/builtin/index.ts';
import { parseStrategyParams } from '../../src/strategy/loader.ts';
import { buildHarness, YES_NO_MARKET } from '../helpers/engine-harness.ts';

const WALLET = '0x' + 'b'.repeat(40);
/** The harness's Yes/No market with taker fees on, so every split carries fees too. */
const market: EngineEvent =
  YES_NO_MARKET.type === 'market'
    ? { ...YES_NO_MARKET, market: { ...YES_NO_MARKET.market, feeRate: 0.02, feeExponent: 1 } }
    : YES_NO_MARKET;

const tradeArb = fc.record({
  token: fc.constantFrom('yes', 'no'),
  sell: fc.boolean(),
  shares: fc.integer({ min: 5, max: 400 }),
  cents: fc.integer({ min: 2, max: 98 }),
});

function mirror(id: string, multiplier: number) {
  const definition = builtinStrategies['mirror']!;
  const params = parseStrategyParams(definition, { wallets: [WALLET], sizing: { mode: 'multiplier', multiplier } });
  return { definition, id, params: params as Record<string, unknown> };
}

describe('sub-accounts on one wallet (property)', () => {
  it('sum to the wallet’s ledger, fees included, after every event', () => {
    let totalFees = 0;
    fc.assert(
      fc.property(fc.array(tradeArb, { minLength: 1, maxLength: 40 }), fc.constantFrom(0, 500_000, 1_000_000), (trades, yesPayout) => {
        const h = buildHarness({
          strategies: [mirror('ann/mirror', 0.5), mirror('ben/mirror', 0.3), mirror('pool-own', 0.2)],
          cashMicros: 1_000_000_000_000,
        });
        h.feed([market]);
        const held = new Map<string, number>();
        const events: EngineEvent[] = trades.map((t, i): TargetTradeSeen => {
          const size = t.shares * 1_000_000;
          const have = held.get(t.token) ?? 0;
          const side = t.sell && have >= size ? 'SELL' : 'BUY';
          held.set(t.token, side === 'SELL' ? have - size : have + size);
          return {
            type: 'target_trade',
            source: 'rtds',
            seq: i,
            tsEvent: 1000 * (i + 1),
            tsRecv: 1000 * (i + 1),
            trade: {
              wallet: WALLET,
              txHash: `0x${i}`,
              tokenId: t.token,
              conditionId: 'c1',
              side,
              sizeMicros: size,
              priceMicros: t.cents * 10_000,
              usdcMicros: (size * t.cents) / 100,
              outcome: t.token === 'yes' ? 'Yes' : 'No',
            },
            key: `k${i}`,
          };
        });
        const resolution: EngineEvent = {
          type: 'market_resolved',
          tsEvent: 1000 * (trades.length + 2),
          tsRecv: 1000 * (trades.length + 2),
          conditionId: 'c1',
          payouts: { yes: yesPayout, no: 1_000_000 - yesPayout },
        };
        for (const e of [...events, resolution]) {
          h.feed([e]);
          const { portfolio } = h.engine;
          const total = portfolio.total;
          const books = [...splitBySubAccount(portfolio, ['ann/mirror', 'ben/mirror', 'pool-own']).values()];
          expect(books.map((b) => b.account).sort()).toEqual(['', 'ann', 'ben']);
          const sum = (f: (b: (typeof books)[number]) => number) => books.reduce((s, b) => s + f(b), 0);
          expect(sum((b) => b.tradeCashMicros)).toBe(total.cashMicros - total.startCashMicros);
          // The pool keeps only payout rounding: none from fills, at most a micro per member ledger at a 50/50 resolution.
          const rounding = books.find((b) => b.account === '')!.roundingMicros;
          if (e !== resolution || yesPayout !== 500_000) expect(rounding).toBe(0);
          else expect(Math.abs(rounding)).toBeLessThanOrEqual(3 * 2);
          expect(sum((b) => b.feesMicros)).toBe(total.feesMicros);
          for (const token of ['yes', 'no']) expect(sum((b) => b.sizes[token] ?? 0)).toBe(total.size(token));
          const pnl = total.realizedMicros + total.unrealized(portfolio.mark);
          // Marked value is rounded per ledger (one micro per open position at most).
          expect(Math.abs(sum((b) => b.realizedMicros + b.unrealizedMicros) - pnl)).toBeLessThanOrEqual(2 * books.length);
        }
        totalFees += h.engine.portfolio.total.feesMicros;
      }),
      { numRuns: 60 },
    );
    expect(totalFees).toBeGreaterThan(0); // fees were really charged and split
  });
});
