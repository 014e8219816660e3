/**
 * What strategies/README.md promises a strategy author, each checked through the real engine
 * (SimVenue, RiskManager, order shaping) rather than against the strategy instance alone.
 */
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import type { EngineEvent, TargetTradeSeen } from '../../../src/core/events.ts';
import type { Alert } from '../../../src/core/ports.ts';
import type { Fill } from '../../../src/core/types.ts';
import { defineStrategy, type StrategyAction, type StrategyDefinition } from '../../../src/strategy/api.ts';
import { builtinStrategies } from '../../../src/strategy/builtin/index.ts';
import { StrategyError } from '../../../src/strategy/errors.ts';
import { parseStrategyParams } from '../../../src/strategy/loader.ts';
import type { StrategySpec } from '../../../src/strategy/strategy-instance.ts';
import { YES_NO_MARKET, buildHarness, type Harness } from '../../helpers/engine-harness.ts';

const M = 1_000_000;
const WALLET = '0x' + '1'.repeat(40);
const OTHER = '0x' + '2'.repeat(40);
const market = YES_NO_MARKET;

function trade(i: number, side: 'BUY' | 'SELL', shares: number, price: number, wallet = WALLET): TargetTradeSeen {
  const sizeMicros = shares * M;
  const priceMicros = Math.round(price * M);
  return {
    type: 'target_trade',
    source: 'import:test',
    seq: i,
    tsEvent: 1000 * i,
    tsRecv: 1000 * i,
    trade: {
      wallet,
      txHash: `0x${i}`,
      tokenId: 'yes',
      conditionId: 'c1',
      side,
      sizeMicros,
      priceMicros,
      usdcMicros: (sizeMicros * priceMicros) / M,
      outcome: 'Yes',
    },
  };
}

function book(tsMs: number, bid: number, ask: number): EngineEvent {
  return {
    type: 'book_snapshot',
    tokenId: 'yes',
    tsEvent: tsMs,
    tsRecv: tsMs,
    bids: [{ priceMicros: bid, sizeMicros: 1_000 * M }],
    asks: [{ priceMicros: ask, sizeMicros: 1_000 * M }],
  };
}

function builtin(name: string, raw: Record<string, unknown>, id?: string): StrategySpec {
  const definition = builtinStrategies[name]!;
  return { definition, params: parseStrategyParams(definition, { wallets: [WALLET], ...raw }) as Record<string, unknown>, id };
}

/** A copy strategy whose answer to each target trade a test chooses. */
function scripted(name: string, answer: (e: TargetTradeSeen) => StrategyAction | StrategyAction[] | void): StrategySpec {
  const definition = defineStrategy({
    apiVersion: 1,
    name,
    description: 'answers as the test says',
    kind: 'copy',
    params: z.object({ wallets: z.array(z.string()) }),
    subscriptions: (p) => ({ wallets: p.wallets }),
    create: () => ({ onTargetTrade: (e) => answer(e) }),
  });
  return { definition: definition as StrategyDefinition, params: { wallets: [WALLET] } };
}

function withAlerts(strategies: StrategySpec[], extra: Parameters<typeof buildHarness>[0] = { strategies }) {
  const alerts: Alert[] = [];
  const h = buildHarness({ ...extra, strategies, listeners: [{ onAlert: (a) => alerts.push(a) }] });
  return { h, alerts };
}

const reasons = (h: Harness, strategyId?: string) =>
  h.decisions.filter((d) => !strategyId || d.strategyId === strategyId).map((d) => d.reason);
const status = (h: Harness, id: string) => h.engine.snapshot().strategies.find((s) => s.id === id)!;

describe('a handler that throws', () => {
  it('pauses that strategy only, raises an alert with the message, and answers every trade', () => {
    const throwing = scripted('throwing', (e) => {
      throw new Error(`cannot handle ${e.trade.side} of ${e.trade.sizeMicros}`);
    });
    const { h, alerts } = withAlerts([{ ...throwing, id: 'throwing#1' }, builtin('mirror', {}, 'mirror#1')]);
    h.feed([market, trade(1, 'BUY', 10, 0.5), trade(2, 'BUY', 10, 0.5)]);

    expect(alerts.filter((a) => a.code === 'strategy_error')).toEqual([
      expect.objectContaining({
        level: 'critical',
        message: 'strategy throwing#1 paused: onTargetTrade threw: cannot handle BUY of 10000000',
        details: { strategyId: 'throwing#1', handler: 'onTargetTrade' },
      }),
    ]);
    expect(status(h, 'throwing#1')).toMatchObject({ paused: true, pausedReason: 'onTargetTrade threw: cannot handle BUY of 10000000' });
    // The failing trade is answered with the error, later ones as paused; the other strategy copies both.
    expect(reasons(h, 'throwing#1')).toEqual(['strategy_error', 'strategy_paused']);
    expect(h.decisions.find((d) => d.reason === 'strategy_paused')!.message).toBe(
      'strategy throwing#1 is paused: onTargetTrade threw: cannot handle BUY of 10000000',
    );
    expect(reasons(h, 'mirror#1')).toEqual(['approved', 'approved']);
    expect(h.engine.stats.strategyErrors).toBe(1);
  });

  it('runs again once resumed (the TUI resumes it after a fix)', () => {
    let calls = 0;
    const flaky = scripted('flaky', (e) => {
      calls++;
      if (calls === 1) throw new Error('first call fails');
      return { kind: 'skip', reason: 'below_threshold', message: `seen ${e.trade.txHash}` };
    });
    const { h } = withAlerts([{ ...flaky, id: 'flaky#1' }]);
    h.feed([market, trade(1, 'BUY', 10, 0.5), trade(2, 'BUY', 10, 0.5)]);
    expect(calls).toBe(1);
    h.engine.control.resumeStrategy('flaky#1');
    h.feed([trade(3, 'BUY', 10, 0.5)]);
    expect(calls).toBe(2);
    expect(reasons(h)).toEqual(['strategy_error', 'strategy_paused', 'below_threshold']);
  });

  it('in create() stops the run at startup, naming the instance', () => {
    const broken = defineStrategy({
      apiVersion: 1,
      name: 'broken-create',
      description: '',
      kind: 'market',
      params: z.object({}),
      create: () => {
        throw new Error('needs a token list');
      },
    });
    const start = () => buildHarness({ strategies: [{ definition: broken as StrategyDefinition, params: {} }] });
    expect(start).toThrow(StrategyError);
    expect(start).toThrow('strategy broken-create#1 failed to start: needs a token list');
  });
});

describe('an unusable action pauses the strategy instead of trading', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['a float limit price', { limitPriceMicros: 0.5, amountMicros: 2 * M }, 'limitPriceMicros must be an integer in (0, 1000000), got 0.5'],
    [
      'a price of 1 or more',
      { limitPriceMicros: M, amountMicros: 2 * M },
      'limitPriceMicros must be an integer in (0, 1000000), got 1000000',
    ],
    [
      'a fractional micro amount',
      { limitPriceMicros: 500_000, amountMicros: 2.16 },
      'amountMicros must be a positive integer of micro-units, got 2.16',
    ],
    ['no size at all', { limitPriceMicros: 500_000 }, 'order needs sizeMicros (shares) or amountMicros (USDC)'],
    [
      'a cause that is no event',
      { limitPriceMicros: 500_000, amountMicros: 2 * M, cause: null },
      'cause must be the target trade event the order copies',
    ],
    [
      'a key that is no text',
      { limitPriceMicros: 500_000, amountMicros: 2 * M, causeKey: 7 },
      "causeKey must be the trade's key as text, got number",
    ],
  ];
  for (const [what, numbers, problem] of cases) {
    it(`${what}: no order reaches the venue, the alert says what is wrong`, () => {
      const sloppy = scripted('sloppy', (e) => ({
        kind: 'order',
        intent: { tokenId: e.trade.tokenId, side: 'BUY', type: 'FOK', limitPriceMicros: 0, ...numbers },
      }));
      const { h, alerts } = withAlerts([{ ...sloppy, id: 'sloppy#1' }]);
      h.feed([market, book(500, 490_000, 500_000), trade(1, 'BUY', 10, 0.5), trade(2, 'BUY', 10, 0.5)]);
      expect(h.orderEvents).toEqual([]);
      expect(alerts.map((a) => a.message)).toEqual([`strategy sloppy#1 paused: onTargetTrade returned an unusable action: ${problem}`]);
      expect(reasons(h)).toEqual(['strategy_error', 'strategy_paused']);
      expect(status(h, 'sloppy#1').paused).toBe(true);
    });
  }

  it('a skip with a code docs/reasons.md does not list pauses it; custom:<code> is a strategy’s own', () => {
    const own = scripted('own-codes', (e) => ({
      kind: 'skip',
      reason: e.seq === 1 ? 'custom:too-early' : ('too_early' as never),
      message: 'not yet',
    }));
    const { h, alerts } = withAlerts([{ ...own, id: 'own#1' }]);
    h.feed([market, trade(1, 'BUY', 10, 0.5), trade(2, 'BUY', 10, 0.5)]);
    expect(reasons(h)).toEqual(['custom:too-early', 'strategy_error']);
    expect(alerts[0]!.message).toBe(
      'strategy own#1 paused: onTargetTrade returned an unusable action: skip reason "too_early" is not a code of docs/reasons.md; a strategy\'s own code is written "custom:too_early"',
    );
  });

  it('one bad action in a list drops the whole list', () => {
    const mixed = scripted('mixed', (e) => [
      { kind: 'order', intent: { tokenId: e.trade.tokenId, side: 'BUY', type: 'FOK', limitPriceMicros: 500_000, amountMicros: 2 * M } },
      { kind: 'skip', reason: '' as never, message: 'no reason code' },
    ]);
    const { h } = withAlerts([mixed]);
    h.feed([market, trade(1, 'BUY', 10, 0.5)]);
    expect(h.orderEvents).toEqual([]);
    expect(reasons(h)).toEqual(['strategy_error']);
  });
});

describe('every target trade gets an answer', () => {
  it('an order is shaped to the market (tick, size) and decided; a skip keeps its reason and numbers', () => {
    const answers = scripted('answers', (e) =>
      e.trade.side === 'BUY'
        ? {
            kind: 'order',
            intent: { tokenId: 'yes', side: 'BUY', type: 'GTC', limitPriceMicros: 503_000, sizeMicros: 10_123_456, causeKey: e.key },
          }
        : { kind: 'skip', reason: 'below_threshold', message: 'not selling', details: { priceMicros: e.trade.priceMicros } },
    );
    const { h } = withAlerts([answers]);
    h.feed([market, trade(1, 'BUY', 10, 0.5), trade(2, 'SELL', 10, 0.5)]);
    const [copy, skip] = h.decisions;
    expect(copy).toMatchObject({ action: 'copy', reason: 'approved', details: { priceMicros: 500_000, sizeMicros: 10_120_000 } });
    expect(skip).toMatchObject({ action: 'skip', reason: 'below_threshold', message: 'not selling', details: { priceMicros: 500_000 } });
  });

  it('a handler that returns nothing is recorded as no_action', () => {
    const silent = scripted('silent', () => undefined);
    const { h } = withAlerts([{ ...silent, id: 'silent#1' }]);
    h.feed([market, trade(1, 'BUY', 10, 0.5)]);
    expect(h.decisions).toEqual([
      expect.objectContaining({ action: 'skip', reason: 'no_action', message: 'strategy silent#1 returned no action' }),
    ]);
  });

  it('risk checks run on every order: a denial is a decision with the failing check', () => {
    const { h } = withAlerts([builtin('mirror', {})], { strategies: [], limits: { maxOrderUsdcMicros: 3 * M } });
    h.feed([market, trade(1, 'BUY', 10, 0.5)]);
    expect(h.decisions).toEqual([expect.objectContaining({ action: 'deny', reason: 'max_order_usdc' })]);
    expect(h.orderEvents).toEqual([]);
  });

  it('the same target fill seen twice is decided once', () => {
    const { h } = withAlerts([builtin('mirror', {})]);
    const t = { ...trade(1, 'BUY', 10, 0.5), key: 'tx1:yes:BUY:10:0.5#1' };
    h.feed([market, t, { ...t, source: 'data-api', seq: 2 }]);
    expect(h.decisions).toHaveLength(1);
    expect(h.engine.stats.duplicates).toBe(1);
  });

  it('ctx.targetPosition is the position before the trade being handled (a SELL of 40% sells 40% of ours)', () => {
    const { h } = withAlerts([builtin('mirror', {})]);
    h.feed([market, trade(1, 'BUY', 100, 0.5), trade(2, 'SELL', 40, 0.5)]);
    const sells = h.orderEvents.filter((e) => e.type === 'order_filled' && e.fill.side === 'SELL');
    expect(sells.map((e) => (e.type === 'order_filled' ? e.fill.sizeMicros : 0))).toEqual([40 * M]);
  });
});

describe('pause and resume from the TUI (space)', () => {
  it('a paused strategy answers trades with strategy_paused and copies again once resumed', () => {
    const { h } = withAlerts([builtin('mirror', {}, 'm')]);
    h.feed([market]);
    h.engine.control.pauseStrategy('m', 'user pressed space');
    h.feed([trade(1, 'BUY', 10, 0.5)]);
    expect(h.decisions.at(-1)).toMatchObject({ reason: 'strategy_paused', message: 'strategy m is paused: user pressed space' });
    h.engine.control.resumeStrategy('m');
    h.feed([trade(2, 'BUY', 10, 0.5)]);
    expect(h.decisions.at(-1)).toMatchObject({ action: 'copy', reason: 'approved' });
  });
});

/** A market strategy that rests two GTC bids at start and reports what it was told. */
function restingBids(seen: { fills: Fill[]; resolutions: number; timers: string[] }) {
  const definition = defineStrategy({
    apiVersion: 1,
    name: 'resting-bids',
    description: 'two bids, and an answer to every fill',
    kind: 'market',
    params: z.object({}),
    subscriptions: () => ({ tokens: ['yes'] }),
    create: () => {
      let quoted = false;
      return {
        onStart: (ctx) => {
          ctx.setTimer(ctx.clock.now() + 5_000, 'five-seconds');
        },
        onBook: (): StrategyAction[] => {
          if (quoted) return [];
          quoted = true;
          return [
            { kind: 'order', intent: { tokenId: 'yes', side: 'BUY', type: 'GTC', limitPriceMicros: 400_000, sizeMicros: 10 * M } },
            { kind: 'order', intent: { tokenId: 'yes', side: 'BUY', type: 'GTC', limitPriceMicros: 300_000, sizeMicros: 10 * M } },
          ];
        },
        onFill: (fill, ctx) => {
          seen.fills.push(fill);
          const others = ctx.openOrders().filter((o) => o.clientOrderId !== fill.clientOrderId);
          return [
            // A new order from a paused strategy must not go out; its cancels must.
            {
              kind: 'order',
              intent: { tokenId: 'yes', side: 'SELL', type: 'GTC', limitPriceMicros: 600_000, sizeMicros: fill.sizeMicros },
            },
            ...others.map((o): StrategyAction => ({ kind: 'cancel', clientOrderId: o.clientOrderId, reason: 'custom:one-fill-is-enough' })),
          ];
        },
        onResolution: () => {
          seen.resolutions++;
        },
        onTimer: (tag) => {
          seen.timers.push(tag);
        },
      };
    },
  });
  return { definition: definition as StrategyDefinition, params: {}, id: 'bids#1' };
}

describe('while paused', () => {
  it('onFill is still delivered, and only its cancels pass', () => {
    const seen = { fills: [] as Fill[], resolutions: 0, timers: [] as string[] };
    const h = buildHarness({ strategies: [restingBids(seen)], fillModel: 'book-walk' });
    h.feed([market, book(100, 350_000, 450_000)]);
    expect(h.engine.openOrders()).toHaveLength(2);
    h.engine.control.pauseStrategy('bids#1', 'user pressed space');
    // The ask comes down through our 0.40 bid: it fills as a maker.
    h.feed([book(200, 350_000, 390_000)]);
    expect(seen.fills.map((f) => [f.priceMicros, f.sizeMicros])).toEqual([[400_000, 10 * M]]);
    expect(h.engine.openOrders()).toEqual([]);
    expect(h.decisions.map((d) => [d.action, d.reason])).toEqual([
      ['order', 'approved'],
      ['order', 'approved'],
      ['cancel', 'custom:one-fill-is-enough'],
    ]);
    expect(h.orderEvents.filter((e) => e.type === 'order_cancelled')).toHaveLength(1);
  });

  it('onResolution is still delivered; timers that fire are dropped', () => {
    const seen = { fills: [] as Fill[], resolutions: 0, timers: [] as string[] };
    const h = buildHarness({ strategies: [restingBids(seen)], fillModel: 'book-walk' });
    h.feed([market, book(100, 350_000, 450_000)]);
    h.engine.control.pauseStrategy('bids#1', 'user pressed space');
    h.clock.advanceTo(10_000);
    h.feed([{ type: 'market_resolved', tsEvent: 10_000, tsRecv: 10_000, conditionId: 'c1', payouts: { yes: M, no: 0 } }]);
    expect(seen.timers).toEqual([]);
    expect(seen.resolutions).toBe(1);
  });

  it('a running strategy gets its timer with the tag, at the time it asked for', () => {
    const seen = { fills: [] as Fill[], resolutions: 0, timers: [] as string[] };
    const h = buildHarness({ strategies: [restingBids(seen)], fillModel: 'book-walk' });
    h.feed([market]);
    h.clock.advanceTo(4_999);
    expect(seen.timers).toEqual([]);
    h.clock.advanceTo(5_000);
    expect(seen.timers).toEqual(['five-seconds']);
  });
});

describe('knobs: the multiplier the TUI turns with + / -', () => {
  const buyAmounts = (h: Harness) =>
    h.orderEvents.filter((e) => e.type === 'order_accepted').map((e) => (e.type === 'order_accepted' ? e.order.amountMicros : 0));

  it('applies to the next copy, kept to 6 decimals', () => {
    const { h } = withAlerts([builtin('mirror', { sizing: { mode: 'multiplier', multiplier: 0.5 } }, 'm')]);
    h.feed([market, trade(1, 'BUY', 100, 0.5)]);
    expect(h.engine.control.setMultiplier('m', 0.25)).toBe(0.25);
    h.feed([trade(2, 'BUY', 100, 0.5)]);
    // 100 × 0.5 shares at 0.50, then 100 × 0.25.
    expect(buyAmounts(h)).toEqual([25 * M, 12.5 * M]);
    expect(h.engine.control.setMultiplier('m', 0.1234567)).toBe(0.123457);
    expect(status(h, 'm')).toMatchObject({
      multiplier: 0.123457,
      knobs: [expect.objectContaining({ name: 'multiplier', value: 0.123457 })],
    });
  });

  it('moves a tiers scale; proportional turns its own multiplier', () => {
    const tiers = builtin('mirror', { sizing: { mode: 'tiers', tiers: [{ minTargetUsdc: 0, usdc: 2 }] } }, 't');
    const { h } = withAlerts([tiers]);
    expect(status(h, 't').multiplier).toBe(1);
    expect(h.engine.control.setMultiplier('t', 1.5)).toBe(1.5);
    h.feed([market, trade(1, 'BUY', 10, 0.5)]);
    expect(buyAmounts(h)).toEqual([3 * M]);

    const p = withAlerts([builtin('proportional', {}, 'p')]).h;
    expect(p.engine.control.setMultiplier('p', 3)).toBe(3);
    expect(status(p, 'p').knobs).toEqual([
      { name: 'multiplier', description: 'extra factor on top of my equity ÷ target value', value: 3, min: 0.000001, max: 100 },
    ]);
  });

  it('refuses with the reason: fixed sizing, zero, an unknown knob or strategy', () => {
    const { h } = withAlerts([builtin('mirror', { sizing: { mode: 'fixed', usdc: 5 } }, 'x')]);
    expect(status(h, 'x').multiplier).toBeUndefined();
    expect(() => h.engine.control.setMultiplier('x', 2)).toThrow(
      'strategy x: sizes by fixed; a multiplier applies only to multiplier or tiers sizing',
    );
    expect(() => h.engine.control.setMultiplier('x', 0)).toThrow('strategy x: multiplier must be a number in [0.000001, 100], got 0');
    const m = withAlerts([builtin('mirror', {}, 'm')]).h;
    expect(() => m.engine.control.setMultiplier('m', 101)).toThrow('strategy m: multiplier must be a number in [0.000001, 100], got 101');
    expect(() => h.engine.control.setKnob('x', 'speed', 2)).toThrow('strategy x has no speed knob (its knobs: multiplier)');
    expect(() => h.engine.control.setMultiplier('nope', 2)).toThrow('no strategy nope in this run');
  });

  it('two instances of one strategy do not share a multiplier', () => {
    const { h } = withAlerts([
      builtin('mirror', {}, 'a'),
      {
        ...builtin('mirror', {}, 'b'),
        params: parseStrategyParams(builtinStrategies['mirror']!, { wallets: [OTHER] }) as Record<string, unknown>,
      },
    ]);
    h.engine.control.setMultiplier('a', 4);
    expect(status(h, 'a').multiplier).toBe(4);
    expect(status(h, 'b').multiplier).toBe(1);
  });
});

describe('ctx.random() is seeded', () => {
  it('the same seed gives the same numbers in two runs', () => {
    const draw = (seed: number) => {
      const seen: number[] = [];
      const spec = scripted('dice', () => undefined);
      const dice = defineStrategy({
        ...(spec.definition as StrategyDefinition),
        create: () => ({
          onTargetTrade: (_e, ctx) => {
            seen.push(ctx.random());
            return { kind: 'skip', reason: 'below_threshold', message: 'rolled' };
          },
        }),
      });
      const h = buildHarness({ strategies: [{ definition: dice, params: spec.params }], seed });
      h.feed([market, trade(1, 'BUY', 10, 0.5), trade(2, 'BUY', 10, 0.5)]);
      return seen;
    };
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
  });
});
