import { beforeAll, describe, expect, it } from 'vitest';
import type { TargetTradeSeen } from '../../../src/core/events.ts';
import { mulDiv } from '../../../src/core/money.ts';
import { actionsOf, type StrategyHandlers } from '../../../src/strategy/api.ts';
import { mirror } from '../../../src/strategy/builtin/mirror.ts';
import { parseStrategyParams } from '../../../src/strategy/loader.ts';
import { ACTIVITY_0X05C1, FakeStrategyContext, marketsFromEvents, readTradeCsv, replayCopies } from '../../helpers/strategy-context.ts';

const M = 1_000_000;
const WALLET = '0x05c1882212a41aa8d7df5b70eebe03d9319345b7';
const UP_1764756900 = '99639875934475138170552945653948512690940480279202542046983891071931906916874';
const DOWN_1764756900 = '11125733512403744939900544427190348911068825849848007109497372504726554799738';

let rows: TargetTradeSeen[];
let chronological: TargetTradeSeen[];

function mirrorWith(raw: Record<string, unknown>): StrategyHandlers {
  return mirror.create(parseStrategyParams(mirror, { wallets: [WALLET], ...raw }));
}

function context(): FakeStrategyContext {
  const ctx = new FakeStrategyContext('mirror@0x05c1');
  for (const m of marketsFromEvents(rows)) ctx.addMarket(m);
  return ctx;
}

beforeAll(() => {
  // Rows 1500–1999 repeat 1000–1499 (the Data API offset cap); the file is newest first.
  rows = readTradeCsv(ACTIVITY_0X05C1).slice(0, 1500);
  chronological = [...rows].reverse();
});

describe('mirror on wallet 0x05c1 (real Data API rows)', () => {
  it('target BUY 216 @ 0.02 × 0.5 → market BUY of $2.16 of that token, limit 2% above', () => {
    const buy = rows[1]!;
    expect(buy.trade).toMatchObject({ side: 'BUY', sizeMicros: 216 * M, priceMicros: 20_000, tokenId: DOWN_1764756900 });
    const [action] = actionsOf(mirrorWith({ sizing: { mode: 'multiplier', multiplier: 0.5 } }).onTargetTrade!(buy, context()));
    expect(action).toEqual({
      kind: 'order',
      intent: expect.objectContaining({
        tokenId: DOWN_1764756900,
        side: 'BUY',
        type: 'FOK',
        amountMicros: 2_160_000,
        limitPriceMicros: 20_400,
        referencePriceMicros: 20_000,
        cause: buy, // the copy names the trade it answers (its key read when shown or stored)
      }),
    });
    expect((action as { intent: { sizeMicros?: number } }).intent.sizeMicros).toBeUndefined();
  });

  it('GTC copies rest a share size instead of a USDC amount', () => {
    const [action] = actionsOf(
      mirrorWith({ sizing: { mode: 'multiplier', multiplier: 0.5 }, orderType: 'GTC' }).onTargetTrade!(rows[1]!, context()),
    );
    expect(action).toMatchObject({ kind: 'order', intent: { type: 'GTC', sizeMicros: 108 * M } });
    expect((action as { intent: { amountMicros?: number } }).intent.amountMicros).toBeUndefined();
  });

  it('target SELL of a token we do not hold → skip no_position_to_sell with the numbers', () => {
    const sell = rows[0]!;
    expect(sell.trade).toMatchObject({ side: 'SELL', tokenId: UP_1764756900, sizeMicros: 216 * M });
    const ctx = context().setTargetPosition(WALLET, UP_1764756900, 500 * M);
    expect(mirrorWith({}).onTargetTrade!(sell, ctx)).toMatchObject({
      kind: 'skip',
      reason: 'no_position_to_sell',
      details: { ourSizeMicros: 0, targetSellMicros: 216 * M, targetBeforeMicros: 500 * M },
    });
  });

  it('target SELL 20 of 2016 shares → we sell the same 0.99% of ours, at a floor 2% under its price', () => {
    const sell = chronological.find((e) => e.trade.side === 'SELL' && e.trade.sizeMicros === 20 * M && e.trade.priceMicros === 780_000)!;
    const ctx = context()
      .setTargetPosition(WALLET, sell.trade.tokenId, 2016 * M)
      .setPosition(sell.trade.tokenId, 1008 * M);
    expect(mirrorWith({}).onTargetTrade!(sell, ctx)).toMatchObject({
      kind: 'order',
      intent: {
        side: 'SELL',
        tokenId: sell.trade.tokenId,
        sizeMicros: 10 * M,
        limitPriceMicros: 764_400,
        reduceOnly: true,
        cause: sell,
      },
    });
  });

  it('skips with reasons: sells off, small target BUYs, wallets we do not follow', () => {
    const ctx = context()
      .setTargetPosition(WALLET, UP_1764756900, 500 * M)
      .setPosition(UP_1764756900, 50 * M);
    expect(mirrorWith({ copySells: false }).onTargetTrade!(rows[0]!, ctx)).toMatchObject({ kind: 'skip', reason: 'sells_disabled' });
    expect(mirrorWith({ minTargetUsdc: 5 }).onTargetTrade!(rows[1]!, ctx)).toMatchObject({
      kind: 'skip',
      reason: 'below_min_target_usdc',
      details: { targetUsdcMicros: 4_320_000, minTargetUsdcMicros: 5 * M },
    });
    const stranger = { ...rows[1]!, trade: { ...rows[1]!.trade, wallet: '0x0fd419c486d1f53c92cd09c3c52eca61d6367750' } };
    expect(mirrorWith({}).onTargetTrade!(stranger, ctx)).toMatchObject({ kind: 'skip', reason: 'wallet_not_followed' });
  });

  it('answers every one of 1,500 real trades, and keeps our position at half the target’s through buys and sells', () => {
    const ctx = context();
    const outcomes = replayCopies(mirrorWith({ sizing: { mode: 'multiplier', multiplier: 0.5 } }), chronological, ctx);
    expect(outcomes.every((o) => o.actions.length === 1 && (o.actions[0]!.kind === 'order' || o.actions[0]!.kind === 'skip'))).toBe(true);
    const skipped = outcomes.filter((o) => o.actions[0]!.kind === 'skip');
    // The only skips: SELLs of positions the target built before the export began (we never copied the buy).
    expect(skipped.length).toBeGreaterThan(0);
    for (const o of skipped) {
      expect(o.event.trade.side).toBe('SELL');
      expect(o.actions[0]).toMatchObject({ reason: 'no_position_to_sell', details: { targetBeforeMicros: 0 } });
    }
    const tokens = new Set(chronological.map((e) => e.trade.tokenId));
    let compared = 0;
    for (const token of tokens) {
      const target = ctx.targetPosition(WALLET, token);
      if (target === 0) continue;
      const ours = ctx.position(token).sizeMicros;
      // Each copy floors a few micro-shares; over hundreds of trades that stays far below a cent.
      expect(Math.abs(ours - mulDiv(target, 1, 2))).toBeLessThan(10_000);
      compared++;
    }
    expect(compared).toBeGreaterThan(5);
  });
});
