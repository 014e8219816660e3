/** Properties of the sandbox matching engine under random order flow (fast-check). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../../src/sandbox/scenario.ts';
import { buildExchange } from '../../../src/sandbox/world.ts';

const WALLETS = [
  '0xaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
  '0xbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb',
  '0xcccccccccccccccccccccccccccccccccccccccc',
];

const orderArb = fc.record({
  wallet: fc.integer({ min: 0, max: 2 }),
  side: fc.constantFrom('BUY' as const, 'SELL' as const),
  type: fc.constantFrom('GTC' as const, 'FOK' as const, 'FAK' as const),
  priceTicks: fc.integer({ min: 1, max: 99 }),
  shares: fc.integer({ min: 5, max: 200 }),
});

describe('matching engine', () => {
  it('never leaves a crossed book, fills inside the taker limit, FOK all-or-nothing, conserves shares and cash', () => {
    fc.assert(
      fc.property(fc.array(orderArb, { minLength: 1, maxLength: 60 }), (orders) => {
        const ex = buildExchange(parseScenario({ markets: [{ slug: 'p', fee: { rate: 0.02 } }] }), () => 1_700_000_000_000);
        const token = [...ex.markets.values()][0]!.tokenIds[0];
        for (const w of WALLETS) {
          ex.accounts.get(w).usdcMicros = 10_000_000_000;
          ex.accounts.addTokens(w, token, 1_000_000_000);
        }
        const book = ex.books.get(token)!;
        let n = 0;
        for (const o of orders) {
          const price = o.priceTicks * 10_000;
          const shares = o.shares * 1_000_000;
          const usdc = (shares / 1_000_000) * price;
          const market = o.type !== 'GTC';
          // Market BUYs are dollar amounts with ≤ 2 decimals; keep the generated ones valid.
          const maker = o.side === 'BUY' ? (market ? Math.floor(usdc / 10_000) * 10_000 : usdc) : shares;
          const taker = o.side === 'BUY' ? shares : usdc;
          if (maker < 1_000_000) continue;
          const before = ex.ledger.length;
          const res = ex.place({
            id: `o${n++}`,
            owner: 'k',
            makerAddress: WALLETS[o.wallet]!,
            signer: WALLETS[o.wallet]!,
            tokenId: token,
            side: o.side,
            type: o.type,
            makerAmountMicros: maker,
            takerAmountMicros: taker,
            expirationSec: 0,
            postOnly: false,
            source: 'clob',
          });
          const fills = ex.ledger.slice(before);
          if (!res.ok) expect(fills).toHaveLength(0);
          for (const f of fills) {
            if (o.side === 'BUY') expect(f.priceMicros * taker).toBeLessThanOrEqual(maker * 1_000_000);
            else expect(f.priceMicros * maker).toBeGreaterThanOrEqual(taker * 1_000_000);
          }
          if (res.ok && o.type === 'FOK' && o.side === 'SELL') expect(fills.reduce((s, f) => s + f.sizeMicros, 0)).toBe(shares);
          const bid = book.best('BUY');
          const ask = book.best('SELL');
          if (bid !== undefined && ask !== undefined) expect(bid).toBeLessThan(ask);
        }
        const totalShares = WALLETS.reduce((s, w) => s + ex.accounts.tokenBalance(w, token), 0);
        expect(totalShares).toBe(3_000_000_000);
        const fees = ex.ledger.reduce((s, f) => s + f.feeMicros, 0);
        const cash = WALLETS.reduce((s, w) => s + ex.accounts.get(w).usdcMicros, 0);
        expect(cash + fees).toBe(30_000_000_000);
      }),
      { numRuns: 150 },
    );
  });
});
