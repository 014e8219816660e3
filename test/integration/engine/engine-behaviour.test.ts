/** Engine-level behaviour a user relies on: isolation of a failing strategy, halts, never overselling. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EngineEvent, TargetTradeSeen } from '../../../src/core/events.ts';
import { InvariantError } from '../../../src/core/errors.ts';
import type { Alert } from '../../../src/core/ports.ts';
import { fillKey } from '../../../src/core/dedup.ts';
import { defineStrategy } from '../../../src/strategy/api.ts';
import { builtinStrategies } from '../../../src/strategy/builtin/index.ts';
import { parseStrategyParams } from '../../../src/strategy/loader.ts';
import { z } from 'zod';
import { YES_NO_MARKET, buildHarness } from '../../helpers/engine-harness.ts';

const WALLET = '0x' + '1'.repeat(40);
const market = YES_NO_MARKET;

function trade(i: number, side: 'BUY' | 'SELL', shares: number, price: number, tokenId = 'yes'): TargetTradeSeen {
  const sizeMicros = shares * 1_000_000;
  const priceMicros = Math.round(price * 1_000_000);
  return {
    type: 'target_trade',
    source: 'import:test',
    seq: i,
    tsEvent: 1000 * i,
    tsRecv: 1000 * i,
    trade: {
      wallet: WALLET,
      txHash: `0x${i}`,
      tokenId,
      conditionId: 'c1',
      side,
      sizeMicros,
      priceMicros,
      usdcMicros: (sizeMicros * priceMicros) / 1e6,
      outcome: 'Yes',
    },
  };
}

function mirror(multiplier = 1) {
  const definition = builtinStrategies['mirror']!;
  return {
    definition,
    params: parseStrategyParams(definition, { wallets: [WALLET], sizing: { mode: 'multiplier', multiplier } }) as Record<string, unknown>,
  };
}

const exploding = defineStrategy({
  apiVersion: 1,
  name: 'exploding',
  description: 'throws on every trade',
  kind: 'copy',
  params: z.object({ wallets: z.array(z.string()) }),
  subscriptions: (p) => ({ wallets: p.wallets }),
  create: () => ({
    onTargetTrade: () => {
      throw new Error('boom');
    },
  }),
});

describe('engine behaviour', () => {
  it('pauses a strategy that throws, alerts, and lets the others go on', () => {
    const alerts: Alert[] = [];
    const h = buildHarness({
      strategies: [{ definition: exploding, params: { wallets: [WALLET] } }, mirror()],
      listeners: [{ onAlert: (a) => alerts.push(a) }],
    });
    h.feed([market, trade(1, 'BUY', 10, 0.5), trade(2, 'BUY', 10, 0.5)]);
    const [bad, good] = h.engine.snapshot().strategies;
    expect(bad!.paused).toBe(true);
    expect(bad!.pausedReason).toMatch(/boom/);
    expect(alerts.filter((a) => a.code === 'strategy_error')).toHaveLength(1);
    expect(good!.copies).toBe(2);
    // The paused strategy still answers each trade: first with the error, then as paused.
    const badReasons = h.decisions.filter((d) => d.strategyId === bad!.id).map((d) => d.reason);
    expect(badReasons).toEqual(['strategy_error', 'strategy_paused']);
  });

  it('halts on the daily loss limit, cancels resting orders and denies new ones', () => {
    const alerts: Alert[] = [];
    const definition = builtinStrategies['mirror']!;
    const params = parseStrategyParams(definition, {
      wallets: [WALLET],
      sizing: { mode: 'multiplier', multiplier: 1 },
      orderType: 'GTC',
    }) as Record<string, unknown>;
    const h = buildHarness({
      fillModel: 'book-walk',
      strategies: [{ definition, params }],
      limits: { maxDailyLossUsdcMicros: 20_000_000 },
      cashMicros: 1_000_000_000,
      listeners: [{ onAlert: (a) => alerts.push(a) }],
    });
    const book = (bid: number, ask: number, t: number): EngineEvent => ({
      type: 'book_snapshot',
      tokenId: 'yes',
      tsEvent: t,
      tsRecv: t,
      bids: [{ priceMicros: bid, sizeMicros: 1e9 }],
      asks: [{ priceMicros: ask, sizeMicros: 1e9 }],
    });
    // A GTC BUY of 100 @ 0.50 fills against the ask; a second GTC BUY at 0.03 rests.
    h.feed([market, book(490_000, 500_000, 500), trade(1, 'BUY', 100, 0.5), trade(2, 'BUY', 100, 0.03)]);
    expect(h.engine.openOrders()).toHaveLength(1);
    // The market collapses without reaching our 0.03 bid: 100 shares marked from 0.50 to 0.04 lose $46 > $20.
    h.feed([book(20_000, 60_000, 70_000), trade(3, 'BUY', 10, 0.05)]);
    expect(h.engine.snapshot().riskState).toBe('halted');
    expect(h.engine.portfolio.equityMicros()).toBe(h.engine.portfolio.total.equity(h.engine.portfolio.mark));
    expect(alerts.some((a) => a.code === 'halted_daily_loss' && a.level === 'critical')).toBe(true);
    expect(h.engine.openOrders()).toHaveLength(0);
    expect(h.orderEvents.some((e) => e.type === 'order_cancelled')).toBe(true);
    const last = h.decisions.at(-1)!;
    expect(last.action).toBe('deny');
    expect(last.reason).toBe('risk_halted');
  });

  it('never sells more than it holds, whatever the target does (property)', () => {
    const step = fc.record({
      sell: fc.boolean(),
      shares: fc.integer({ min: 1, max: 200 }),
      price: fc.integer({ min: 5, max: 95 }),
      token: fc.constantFrom('yes', 'no'),
    });
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 40 }), fc.constantFrom(0.3, 1, 2.5), (steps, multiplier) => {
        const h = buildHarness({ strategies: [mirror(multiplier)], cashMicros: 1_000_000_000_000 });
        h.feed([market, ...steps.map((s, i) => trade(i + 1, s.sell ? 'SELL' : 'BUY', s.shares, s.price / 100, s.token))]);
        // The ledger throws on an oversell, so reaching here means none happened; check the books too.
        for (const p of h.engine.portfolio.total.all()) expect(p.sizeMicros).toBeGreaterThanOrEqual(0);
        for (const e of h.orderEvents)
          if (e.type === 'order_filled' && e.fill.side === 'SELL') expect(e.fill.sizeMicros).toBeLessThanOrEqual(e.order.sizeMicros);
        expect(h.engine.stats.strategyErrors).toBe(0);
        // Equity kept incrementally equals equity recomputed from scratch.
        const { portfolio } = h.engine;
        expect(portfolio.equityMicros()).toBe(portfolio.total.equity(portfolio.mark));
      }),
      { numRuns: 150 },
    );
  });
});

describe('a broken invariant', () => {
  it('stops trading: a fill that sells more than we hold halts risk, cancels every order, alerts, and is thrown', () => {
    const alerts: Alert[] = [];
    const definition = builtinStrategies['mirror']!;
    const params = parseStrategyParams(definition, { wallets: [WALLET], orderType: 'GTC' }) as Record<string, unknown>;
    const h = buildHarness({
      fillModel: 'book-walk',
      strategies: [{ definition, params }],
      listeners: [{ onAlert: (a) => alerts.push(a) }],
    });
    // A GTC BUY at 0.03 rests (the ask is far above it).
    h.feed([market, trade(1, 'BUY', 100, 0.03)]);
    expect(h.engine.openOrders()).toHaveLength(1);
    const order = h.engine.openOrders()[0]!;
    const fill = {
      ...order,
      side: 'SELL' as const,
      fillId: 'f-bad',
      priceMicros: 500_000,
      sizeMicros: 10_000_000,
      feeMicros: 0,
      liquidity: 'taker' as const,
      tsMs: 5000,
    };
    expect(() => h.engine.handle({ type: 'order_filled', tsEvent: 5000, tsRecv: 5000, order: { ...order, side: 'SELL' }, fill })).toThrow(
      InvariantError,
    );
    expect(h.engine.snapshot().riskState).toBe('halted');
    expect(h.engine.openOrders()).toEqual([]);
    expect(alerts.at(-1)).toMatchObject({ level: 'critical', code: 'invariant_broken' });
    expect(alerts.at(-1)!.message).toMatch(/SELL of 10000000 exceeds holdings 0 in yes; trading stopped$/);
  });
});

describe('stale trades', () => {
  it('skips a target trade older than maxTradeAgeMs instead of copying it at today’s prices', () => {
    const h = buildHarness({ strategies: [mirror()], startMs: 1_000_000, maxTradeAgeMs: 60_000 });
    h.engine.handle(market);
    h.engine.handle({ ...trade(1, 'BUY', 10, 0.5), tsEvent: 1_000_000 - 120_000 }); // two minutes old
    h.engine.handle({ ...trade(2, 'BUY', 10, 0.5), tsEvent: 1_000_000 - 5_000 });
    expect(h.decisions.map((d) => [d.action, d.reason])).toEqual([
      ['skip', 'stale_trade'],
      ['copy', 'approved'],
    ]);
    expect(h.decisions[0]!.message).toMatch(/120 s old/);
  });

  it('decides a fill again after a restart only for the strategies whose copy was lost, stale ones as stale_after_restart', () => {
    const fresh = trade(1, 'BUY', 10, 0.5);
    const old = { ...trade(2, 'BUY', 10, 0.5), tsEvent: 1_000_000 - 120_000 };
    const h = buildHarness({
      strategies: [
        { ...mirror(), id: 'sent' },
        { ...mirror(), id: 'lost' },
      ],
      startMs: 1_000_000,
      maxTradeAgeMs: 60_000,
      redecide: new Map([
        [fillKey(fresh.trade, 1), new Set(['lost'])],
        [fillKey(old.trade, 1), new Set(['lost'])],
      ]),
    });
    h.engine.handle(market);
    h.engine.handle({ ...fresh, tsEvent: 1_000_000 - 5_000 });
    h.engine.handle(old);
    h.engine.handle({ ...trade(3, 'BUY', 10, 0.5), tsEvent: 1_000_000 - 1_000 });
    expect(h.decisions.map((d) => [d.strategyId, d.action, d.reason])).toEqual([
      ['lost', 'copy', 'approved'],
      ['lost', 'skip', 'stale_after_restart'],
      ['sent', 'copy', 'approved'],
      ['lost', 'copy', 'approved'],
    ]);
  });
});
