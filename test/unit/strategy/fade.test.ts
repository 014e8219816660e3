import { beforeAll, describe, expect, it } from 'vitest';
import type { TargetTradeSeen } from '../../../src/core/events.ts';
import { actionsOf } from '../../../src/strategy/api.ts';
import { fade } from '../../../src/strategy/builtin/fade.ts';
import { parseStrategyParams } from '../../../src/strategy/loader.ts';
import { ACTIVITY_0X05C1, FakeStrategyContext, marketsFromEvents, NOBEL_TAPE, readTradeCsv } from '../../helpers/strategy-context.ts';

const M = 1_000_000;
const WALLET = '0x05c1882212a41aa8d7df5b70eebe03d9319345b7';
const UP = '99639875934475138170552945653948512690940480279202542046983891071931906916874';
const DOWN = '11125733512403744939900544427190348911068825849848007109497372504726554799738';

let rows: TargetTradeSeen[];
const fadeWith = (raw: Record<string, unknown> = {}, wallets = [WALLET]) => fade.create(parseStrategyParams(fade, { wallets, ...raw }));

function context(events: TargetTradeSeen[]): FakeStrategyContext {
  const ctx = new FakeStrategyContext('fade@0x05c1');
  for (const m of marketsFromEvents(events)) ctx.addMarket(m);
  return ctx;
}

beforeAll(() => {
  rows = readTradeCsv(ACTIVITY_0X05C1).slice(0, 1500);
});

describe('fade (real rows)', () => {
  it('target BUYs Down 216 @ 0.02 → we BUY the Up token at about 0.98, same shares', () => {
    const buy = rows[1]!;
    expect(buy.trade).toMatchObject({ side: 'BUY', tokenId: DOWN, priceMicros: 20_000 });
    expect(fadeWith().onTargetTrade!(buy, context(rows))).toMatchObject({
      kind: 'order',
      intent: {
        tokenId: UP,
        side: 'BUY',
        amountMicros: 211_680_000, // 216 × 0.98
        referencePriceMicros: 980_000,
        limitPriceMicros: 990_000, // 0.98 × 1.02 clamped to 1 − tick
        cause: buy, // the copy names the trade it answers (its key read when shown or stored)
      },
    });
  });

  it('target SELLs half its Down → we sell half of our Up (the fade position)', () => {
    const buy = rows[1]!;
    const sell: TargetTradeSeen = {
      ...buy,
      key: 'sell-half',
      trade: { ...buy.trade, side: 'SELL', sizeMicros: 108 * M, priceMicros: 40_000 },
    };
    const ctx = context(rows)
      .setTargetPosition(WALLET, DOWN, 216 * M)
      .setPosition(UP, 216 * M, 980_000);
    expect(fadeWith().onTargetTrade!(sell, ctx)).toMatchObject({
      kind: 'order',
      intent: {
        tokenId: UP,
        side: 'SELL',
        sizeMicros: 108 * M,
        referencePriceMicros: 960_000,
        limitPriceMicros: 940_800,
        reduceOnly: true,
      },
    });
  });

  it('the SELL leg of the same tx (target sells Up) unwinds our Down fade, not our Up', () => {
    const sellUp = rows[0]!;
    const ctx = context(rows)
      .setTargetPosition(WALLET, UP, 432 * M)
      .setPosition(UP, 100 * M)
      .setPosition(DOWN, 50 * M);
    const [action] = actionsOf(fadeWith().onTargetTrade!(sellUp, ctx));
    expect(action).toMatchObject({ kind: 'order', intent: { tokenId: DOWN, side: 'SELL', sizeMicros: 25 * M } });
  });

  it('a market whose other outcome we do not know → skip opposite_token_unknown', () => {
    const tape = readTradeCsv(NOBEL_TAPE).slice(0, 1500);
    const lonely = tape.find((e) => e.trade.slug === 'will-marco-rubio-win-the-nobel-peace-prize-in-2025')!;
    const r = fadeWith({}, [lonely.trade.wallet]).onTargetTrade!(lonely, context(tape));
    expect(r).toMatchObject({ kind: 'skip', reason: 'opposite_token_unknown', details: { tokenId: lonely.trade.tokenId } });
  });
});
