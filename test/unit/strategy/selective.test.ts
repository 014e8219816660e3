import { describe, expect, it } from 'vitest';
import type { TargetTradeSeen } from '../../../src/core/events.ts';
import { actionsOf } from '../../../src/strategy/api.ts';
import { selective } from '../../../src/strategy/builtin/selective.ts';
import { parseStrategyParams } from '../../../src/strategy/loader.ts';
import { FakeStrategyContext, marketsFromEvents, NOBEL_TAPE, readTradeCsv } from '../../helpers/strategy-context.ts';

const M = 1_000_000;
const WALLET = '0xe8dd7741ccb12350957ec71e9ee332e0d1e6ec86';
const tape = readTradeCsv(NOBEL_TAPE).slice(0, 1500);
const mine = tape.filter((e) => e.trade.wallet === WALLET).reverse();
const machado = mine.find(
  (e) => e.trade.slug === 'will-mara-corina-machado-win-the-nobel-peace-prize-in-2025' && e.trade.priceMicros === 310_000,
)!;
const greta = mine.find((e) => e.trade.sizeMicros === 34_674_000 && e.trade.priceMicros === 997_000)!;

const selectiveWith = (raw: Record<string, unknown>) => selective.create(parseStrategyParams(selective, { wallets: [WALLET], ...raw }));
function context(): FakeStrategyContext {
  const ctx = new FakeStrategyContext();
  for (const m of marketsFromEvents(tape, 1_000)) ctx.addMarket(m);
  return ctx;
}
const asSell = (e: TargetTradeSeen): TargetTradeSeen => ({ ...e, trade: { ...e.trade, side: 'SELL' } });

describe('selective (real Nobel tape rows)', () => {
  it('minimum confidence: a BUY at 0.31 is skipped below minPrice 0.9, one at 0.997 is copied', () => {
    const h = selectiveWith({ minPrice: 0.9 });
    expect(h.onTargetTrade!(machado, context())).toMatchObject({
      kind: 'skip',
      reason: 'below_min_price',
      details: { priceMicros: 310_000, minPriceMicros: 900_000 },
    });
    // On this 0.001-tick market the limit stays at 0.999, above the target's 0.997.
    expect(h.onTargetTrade!(greta, context())).toMatchObject({ kind: 'order', intent: { side: 'BUY', limitPriceMicros: 999_000 } });
  });

  it('each filter has its own reason code and numbers', () => {
    const ctx = context();
    const cases: [Record<string, unknown>, TargetTradeSeen, string, Record<string, unknown>][] = [
      [{ maxPrice: 0.5 }, greta, 'above_max_price', { priceMicros: 997_000, maxPriceMicros: 500_000 }],
      [{ maxTargetUsdc: 10 }, greta, 'above_max_target_usdc', { maxTargetUsdcMicros: 10 * M }],
      [{ minTargetUsdc: 50 }, greta, 'below_min_target_usdc', { minTargetUsdcMicros: 50 * M }],
      [{ markets: ['some-other-event'] }, greta, 'market_not_allowed', { conditionId: greta.trade.conditionId }],
      [{ blockedMarkets: [machado.trade.slug!] }, machado, 'market_blocked', { slug: machado.trade.slug! }],
      [{ blockedMarkets: [machado.trade.conditionId.toUpperCase()] }, machado, 'market_blocked', {}],
      [{ tokens: [machado.trade.tokenId] }, greta, 'token_not_allowed', { tokenId: greta.trade.tokenId }],
      [{ blockedTokens: [greta.trade.tokenId] }, greta, 'token_blocked', { tokenId: greta.trade.tokenId }],
      [{ sides: ['BUY'] }, asSell(greta), 'side_filtered', { side: 'SELL' }],
    ];
    for (const [raw, event, reason, details] of cases) {
      expect(selectiveWith(raw).onTargetTrade!(event, ctx), reason).toMatchObject({ kind: 'skip', reason, details });
    }
  });

  it('an event slug in markets allows all of its markets', () => {
    expect(selectiveWith({ markets: ['nobel-peace-prize-winner-2025'] }).onTargetTrade!(machado, context())).toMatchObject({
      kind: 'order',
    });
  });

  it('size and price filters do not hold back a SELL of a position we have', () => {
    const sell = asSell(greta);
    const ctx = context()
      .setTargetPosition(WALLET, sell.trade.tokenId, 69_348_000)
      .setPosition(sell.trade.tokenId, 10 * M);
    expect(selectiveWith({ minPrice: 0.999, maxTargetUsdc: 1 }).onTargetTrade!(sell, ctx)).toMatchObject({
      kind: 'order',
      intent: { side: 'SELL', sizeMicros: 5 * M },
    });
  });

  it('over all 108 trades of 0xe8dd: BUYs under 0.9 skipped below_min_price, the rest copied', () => {
    const h = selectiveWith({ minPrice: 0.9 });
    const ctx = context();
    for (const e of mine) {
      const [a, ...more] = actionsOf(h.onTargetTrade!(e, ctx));
      expect(more).toHaveLength(0);
      if (e.trade.priceMicros < 900_000) expect(a).toMatchObject({ kind: 'skip', reason: 'below_min_price' });
      else expect(a).toMatchObject({ kind: 'order', intent: { tokenId: e.trade.tokenId } });
    }
    expect(mine).toHaveLength(108);
  });

  it('rejects a price band upside down', () => {
    expect(() => parseStrategyParams(selective, { wallets: [WALLET], minPrice: 0.8, maxPrice: 0.2 })).toThrow(
      'strategy "selective": params.minPrice: minPrice must not exceed maxPrice',
    );
  });
});
