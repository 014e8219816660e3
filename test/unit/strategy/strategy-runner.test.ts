import { resolve } from 'node:path';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { defineStrategy, type StrategyAction } from '../../../src/strategy/api.ts';
import { builtinStrategies } from '../../../src/strategy/builtin/index.ts';
import { StrategyError } from '../../../src/strategy/errors.ts';
import { loadStrategy, packageRoot } from '../../../src/strategy/loader.ts';
import { actionProblem, StrategyInstance } from '../../../src/strategy/strategy-runner.ts';
import { ACTIVITY_0X05C1, FakeStrategyContext, readTradeCsv } from '../../helpers/strategy-context.ts';

const M = 1_000_000;
const WALLET = '0x05c1882212a41aa8d7df5b70eebe03d9319345b7';
const rows = readTradeCsv(ACTIVITY_0X05C1).slice(0, 4);
const buy = rows[1]!; // BUY 216 @ 0.02

describe('StrategyInstance', () => {
  it('a throwing strategy is paused with the reason and an error; another instance goes on', async () => {
    const throwing = StrategyInstance.fromRaw(
      await loadStrategy(resolve(packageRoot, 'test/fixtures/strategies/always-throws.ts')),
      { wallets: [WALLET] },
      'always-throws#1',
    );
    const mirror = StrategyInstance.fromRaw(builtinStrategies['mirror']!, { wallets: [WALLET] }, 'mirror@0x05c1');
    const ctx = new FakeStrategyContext();

    const failed = throwing.onTargetTrade(buy, ctx);
    expect(failed.error).toBeInstanceOf(StrategyError);
    expect(failed.error).toMatchObject({ strategyId: 'always-throws#1', handler: 'onTargetTrade' });
    expect(failed.error!.message).toBe('strategy always-throws#1 paused: onTargetTrade threw: cannot handle BUY of 11125733');
    // The trade is still answered, so the decision log has a row for it.
    expect(failed.actions).toEqual([expect.objectContaining({ kind: 'skip', reason: 'strategy_error' })]);
    expect(throwing.paused).toBe(true);
    expect(throwing.pausedReason).toBe('onTargetTrade threw: cannot handle BUY of 11125733');

    expect(mirror.onTargetTrade(buy, ctx).actions).toEqual([expect.objectContaining({ kind: 'order' })]);

    // While paused, trades are answered with strategy_paused and the handler is not called again.
    const again = throwing.onTargetTrade(buy, ctx);
    expect(again.error).toBeUndefined();
    expect(again.actions).toEqual([expect.objectContaining({ kind: 'skip', reason: 'strategy_paused' })]);

    throwing.resume();
    expect(throwing.paused).toBe(false);
    expect(throwing.onTargetTrade(buy, ctx).error).toBeInstanceOf(StrategyError);
  });

  it('pause/resume by hand', () => {
    const s = StrategyInstance.fromRaw(builtinStrategies['mirror']!, { wallets: [WALLET] }, 'm');
    s.pause('user pressed p');
    expect(s.onTargetTrade(buy, new FakeStrategyContext()).actions[0]).toMatchObject({
      reason: 'strategy_paused',
      message: 'strategy m is paused: user pressed p',
    });
    s.resume();
    expect(s.onTargetTrade(buy, new FakeStrategyContext()).actions[0]).toMatchObject({ kind: 'order' });
  });

  it('an unusable action (float size) pauses the strategy instead of reaching the venue', () => {
    const sloppy = defineStrategy({
      name: 'sloppy',
      description: 'returns dollars instead of micros',
      kind: 'copy',
      params: z.object({}),
      create: () => ({
        onTargetTrade: (e): StrategyAction => ({
          kind: 'order',
          intent: { tokenId: e.trade.tokenId, side: 'BUY', type: 'FOK', limitPriceMicros: 0.5, amountMicros: 2.16 },
        }),
      }),
    });
    const s = StrategyInstance.fromRaw(sloppy, {}, 'sloppy#1');
    const r = s.onTargetTrade(buy, new FakeStrategyContext());
    expect(r.error?.message).toBe(
      'strategy sloppy#1 paused: onTargetTrade returned an unusable action: limitPriceMicros must be an integer in (0, 1000000), got 0.5',
    );
    expect(s.paused).toBe(true);
  });

  it('exposes wallets (lower-cased) from subscriptions and tokens', () => {
    const s = StrategyInstance.fromRaw(builtinStrategies['fade']!, { wallets: [WALLET.toUpperCase().replace('0X', '0x')] }, 'f');
    expect(s.wallets).toEqual([WALLET]);
    expect(s.tokens).toEqual([]);
  });

  it('setMultiplier changes the next copy; tiers move their scale; fixed sizing refuses', () => {
    const s = StrategyInstance.fromRaw(
      builtinStrategies['mirror']!,
      { wallets: [WALLET], sizing: { mode: 'multiplier', multiplier: 0.5 } },
      'm',
    );
    expect(s.multiplier).toBe(0.5);
    expect(s.setMultiplier(0.25)).toBe(0.25);
    expect(s.onTargetTrade(buy, new FakeStrategyContext()).actions[0]).toMatchObject({ intent: { amountMicros: 1_080_000 } });

    const tiers = StrategyInstance.fromRaw(
      builtinStrategies['mirror']!,
      { wallets: [WALLET], sizing: { mode: 'tiers', tiers: [{ minTargetUsdc: 0, usdc: 2 }] } },
      't',
    );
    expect(tiers.multiplier).toBe(1);
    expect(tiers.setMultiplier(1.5)).toBe(1.5);
    expect(tiers.onTargetTrade(buy, new FakeStrategyContext()).actions[0]).toMatchObject({ intent: { amountMicros: 3 * M } });

    const fixed = StrategyInstance.fromRaw(builtinStrategies['mirror']!, { wallets: [WALLET], sizing: { mode: 'fixed', usdc: 5 } }, 'x');
    expect(fixed.multiplier).toBeUndefined();
    expect(() => fixed.setMultiplier(2)).toThrow('strategy x sizes by fixed; a multiplier applies only to multiplier or tiers sizing');
    expect(() => s.setMultiplier(0)).toThrow('multiplier must be a number > 0');

    const prop = StrategyInstance.fromRaw(builtinStrategies['proportional']!, { wallets: [WALLET] }, 'p');
    expect(prop.setMultiplier(3)).toBe(3);
    expect(prop.params['multiplier']).toBe(3);
  });

  it('two instances on default sizing do not share a multiplier', () => {
    const a = StrategyInstance.fromRaw(builtinStrategies['mirror']!, { wallets: [WALLET] }, 'a');
    const b = StrategyInstance.fromRaw(builtinStrategies['mirror']!, { wallets: [WALLET] }, 'b');
    a.setMultiplier(4);
    expect(b.multiplier).toBe(1);
    expect(StrategyInstance.fromRaw(builtinStrategies['mirror']!, { wallets: [WALLET] }, 'c').multiplier).toBe(1);
  });

  it('a create() that throws is a StrategyError at startup', () => {
    const broken = defineStrategy({
      name: 'broken-create',
      description: '',
      kind: 'market',
      params: z.object({}),
      create: () => {
        throw new Error('needs a token list');
      },
    });
    expect(() => StrategyInstance.fromRaw(broken, {}, 'b#1')).toThrow('strategy b#1 failed to start: needs a token list');
  });
});

describe('actionProblem', () => {
  it('accepts well-formed actions and names what is wrong with the others', () => {
    expect(actionProblem({ kind: 'skip', reason: 'x', message: '' })).toBeUndefined();
    expect(actionProblem({ kind: 'cancel', clientOrderId: 'o-1', reason: '' })).toBeUndefined();
    expect(
      actionProblem({ kind: 'order', intent: { tokenId: 't', side: 'SELL', type: 'FAK', limitPriceMicros: 500_000, sizeMicros: 5 * M } }),
    ).toBeUndefined();
    expect(actionProblem({ kind: 'order', intent: { tokenId: 't', side: 'BUY', type: 'FOK', limitPriceMicros: 500_000 } })).toBe(
      'order needs sizeMicros (shares) or amountMicros (USDC)',
    );
    expect(actionProblem({ kind: 'skip', message: 'no reason' })).toBe('skip without a reason code');
    expect(actionProblem({ kind: 'buy' })).toBe('unknown action kind "buy"');
  });
});
