/**
 * Order shaping never yields an order the exchange rejects, nor one that moves size, amount or price
 * against the strategy; and makerTakerAmounts equals the real clob-client-v2 arithmetic.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseUnits } from 'viem';
import { makerTakerAmounts, shapeOrder, validateOrderForExchange } from '../../src/polymarket/order-rules.ts';
import type { MarketInfo, OrderIntent, OrderType } from '../../src/core/types.ts';

// The SDK's own amount helpers (not exported by the package, so loaded from its dist files).
type RoundConfig = { price: number; size: number; amount: number };
type RawAmounts = { rawMakerAmt: number; rawTakerAmt: number };
type AmountsFn = (side: string, quantity: number, price: number, cfg: RoundConfig) => RawAmounts;
const helper = (file: string) =>
  new URL(`../../node_modules/@polymarket/clob-client-v2/dist/order-builder/helpers/${file}`, import.meta.url).href;
const { getOrderRawAmounts } = (await import(helper('getOrderRawAmounts.js'))) as { getOrderRawAmounts: AmountsFn };
const { getMarketOrderRawAmounts } = (await import(helper('getMarketOrderRawAmounts.js'))) as { getMarketOrderRawAmounts: AmountsFn };
const { ROUNDING_CONFIG } = (await import(helper('roundingConfig.js'))) as { ROUNDING_CONFIG: Record<string, RoundConfig> };

const TICKS: Record<number, string> = { 100_000: '0.1', 10_000: '0.01', 5_000: '0.005', 2_500: '0.0025', 1_000: '0.001', 100: '0.0001' };
const tickArb = fc.constantFrom(...Object.keys(TICKS).map(Number));
const typeArb = fc.constantFrom<OrderType>('FOK', 'FAK', 'GTC', 'GTD');
const qtyArb = fc.oneof(fc.integer({ min: 0, max: 20_000_000 }), fc.integer({ min: 0, max: 100_000_000_000 }));

const marketArb = fc
  .record({ tickMicros: tickArb, minOrderSizeMicros: fc.constantFrom(1_000_000, 5_000_000, 15_000_000) })
  .map((m): MarketInfo => ({ conditionId: '0xc', tokens: [{ tokenId: 't', outcome: 'Yes' }], negRisk: false, ...m }));
const intentArb = fc
  .record({
    side: fc.constantFrom<'BUY' | 'SELL'>('BUY', 'SELL'),
    type: typeArb,
    limitPriceMicros: fc.integer({ min: 1, max: 999_999 }),
    sizeMicros: fc.option(qtyArb, { nil: undefined }),
    amountMicros: fc.option(qtyArb, { nil: undefined }),
    postOnly: fc.boolean(),
  })
  .map((i): OrderIntent => ({
    tokenId: 't',
    ...i,
    postOnly: i.postOnly && (i.type === 'GTC' || i.type === 'GTD'),
    expiresAtMs: i.type === 'GTD' ? 10_000_000 : undefined,
  }));

describe('shapeOrder properties', () => {
  it('never yields an order the exchange rules reject, nor one past a cap', () => {
    fc.assert(
      fc.property(intentArb, marketArb, (intent, market) => {
        const r = shapeOrder(intent, market, { nowMs: 0 });
        if (!r.ok) return;
        const o = r.order;
        expect(validateOrderForExchange(o, market, { nowMs: 0, amounts: 'exchange' })).toBeNull();
        const isMarket = o.type === 'FOK' || o.type === 'FAK';
        // The SDK's own amounts are valid too, except market orders on ticks finer than 0.01 (its known 5-6 decimal takers).
        if (!isMarket || market.tickMicros >= 10_000) expect(validateOrderForExchange(o, market, { nowMs: 0 })).toBeNull();
        if (o.side === 'BUY') expect(o.priceMicros).toBeLessThanOrEqual(intent.limitPriceMicros);
        else expect(o.priceMicros).toBeGreaterThanOrEqual(intent.limitPriceMicros);
        expect(o.priceMicros % market.tickMicros).toBe(0);
        if (isMarket && o.side === 'BUY') {
          if (intent.amountMicros !== undefined) expect(o.amountMicros!).toBeLessThanOrEqual(intent.amountMicros);
          if (intent.sizeMicros !== undefined) expect(o.amountMicros! * 1e6).toBeLessThanOrEqual(intent.sizeMicros * o.priceMicros);
        } else {
          if (intent.sizeMicros !== undefined) expect(o.sizeMicros).toBeLessThanOrEqual(intent.sizeMicros);
          if (intent.amountMicros !== undefined)
            expect(BigInt(o.sizeMicros) * BigInt(o.priceMicros)).toBeLessThanOrEqual(BigInt(intent.amountMicros) * 1_000_000n);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('a refusal below a minimum only happens when the order really is below it', () => {
    fc.assert(
      fc.property(intentArb, marketArb, (intent, market) => {
        const r = shapeOrder(intent, market, { nowMs: 0 });
        if (r.ok || r.reason !== 'below_min_size') return;
        expect(r.details.sizeMicros as number).toBeLessThan(r.details.minSizeMicros as number);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('makerTakerAmounts equals clob-client-v2', () => {
  it('for random limit and market orders on every tick', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<'BUY' | 'SELL'>('BUY', 'SELL'),
        fc.boolean(),
        tickArb,
        fc.oneof(
          fc.integer({ min: 1, max: 999_999 }),
          fc.integer({ min: 1, max: 99_999 }).map((n) => n * 10),
        ),
        fc.integer({ min: 10_000, max: 50_000_000_000 }),
        (side, market, tick, priceMicros, qtyMicros) => {
          fc.pre(priceMicros >= tick && priceMicros <= 1_000_000 - tick); // the SDK refuses other prices before this step
          const cfg = ROUNDING_CONFIG[TICKS[tick]!]!;
          const raw = market
            ? getMarketOrderRawAmounts(side, qtyMicros / 1e6, priceMicros / 1e6, cfg)
            : getOrderRawAmounts(side, qtyMicros / 1e6, priceMicros / 1e6, cfg);
          const ours = makerTakerAmounts({
            side,
            type: market ? 'FOK' : 'GTC',
            priceMicros,
            tickMicros: tick,
            ...(market && side === 'BUY' ? { amountMicros: qtyMicros } : { sizeMicros: qtyMicros }),
          });
          expect([ours.makerAmountMicros, ours.takerAmountMicros]).toEqual([
            Number(parseUnits(raw.rawMakerAmt.toString(), 6)),
            Number(parseUnits(raw.rawTakerAmt.toString(), 6)),
          ]);
        },
      ),
      { numRuns: 5000 },
    );
  });
});
