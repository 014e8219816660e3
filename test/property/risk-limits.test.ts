import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mulDiv, notional, sharesFor } from '../../src/core/money.ts';
import type { MarketInfo, Order, RiskState } from '../../src/core/types.ts';
import { RiskManager } from '../../src/risk/risk-manager.ts';
import type { AccountView, RiskLimits } from '../../src/risk/types.ts';

const USD = 1_000_000;
const DAY_MS = 86_400_000;
const TOKENS = ['t0', 't1', 't2', 't3', 't4', 't5', 't6', 't7'];
const marketOf = (token: string) => `0xc${Math.floor(Number(token.slice(1)) / 2)}`;

/** A small account that fills approved orders at their limit price, or leaves BUYs working. */
class ModelAccount {
  cash: number;
  positions = new Map<string, { size: number; cost: number }>();
  pending: { order: Order; cost: number }[] = [];

  constructor(cash: number) {
    this.cash = cash;
  }

  view(): AccountView {
    const open = () => [...this.positions.entries()].filter(([, p]) => p.size > 0);
    const reserved = this.pending.reduce((s, p) => s + p.cost, 0);
    return {
      cashMicros: this.cash - reserved,
      equityMicros: this.cash + open().reduce((s, [, p]) => s + p.cost, 0),
      positionSize: (t) => this.positions.get(t)?.size ?? 0,
      marketExposure: (c) =>
        open()
          .filter(([t]) => marketOf(t) === c)
          .reduce((s, [, p]) => s + p.cost, 0),
      totalExposure: () => open().reduce((s, [, p]) => s + p.cost, 0),
      marketsHeld: () => new Set(open().map(([t]) => marketOf(t))),
      pendingBuys: () => this.pending.map((p) => ({ conditionId: p.order.conditionId, costMicros: p.cost })),
    };
  }

  fillBuy(order: Order, cost: number): void {
    const size = order.amountMicros !== undefined ? sharesFor(cost, order.priceMicros) : order.sizeMicros;
    const p = this.positions.get(order.tokenId) ?? { size: 0, cost: 0 };
    this.positions.set(order.tokenId, { size: p.size + size, cost: p.cost + cost });
    this.cash -= cost;
  }

  fillSell(order: Order): void {
    const p = this.positions.get(order.tokenId)!;
    const costOut = mulDiv(p.cost, order.sizeMicros, p.size, 'floor');
    this.positions.set(order.tokenId, { size: p.size - order.sizeMicros, cost: p.cost - costOut });
    this.cash += notional(order.sizeMicros, order.priceMicros, 'floor');
  }
}

const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 2 });
const limitsArb: fc.Arbitrary<RiskLimits> = fc.record({
  minOrderUsdcMicros: optional(fc.integer({ min: 0, max: 5 * USD })),
  maxOrderUsdcMicros: optional(fc.integer({ min: 5 * USD, max: 80 * USD })),
  maxPositionPerMarketUsdcMicros: optional(fc.integer({ min: 10 * USD, max: 150 * USD })),
  maxTotalExposureUsdcMicros: optional(fc.integer({ min: 20 * USD, max: 400 * USD })),
  maxMarkets: optional(fc.integer({ min: 1, max: 4 })),
  maxDailyTrades: optional(fc.integer({ min: 1, max: 12 })),
  maxSlippageBps: optional(fc.integer({ min: 0, max: 500 })),
  balanceReserveFactor: optional(fc.constantFrom(1, 1.05, 1.5)),
});

const step = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant('order' as const),
      token: fc.constantFrom(...TOKENS),
      side: fc.constantFrom('BUY' as const, 'SELL' as const),
      market: fc.boolean(),
      priceTicks: fc.integer({ min: 1, max: 99 }),
      shares: fc.integer({ min: 1, max: 150 }),
      sellFraction: fc.double({ min: 0.1, max: 1.3, noNaN: true }),
      refOffsetTicks: fc.option(fc.integer({ min: -5, max: 5 }), { nil: undefined }),
      restBuy: fc.boolean(),
      sellHeldIndex: fc.nat(),
      advanceMs: fc.integer({ min: 0, max: DAY_MS / 3 }),
    }),
  },
  { weight: 2, arbitrary: fc.constant({ kind: 'fillPending' as const }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('state' as const),
      state: fc.constantFrom<RiskState>('active', 'active', 'active', 'paused', 'reduce-only'),
    }),
  },
);

describe('risk limits (property)', () => {
  it('no approved order sequence ever breaks a risk limit', () => {
    // Counted across runs so a generator (or a risk bug) that denies everything cannot make this vacuous.
    const approvals = { BUY: 0, SELL: 0 };
    const denials = new Map<string, number>();
    fc.assert(
      fc.property(
        limitsArb,
        fc.integer({ min: 50 * USD, max: 2_000 * USD }),
        fc.array(step, { minLength: 20, maxLength: 80 }),
        (limits, startCash, steps) => {
          const risk = new RiskManager(limits);
          const model = new ModelAccount(startCash);
          let now = Date.parse('2026-03-01T00:00:00Z');
          const tradesPerDay = new Map<number, number>();
          let n = 0;
          for (const s of steps) {
            if (s.kind === 'state') {
              risk.setState(s.state, 'test');
              continue;
            }
            if (s.kind === 'fillPending') {
              const p = model.pending.shift();
              if (p) model.fillBuy(p.order, p.cost);
              continue;
            }
            now += s.advanceMs;
            const priceMicros = s.priceTicks * 10_000;
            // SELLs mostly target something we hold, so they exercise more than insufficient_holdings.
            const heldTokens = [...model.positions.entries()].filter(([, p]) => p.size > 0).map(([t]) => t);
            const token =
              s.side === 'SELL' && heldTokens.length > 0 && s.sellHeldIndex % 4 !== 0
                ? heldTokens[s.sellHeldIndex % heldTokens.length]!
                : s.token;
            const held = model.positions.get(token)?.size ?? 0;
            const sizeMicros = s.side === 'SELL' ? Math.max(1, Math.floor((held || s.shares * USD) * s.sellFraction)) : s.shares * USD;
            const isMarketBuy = s.market && s.side === 'BUY';
            const order: Order = {
              clientOrderId: `o${n++}`,
              strategyId: 's',
              tokenId: token,
              conditionId: marketOf(token),
              side: s.side,
              type: s.market ? 'FOK' : 'GTC',
              priceMicros,
              sizeMicros,
              amountMicros: isMarketBuy ? notional(sizeMicros, priceMicros) : undefined,
              referencePriceMicros: s.refOffsetTicks === undefined ? undefined : Math.max(10_000, priceMicros + s.refOffsetTicks * 10_000),
              postOnly: false,
              createdMs: now,
              salt: n,
            };
            const market: MarketInfo = {
              conditionId: order.conditionId,
              tokens: [{ tokenId: token, outcome: 'Yes' }],
              negRisk: false,
              tickMicros: 10_000,
              minOrderSizeMicros: USD,
            };
            const verdict = risk.check({ order, market, account: model.view(), nowMs: now });
            // The same check again, its records left unread until the account and the day's counters have moved on.
            const readLater = risk.check({ order, market, account: model.view(), nowMs: now });
            expect(verdict.approved).toBe(verdict.checks.every((c) => c.passed));
            expect(verdict.reason).toBe(verdict.checks.find((c) => !c.passed)?.code ?? 'approved');
            expect(verdict.message).toBe(verdict.checks.find((c) => !c.passed)?.message ?? `passed ${verdict.checks.length} risk checks`);
            const readNow = JSON.stringify(verdict.checks);
            if (!verdict.approved) {
              denials.set(verdict.reason, (denials.get(verdict.reason) ?? 0) + 1);
              continue;
            }
            approvals[order.side]++;

            const state = risk.state();
            expect(state === 'paused' || state === 'halted').toBe(false);
            if (state === 'reduce-only') expect(order.side).toBe('SELL');
            const usdc = isMarketBuy ? order.amountMicros! : notional(sizeMicros, priceMicros, s.side === 'BUY' ? 'ceil' : 'floor');
            if (limits.minOrderUsdcMicros !== undefined) expect(usdc).toBeGreaterThanOrEqual(limits.minOrderUsdcMicros);
            if (limits.maxOrderUsdcMicros !== undefined) expect(usdc).toBeLessThanOrEqual(limits.maxOrderUsdcMicros);

            risk.recordOrderSubmitted(now);
            const day = Math.floor(now / DAY_MS);
            tradesPerDay.set(day, (tradesPerDay.get(day) ?? 0) + 1);
            if (s.side === 'SELL') model.fillSell(order);
            else if (s.restBuy && !s.market) model.pending.push({ order, cost: usdc });
            else model.fillBuy(order, usdc);

            const view = model.view();
            const pendingTotal = model.pending.reduce((sum, p) => sum + p.cost, 0);
            const exposure = view.totalExposure() + pendingTotal;
            const markets = new Set([...view.marketsHeld(), ...model.pending.map((p) => p.order.conditionId)]);
            expect(view.cashMicros).toBeGreaterThanOrEqual(0);
            for (const p of model.positions.values()) expect(p.size).toBeGreaterThanOrEqual(0);
            if (limits.maxTotalExposureUsdcMicros !== undefined) expect(exposure).toBeLessThanOrEqual(limits.maxTotalExposureUsdcMicros);
            if (limits.maxPositionPerMarketUsdcMicros !== undefined) {
              for (const c of markets) {
                const inMarket =
                  view.marketExposure(c) + model.pending.filter((p) => p.order.conditionId === c).reduce((sum, p) => sum + p.cost, 0);
                expect(inMarket).toBeLessThanOrEqual(limits.maxPositionPerMarketUsdcMicros);
              }
            }
            if (limits.maxMarkets !== undefined) expect(markets.size).toBeLessThanOrEqual(limits.maxMarkets);
            if (limits.maxDailyTrades !== undefined) expect(tradesPerDay.get(day)).toBeLessThanOrEqual(limits.maxDailyTrades);
            expect(JSON.stringify(readLater.checks)).toBe(readNow);
          }
        },
      ),
      { numRuns: 400 },
    );
    expect(approvals.BUY).toBeGreaterThan(1_000);
    expect(approvals.SELL).toBeGreaterThan(500);
    for (const reason of [
      'max_total_exposure',
      'max_position_per_market',
      'max_markets',
      'max_daily_trades',
      'max_order_usdc',
      'balance_reserve',
      'insufficient_holdings',
      'reduce_only',
    ]) {
      expect(denials.get(reason) ?? 0, `denials for ${reason}`).toBeGreaterThan(0);
    }
  });
});
