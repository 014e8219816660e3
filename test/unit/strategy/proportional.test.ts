import { describe, expect, it } from 'vitest';
import { proportional } from '../../../src/strategy/builtin/proportional.ts';
import { parseStrategyParams } from '../../../src/strategy/loader.ts';
import { FakeStrategyContext, NOBEL_TAPE, readTradeCsv } from '../../helpers/strategy-context.ts';

const M = 1_000_000;
const WALLET = '0xe8dd7741ccb12350957ec71e9ee332e0d1e6ec86';
const tape = readTradeCsv(NOBEL_TAPE).slice(0, 1500);
// 0xe8dd… BUY No 34.674 @ 0.997 on Greta Thunberg's market.
const buy = tape.find((e) => e.trade.wallet === WALLET && e.trade.sizeMicros === 34_674_000 && e.trade.priceMicros === 997_000)!;

describe('proportional (real Nobel tape row)', () => {
  it('scales target shares by my equity ÷ their portfolio value', () => {
    const handlers = proportional.create(parseStrategyParams(proportional, { wallets: [WALLET] }));
    const ctx = new FakeStrategyContext().setEquity(1_000 * M).setTargetValue(WALLET, 10_000 * M);
    // 34.674 sh × (1,000 ÷ 10,000) = 3.4674 sh; × 0.997 = $3.456997
    expect(handlers.onTargetTrade!(buy, ctx)).toMatchObject({
      kind: 'order',
      intent: { tokenId: buy.trade.tokenId, side: 'BUY', amountMicros: 3_456_997, referencePriceMicros: 997_000 },
    });
  });

  it('multiplier stacks on the ratio', () => {
    const handlers = proportional.create(parseStrategyParams(proportional, { wallets: [WALLET], multiplier: 2, orderType: 'GTC' }));
    const ctx = new FakeStrategyContext().setEquity(1_000 * M).setTargetValue(WALLET, 10_000 * M);
    expect(handlers.onTargetTrade!(buy, ctx)).toMatchObject({ kind: 'order', intent: { type: 'GTC', sizeMicros: 6_934_800 } });
  });

  it('unknown target value → skip target_value_unknown', () => {
    const handlers = proportional.create(parseStrategyParams(proportional, { wallets: [WALLET] }));
    expect(handlers.onTargetTrade!(buy, new FakeStrategyContext())).toMatchObject({
      kind: 'skip',
      reason: 'target_value_unknown',
      details: { targetValueMicros: null },
    });
  });

  it('has no sizing param (it sizes by ratio) and refuses one', () => {
    expect(() => parseStrategyParams(proportional, { wallets: [WALLET], sizing: { mode: 'fixed', usdc: 5 } })).toThrow(
      'strategy "proportional": params: unknown key(s) "sizing"',
    );
  });
});
