import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Ledger } from '../../src/core/ledger.ts';
import { notional } from '../../src/core/money.ts';

const tokens = ['t1', 't2', 't3'];
const op = fc.oneof(
  fc.record({
    kind: fc.constant('fill' as const),
    token: fc.constantFrom(...tokens),
    buy: fc.boolean(),
    size: fc.integer({ min: 1, max: 5_000_000_000 }),
    price: fc.integer({ min: 1_000, max: 999_000 }),
    fee: fc.integer({ min: 0, max: 50_000 }),
  }),
  fc.record({ kind: fc.constant('resolve' as const), token: fc.constantFrom(...tokens), payout: fc.constantFrom(0, 500_000, 1_000_000) }),
);

describe('ledger accounting (property)', () => {
  it('conserves money over any sequence of fills and resolutions', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const start = 1_000_000_000_000;
        const ledger = new Ledger(start);
        let cashFlows = 0; // what we paid and received, independently of the ledger
        for (const o of ops) {
          if (o.kind === 'fill') {
            const held = ledger.size(o.token);
            const side = o.buy || held === 0 ? 'BUY' : 'SELL';
            const size = side === 'SELL' ? Math.min(o.size, held) : o.size;
            const value = notional(size, o.price);
            ledger.applyFill({ tokenId: o.token, conditionId: 'c', side, priceMicros: o.price, sizeMicros: size, feeMicros: o.fee });
            cashFlows += side === 'BUY' ? -value - o.fee : value - o.fee;
          } else {
            const held = ledger.position(o.token)?.settled ? 0 : ledger.size(o.token);
            ledger.settle(o.token, o.payout);
            cashFlows += notional(held, o.payout);
          }
          // cash = start − cost of open positions + realized − fees, exactly
          expect(ledger.cashMicros).toBe(start - ledger.costOfOpen() + ledger.realizedMicros - ledger.feesMicros);
          expect(ledger.cashMicros).toBe(start + cashFlows);
          for (const p of ledger.all()) expect(p.sizeMicros).toBeGreaterThanOrEqual(0);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('markets held and cost per market equal a recount over the positions, with several tokens per market', () => {
    const marketOf = (token: string) => (token === 't3' ? 'c2' : 'c1');
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const ledger = new Ledger(1_000_000_000_000);
        for (const o of ops) {
          if (o.kind === 'fill') {
            const held = ledger.size(o.token);
            const side = o.buy || held === 0 ? 'BUY' : 'SELL';
            // Whole exits are common (they are what takes a market out of the held set).
            const size = side === 'SELL' ? (o.size % 2 === 0 ? held : Math.min(o.size, held)) : o.size;
            ledger.applyFill({
              tokenId: o.token,
              conditionId: marketOf(o.token),
              side,
              priceMicros: o.price,
              sizeMicros: size,
              feeMicros: o.fee,
            });
          } else ledger.settle(o.token, o.payout);
          const cost = new Map<string, number>();
          const open = new Set<string>();
          for (const p of ledger.all()) {
            cost.set(p.conditionId, (cost.get(p.conditionId) ?? 0) + p.costMicros);
            if (p.sizeMicros > 0) open.add(p.conditionId);
          }
          const held = new Set([...cost].filter(([c, v]) => v !== 0 || open.has(c)).map(([c]) => c));
          expect(new Set(ledger.marketsHeld())).toEqual(held);
          for (const c of ['c1', 'c2']) expect(ledger.costIn(c)).toBe(held.has(c) ? cost.get(c) : 0);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('refuses a SELL above holdings', () => {
    const ledger = new Ledger(0);
    ledger.applyFill({ tokenId: 't', conditionId: 'c', side: 'BUY', priceMicros: 500_000, sizeMicros: 10_000_000, feeMicros: 0 });
    expect(() =>
      ledger.applyFill({ tokenId: 't', conditionId: 'c', side: 'SELL', priceMicros: 500_000, sizeMicros: 10_000_001, feeMicros: 0 }),
    ).toThrow(/exceeds holdings/);
  });

  it('settles winners at 1, losers at 0 and 50/50 at 0.5', () => {
    const ledger = new Ledger(100_000_000);
    for (const t of ['win', 'lose', 'half'])
      ledger.applyFill({ tokenId: t, conditionId: 'c', side: 'BUY', priceMicros: 400_000, sizeMicros: 10_000_000, feeMicros: 0 });
    expect(ledger.settle('win', 1_000_000)).toBe(6_000_000);
    expect(ledger.settle('lose', 0)).toBe(-4_000_000);
    expect(ledger.settle('half', 500_000)).toBe(1_000_000);
    expect(ledger.cashMicros).toBe(100_000_000 - 12_000_000 + 15_000_000);
    expect(ledger.settle('win', 1_000_000)).toBe(0); // settling twice pays nothing
  });

  it('ledgers sharing the thread-wide numbering of tokens and markets keep their own positions, in the order booked', () => {
    // Ids rebuilt on every use (equal text, another string object), the empty id among them.
    const ids = ['a', 'b', '', 'long-token-id-0000000000000000000000000000000000000000000000000000000001'];
    const fresh = (i: number) => ids[i]!.split('').join('');
    fc.assert(
      fc.property(
        fc.array(fc.record({ ledger: fc.integer({ min: 0, max: 2 }), token: fc.integer({ min: 0, max: 3 }), buy: fc.boolean() }), {
          maxLength: 80,
        }),
        (ops) => {
          const ledgers = [new Ledger(0), new Ledger(0), new Ledger(0)];
          const sizes = ledgers.map(() => new Map<string, number>());
          const order = ledgers.map(() => [] as string[]);
          for (const o of ops) {
            const ledger = ledgers[o.ledger]!;
            const tokenId = fresh(o.token);
            const held = sizes[o.ledger]!.get(tokenId) ?? 0;
            const side = o.buy || held === 0 ? 'BUY' : 'SELL';
            const size = side === 'BUY' ? 2_000_000 : held;
            if (!sizes[o.ledger]!.has(tokenId)) order[o.ledger]!.push(tokenId);
            ledger.applyFill({ tokenId, conditionId: `m${o.token % 2}`, side, priceMicros: 500_000, sizeMicros: size, feeMicros: 0 });
            sizes[o.ledger]!.set(tokenId, side === 'BUY' ? held + size : 0);
            for (const [l, other] of ledgers.entries()) {
              expect(other.all().map((p) => p.tokenId)).toEqual(order[l]);
              for (let t = 0; t < ids.length; t++) {
                const expected = sizes[l]!.get(ids[t]!);
                expect(other.size(fresh(t))).toBe(expected ?? 0);
                expect(other.position(fresh(t))?.sizeMicros).toBe(expected);
              }
              for (const m of ['m0', 'm1']) {
                const cost = other
                  .all()
                  .filter((p) => p.conditionId === m)
                  .reduce((sum, p) => sum + p.costMicros, 0);
                expect(other.costIn(m)).toBe(cost);
                expect(other.marketsHeld().has(m)).toBe(cost !== 0);
              }
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
