/**
 * Two independent implementations of the CLOB's order rules must agree on every signed order: the
 * client's (src/polymarket/rules-validate.ts, used by the sim and the live pre-checks) and the sandbox
 * exchange's own (src/sandbox/exchange/order-rules.ts, written from the reference tables). Same verdict,
 * and the rule the client names is one the exchange finds, with the same text. Orders come in three
 * shapes: built like the SDK builds them (on tick, right decimals), the same with small damage (a micro
 * off, a decimal too many, a size under the minimum, a stale expiration), and raw random amounts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MarketInfo, OrderType, Side } from '../../src/core/types.ts';
import { checkOrderForExchange } from '../../src/polymarket/order-rules.ts';
import { EXCHANGE_TICKS, orderRuleViolations, type RuleCode, type WireOrderInput } from '../../src/sandbox/exchange/order-rules.ts';

const NOW_MS = 1_760_000_000_000;
const NOW_SEC = NOW_MS / 1000;
const RUNS = 10_000;

/** The client's violation codes, in the sandbox's words. */
const SAME_RULE: Record<string, RuleCode> = {
  invalid_payload: 'payload',
  invalid_price: 'price_range',
  invalid_tick: 'tick',
  invalid_amounts: 'precision',
  below_min_size: 'min_size',
  below_min_notional: 'min_market_buy',
  invalid_expiration: 'expiration',
};

interface Case {
  side: Side;
  type: OrderType;
  makerAmountMicros: number;
  takerAmountMicros: number;
  expirationSec: number;
  tickMicros: number;
  minOrderSizeMicros: number;
}

/** Both verdicts on one order; throws (with both answers) when they disagree. */
function compare(c: Case): { client: string | null; exchange: string[] } {
  const market: MarketInfo = {
    conditionId: '0xc',
    tokens: [],
    negRisk: false,
    tickMicros: c.tickMicros,
    minOrderSizeMicros: c.minOrderSizeMicros,
  };
  const client = checkOrderForExchange(c, market, { orderId: '0xab', nowMs: NOW_MS });
  const input: WireOrderInput = { ...c, orderId: '0xab', nowMs: NOW_MS };
  const exchange = orderRuleViolations(input);
  const context = JSON.stringify({ order: c, client, exchange });
  if (client === null) expect(exchange, context).toEqual([]);
  else {
    expect(exchange.length, context).toBeGreaterThan(0);
    const same = exchange.find((v) => v.code === SAME_RULE[client.code]);
    expect(same, context).toBeDefined();
    expect(same!.message, context).toBe(client.message);
  }
  return { client: client?.code ?? null, exchange: exchange.map((v) => v.code) };
}

const sideArb = fc.constantFrom<Side>('BUY', 'SELL');
const typeArb = fc.constantFrom<OrderType>('GTC', 'GTD', 'FOK', 'FAK');
const tickArb = fc.constantFrom(...EXCHANGE_TICKS);
const minSizeArb = fc.constantFrom(1_000_000, 5_000_000, 15_000_000);
const expirationArb = fc.oneof(
  fc.constant(0),
  fc.constantFrom(NOW_SEC - 10, NOW_SEC + 30, NOW_SEC + 59, NOW_SEC + 60, NOW_SEC + 61),
  fc.integer({ min: NOW_SEC + 61, max: NOW_SEC + 86_400 }),
);
const pow10 = (dp: number) => 10 ** (6 - dp);

/** An order as clob-client-v2 would sign it: price on tick, shares to 2 decimals, the other side exact or floored. */
const sdkShapedArb = fc
  .record({
    side: sideArb,
    type: typeArb,
    tickMicros: tickArb,
    minOrderSizeMicros: minSizeArb,
    ticks: fc.integer({ min: 1, max: 10_000 }),
    cents: fc.integer({ min: 1, max: 5_000_000 }), // shares or USDC in hundredths
    expirationSec: expirationArb,
  })
  .map((r): Case => {
    const price = Math.min(r.ticks * r.tickMicros, 1_000_000 - r.tickMicros);
    const twoDp = r.cents * 10_000;
    const market = r.type === 'FOK' || r.type === 'FAK';
    let shares: number;
    let usdc: number;
    if (market && r.side === 'BUY') {
      usdc = twoDp; // USDC to spend, 2 decimals; shares floored to 4
      shares = Math.floor((usdc * 1e6) / price / pow10(4)) * pow10(4);
    } else {
      shares = twoDp;
      usdc = Math.round((shares * price) / 1e6); // exact for every tick: 2 + price decimals ≤ 6
    }
    const [maker, taker] = r.side === 'BUY' ? [usdc, shares] : [shares, usdc];
    return { ...r, makerAmountMicros: maker, takerAmountMicros: taker, expirationSec: r.type === 'GTD' ? r.expirationSec : 0 };
  })
  .filter((c) => c.makerAmountMicros > 0 && c.takerAmountMicros > 0);

/** The same with damage: a micro or a few off, a digit past the allowed decimals, sides swapped. */
const damagedArb = fc
  .record({
    base: sdkShapedArb,
    which: fc.constantFrom('maker', 'taker'),
    by: fc.constantFrom(1, -1, 10, 100, 1_000, -1_000, 5_000, 10_000, -10_000),
    swap: fc.boolean(),
    expirationSec: expirationArb,
  })
  .map(({ base, which, by, swap, expirationSec }): Case => {
    const c = { ...base, expirationSec: base.type === 'GTD' ? expirationSec : base.expirationSec };
    if (which === 'maker') c.makerAmountMicros += by;
    else c.takerAmountMicros += by;
    if (swap) [c.makerAmountMicros, c.takerAmountMicros] = [c.takerAmountMicros, c.makerAmountMicros];
    return c;
  });

/** Raw amounts: anything a buggy client could sign. */
const rawArb = fc.record({
  side: sideArb,
  type: typeArb,
  tickMicros: tickArb,
  minOrderSizeMicros: minSizeArb,
  makerAmountMicros: fc.oneof(fc.integer({ min: -5, max: 2_000_000 }), fc.integer({ min: 1, max: 2_000_000_000_000 })),
  takerAmountMicros: fc.oneof(fc.integer({ min: -5, max: 2_000_000 }), fc.integer({ min: 1, max: 2_000_000_000_000 })),
  expirationSec: expirationArb,
});

describe('client rules vs the sandbox exchange’s own rules', () => {
  it('agree on the reference table’s worked examples (polymarket-clob-v2 §6.2)', () => {
    const ok = (side: Side, type: OrderType, maker: number, taker: number, tick = 10_000) =>
      compare({
        side,
        type,
        makerAmountMicros: maker,
        takerAmountMicros: taker,
        tickMicros: tick,
        minOrderSizeMicros: 5_000_000,
        expirationSec: 0,
      });
    expect(ok('BUY', 'GTC', 5_000_000, 10_000_000)).toEqual({ client: null, exchange: [] });
    expect(ok('SELL', 'GTC', 10_000_000, 5_500_000)).toEqual({ client: null, exchange: [] });
    expect(ok('BUY', 'GTC', 18_998_100, 33_330_000)).toEqual({ client: null, exchange: [] });
    expect(ok('SELL', 'GTC', 12_340_000, 5_639_380, 1_000)).toEqual({ client: null, exchange: [] });
    expect(ok('BUY', 'FOK', 10_000_000, 19_230_700)).toEqual({ client: null, exchange: [] }); // 0.5200019, not "off tick"
    expect(ok('SELL', 'FAK', 30_000_000, 14_400_000)).toEqual({ client: null, exchange: [] });
    // The SDK's market BUY on a 0.001 tick gives a 5-decimal taker: always refused.
    expect(ok('BUY', 'FOK', 10_000_000, 19_120_450, 1_000)).toEqual({ client: 'invalid_amounts', exchange: ['precision'] });
    // A limit of 1.08 shares: "Size (1.08) lower than the minimum: 5".
    expect(ok('BUY', 'GTC', 540_000, 1_080_000)).toEqual({ client: 'below_min_size', exchange: ['min_size'] });
  });

  it.each([
    ['orders built like the SDK builds them', sdkShapedArb, true],
    ['the same orders, damaged', damagedArb, true],
    ['raw random amounts', rawArb, false],
  ])('agree on %s', (_what, arb, someAccepted) => {
    const verdicts = new Map<string, number>();
    fc.assert(
      fc.property(arb as fc.Arbitrary<Case>, (c) => {
        const { client } = compare(c);
        verdicts.set(client ?? 'accepted', (verdicts.get(client ?? 'accepted') ?? 0) + 1);
      }),
      { numRuns: RUNS },
    );
    // The generators reach acceptances and several kinds of refusal, so agreement is not vacuous.
    if (someAccepted) expect(verdicts.get('accepted') ?? 0).toBeGreaterThan(RUNS / 20);
    expect([...verdicts.keys()].filter((k) => k !== 'accepted').length).toBeGreaterThanOrEqual(3);
  });
});
