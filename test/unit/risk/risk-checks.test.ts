import { describe, expect, it } from 'vitest';
import { OrderBook } from '../../../src/core/order-book.ts';
import type { Order } from '../../../src/core/types.ts';
import { RiskManager } from '../../../src/risk/risk-manager.ts';
import type { AccountView, RiskInput, RiskLimits } from '../../../src/risk/types.ts';
import { account, market, order, USD } from './risk-fixtures.ts';

function verdict(limits: RiskLimits, input: Partial<RiskInput> = {}, setup?: (risk: RiskManager) => void) {
  const risk = new RiskManager(limits);
  setup?.(risk);
  return risk.check({ order: order(), market: market(), account: account(), nowMs: 0, ...input });
}

function checkOf(v: { checks: { code: string }[] }, code: string) {
  const found = v.checks.find((c) => c.code === code);
  expect(found, `check ${code} present`).toBeDefined();
  return found as { code: string; passed: boolean; value?: number; limit?: number; message: string };
}

function book(bids: [number, number][], asks: [number, number][]): OrderBook {
  const b = new OrderBook('yes1');
  const level = ([p, s]: [number, number]) => ({ priceMicros: p, sizeMicros: s });
  b.replace(bids.map(level), asks.map(level), 0);
  return b;
}

describe('risk checks', () => {
  it('approves when nothing is configured beyond the default cash reserve', () => {
    const v = verdict({});
    expect(v.approved).toBe(true);
    expect(v.reason).toBe('approved');
    expect(v.checks.map((c) => c.code)).toEqual(['risk_state', 'balance_reserve']);
  });

  it('risk state: halted and paused block everything, reduce-only blocks only BUYs', () => {
    const held = account({ positions: { yes1: { conditionId: '0xc1', size: 50 * USD, cost: 25 * USD } } });
    expect(verdict({}, {}, (r) => r.halt('kill switch')).reason).toBe('risk_halted');
    expect(verdict({}, { order: order({ side: 'SELL' }), account: held }, (r) => r.halt('x')).reason).toBe('risk_halted');
    expect(verdict({}, { order: order({ side: 'SELL' }), account: held }, (r) => r.setState('paused', 'user')).reason).toBe('risk_paused');
    const buy = verdict({}, {}, (r) => r.setState('reduce-only', 'near limits'));
    expect(buy.reason).toBe('reduce_only');
    expect(buy.message).toMatch(/BUY would grow/);
    const sell = verdict({}, { order: order({ side: 'SELL' }), account: held }, (r) => r.setState('reduce-only', 'near limits'));
    expect(sell.approved).toBe(true);
    expect(checkOf(sell, 'reduce_only').passed).toBe(true);
  });

  it('min and max order size in USDC (limit orders: size × price; market BUY: amount)', () => {
    const small = verdict({ minOrderUsdcMicros: 11 * USD }); // 20 × 0.50 = $10
    expect(small.reason).toBe('min_order_usdc');
    expect(checkOf(small, 'min_order_usdc')).toMatchObject({ passed: false, value: 10 * USD, limit: 11 * USD });
    expect(verdict({ minOrderUsdcMicros: 10 * USD }).approved).toBe(true);
    const big = verdict({ maxOrderUsdcMicros: 9_999_999 });
    expect(big.reason).toBe('max_order_usdc');
    expect(checkOf(big, 'max_order_usdc')).toMatchObject({ value: 10 * USD, limit: 9_999_999 });
    // Within the limit (and exactly at it) the order passes.
    for (const limit of [10 * USD, 10 * USD + 1, 100 * USD]) {
      const within = verdict({ maxOrderUsdcMicros: limit });
      expect(within.approved, `limit ${limit}`).toBe(true);
      expect(checkOf(within, 'max_order_usdc')).toMatchObject({ passed: true, value: 10 * USD, limit });
    }
    const marketBuy = order({ type: 'FOK', amountMicros: 30 * USD, priceMicros: 600_000, sizeMicros: 50 * USD });
    expect(checkOf(verdict({ maxOrderUsdcMicros: 25 * USD }, { order: marketBuy }), 'max_order_usdc')).toMatchObject({
      passed: false,
      value: 30 * USD,
    });
    const marketWithin = verdict({ maxOrderUsdcMicros: 30 * USD }, { order: marketBuy });
    expect(marketWithin.approved).toBe(true);
    expect(checkOf(marketWithin, 'max_order_usdc')).toMatchObject({ passed: true, value: 30 * USD, limit: 30 * USD });
  });

  it('max slippage counts only the adverse direction, in bps of the target price', () => {
    const buyAbove = order({ priceMicros: 510_000, referencePriceMicros: 500_000 }); // +200 bps
    expect(checkOf(verdict({ maxSlippageBps: 200 }, { order: buyAbove }), 'max_slippage')).toMatchObject({
      passed: true,
      value: 200,
      limit: 200,
    });
    const tooFar = verdict({ maxSlippageBps: 199 }, { order: buyAbove });
    expect(tooFar.reason).toBe('max_slippage');
    expect(tooFar.message).toMatch(/200 bps adverse > max 199 bps/);
    const buyBelow = order({ priceMicros: 400_000, referencePriceMicros: 500_000 });
    expect(checkOf(verdict({ maxSlippageBps: 0 }, { order: buyBelow }), 'max_slippage')).toMatchObject({ passed: true, value: 0 });
    const held = account({ positions: { yes1: { conditionId: '0xc1', size: 50 * USD, cost: 25 * USD } } });
    const sellBelow = order({ side: 'SELL', priceMicros: 450_000, referencePriceMicros: 500_000 }); // 1000 bps worse
    expect(verdict({ maxSlippageBps: 999 }, { order: sellBelow, account: held }).reason).toBe('max_slippage');
    const noRef = checkOf(verdict({ maxSlippageBps: 1 }), 'max_slippage');
    expect(noRef.passed).toBe(true);
    expect(noRef.message).toMatch(/not checked/);
  });

  it('max position per market counts the order, held cost and unfilled BUYs', () => {
    const acc = account({
      positions: { yes1: { conditionId: '0xc1', size: 60 * USD, cost: 30 * USD } },
      pending: [{ conditionId: '0xc1', costMicros: 5 * USD }],
    });
    const v = verdict({ maxPositionPerMarketUsdcMicros: 44 * USD }, { account: acc });
    expect(v.reason).toBe('max_position_per_market');
    expect(checkOf(v, 'max_position_per_market')).toMatchObject({ value: 45 * USD, limit: 44 * USD });
    expect(verdict({ maxPositionPerMarketUsdcMicros: 45 * USD }, { account: acc }).approved).toBe(true);
    const sell = verdict({ maxPositionPerMarketUsdcMicros: 1 * USD }, { account: acc, order: order({ side: 'SELL' }) });
    expect(sell.approved).toBe(true); // a SELL shrinks an over-limit position
  });

  it('max total exposure after the order', () => {
    const acc = account({
      positions: { a: { conditionId: '0xa', size: 100 * USD, cost: 40 * USD }, b: { conditionId: '0xb', size: 100 * USD, cost: 45 * USD } },
    });
    const v = verdict({ maxTotalExposureUsdcMicros: 94 * USD }, { account: acc });
    expect(v.reason).toBe('max_total_exposure');
    expect(checkOf(v, 'max_total_exposure')).toMatchObject({ value: 95 * USD, limit: 94 * USD });
    expect(verdict({ maxTotalExposureUsdcMicros: 95 * USD }, { account: acc }).approved).toBe(true);
  });

  it('max markets refuses a new market beyond the count but not a held one', () => {
    const acc = account({
      positions: { a: { conditionId: '0xa', size: USD, cost: USD }, b: { conditionId: '0xb', size: USD, cost: USD } },
    });
    const v = verdict({ maxMarkets: 2 }, { account: acc });
    expect(v.reason).toBe('max_markets');
    expect(checkOf(v, 'max_markets')).toMatchObject({ value: 3, limit: 2 });
    expect(verdict({ maxMarkets: 3 }, { account: acc }).approved).toBe(true);
    expect(verdict({ maxMarkets: 2 }, { account: acc, order: order({ conditionId: '0xa' }) }).approved).toBe(true);
    const pendingNew = account({ pending: [{ conditionId: '0xp', costMicros: USD }] });
    expect(verdict({ maxMarkets: 1 }, { account: pendingNew }).reason).toBe('max_markets');
  });

  it('max daily trades counts submitted orders', () => {
    const v = verdict({ maxDailyTrades: 2 }, {}, (r) => {
      r.recordOrderSubmitted(0);
      r.recordOrderSubmitted(1);
    });
    expect(v.reason).toBe('max_daily_trades');
    expect(checkOf(v, 'max_daily_trades')).toMatchObject({ value: 3, limit: 2 });
    expect(verdict({ maxDailyTrades: 2 }, {}, (r) => r.recordOrderSubmitted(0)).approved).toBe(true);
  });

  it('max daily loss already hit today', () => {
    const start = (r: RiskManager) =>
      r.onEquity({ tsMs: 0, equityMicros: 1_000 * USD, cashMicros: 0, realizedMicros: 0, unrealizedMicros: 0, feesMicros: 0 });
    const down = (equity: number) => account({ equity });
    const hit = verdict({ maxDailyLossUsdcMicros: 100 * USD }, { account: down(900 * USD) }, start);
    expect(hit.reason).toBe('max_daily_loss');
    expect(checkOf(hit, 'max_daily_loss')).toMatchObject({ value: 100 * USD, limit: 100 * USD });
    expect(verdict({ maxDailyLossUsdcMicros: 100 * USD }, { account: down(900_000_001) }, start).approved).toBe(true);
  });

  it('max drawdown from the equity peak', () => {
    const peak = (r: RiskManager) =>
      r.onEquity({ tsMs: 0, equityMicros: 1_000 * USD, cashMicros: 0, realizedMicros: 0, unrealizedMicros: 0, feesMicros: 0 });
    const hit = verdict({ maxDrawdownPct: 20 }, { account: account({ equity: 800 * USD }) }, peak);
    expect(hit.reason).toBe('max_drawdown');
    expect(checkOf(hit, 'max_drawdown')).toMatchObject({ value: 2000, limit: 2000 });
    expect(verdict({ maxDrawdownPct: 20 }, { account: account({ equity: 801 * USD }) }, peak).approved).toBe(true);
  });

  it('balance reserve: cash must cover cost × factor (default 1.05), SELLs exempt', () => {
    const v = verdict({}, { account: account({ cash: 10_499_999 }) });
    expect(v.reason).toBe('balance_reserve');
    expect(checkOf(v, 'balance_reserve')).toMatchObject({ value: 10_499_999, limit: 10_500_000 });
    expect(verdict({}, { account: account({ cash: 10_500_000 }) }).approved).toBe(true);
    expect(verdict({ balanceReserveFactor: 1 }, { account: account({ cash: 10 * USD }) }).approved).toBe(true);
    expect(verdict({ balanceReserveFactor: 1.5 }, { account: account({ cash: 14 * USD }) }).reason).toBe('balance_reserve');
    const held = account({ cash: 0, positions: { yes1: { conditionId: '0xc1', size: 20 * USD, cost: 9 * USD } } });
    expect(verdict({}, { account: held, order: order({ side: 'SELL' }) }).approved).toBe(true);
  });

  it('allow and block lists for markets (condition id or slug) and tokens', () => {
    expect(verdict({ allowMarkets: ['other-market'] }).reason).toBe('market_not_allowed');
    expect(verdict({ allowMarkets: ['WILL-IT-RAIN'] }).approved).toBe(true);
    expect(verdict({ allowMarkets: ['0xC1'] }).approved).toBe(true);
    expect(verdict({ blockMarkets: ['0xc1'] }).reason).toBe('market_blocked');
    expect(verdict({ blockMarkets: ['0xc2'] }).approved).toBe(true);
    expect(verdict({ allowTokens: ['no1'] }).reason).toBe('token_not_allowed');
    expect(verdict({ allowTokens: ['yes1'] }).approved).toBe(true);
    expect(verdict({ blockTokens: ['yes1'] }).reason).toBe('token_blocked');
    // A token that is not on the block list passes, and the check says so.
    const unlisted = verdict({ blockTokens: ['no1', 'some-other-token'] });
    expect(unlisted.approved).toBe(true);
    expect(checkOf(unlisted, 'token_blocked').passed).toBe(true);
    expect(checkOf(verdict({ blockTokens: ['yes1'] }), 'token_blocked').passed).toBe(false);
  });

  it('neg-risk markets are refused only when allowNegRisk is false', () => {
    expect(verdict({ allowNegRisk: false }, { market: market({ negRisk: true }) }).reason).toBe('neg_risk_blocked');
    expect(verdict({ allowNegRisk: false }, { market: market({ negRisk: false }) }).approved).toBe(true);
    expect(verdict({ allowNegRisk: true }, { market: market({ negRisk: true }) }).approved).toBe(true);
  });

  it('min liquidity counts the side we take within 5% of mid', () => {
    // mid 0.50; asks at 0.51 ($51 = 100 × 0.51) and 0.52 ($52) are within 0.525; 0.60 is not.
    const b = book(
      [[490_000, 1_000 * USD]],
      [
        [510_000, 100 * USD],
        [520_000, 100 * USD],
        [600_000, 1_000 * USD],
      ],
    );
    const v = verdict({ minLiquidityUsdcMicros: 104 * USD }, { book: b });
    expect(v.reason).toBe('min_liquidity');
    expect(checkOf(v, 'min_liquidity')).toMatchObject({ value: 103 * USD, limit: 104 * USD });
    expect(verdict({ minLiquidityUsdcMicros: 103 * USD }, { book: b }).approved).toBe(true);
    const held = account({ positions: { yes1: { conditionId: '0xc1', size: 50 * USD, cost: 25 * USD } } });
    expect(
      checkOf(verdict({ minLiquidityUsdcMicros: 1 }, { book: b, account: held, order: order({ side: 'SELL' }) }), 'min_liquidity').value,
    ).toBe(490 * USD);
    expect(verdict({ minLiquidityUsdcMicros: 1 }).reason).toBe('min_liquidity'); // no book known
  });

  it('max spread', () => {
    const b = book([[480_000, USD]], [[520_000, USD]]);
    const v = verdict({ maxSpreadMicros: 30_000 }, { book: b });
    expect(v.reason).toBe('max_spread');
    expect(checkOf(v, 'max_spread')).toMatchObject({ value: 40_000, limit: 30_000 });
    expect(verdict({ maxSpreadMicros: 40_000 }, { book: b }).approved).toBe(true);
    expect(verdict({ maxSpreadMicros: 40_000 }, { book: book([], [[520_000, USD]]) }).reason).toBe('max_spread');
  });

  it('insufficient holdings for a SELL larger than the position', () => {
    const acc: AccountView = account({ positions: { yes1: { conditionId: '0xc1', size: 19 * USD, cost: 9 * USD } } });
    const v = verdict({}, { account: acc, order: order({ side: 'SELL' }) });
    expect(v.reason).toBe('insufficient_holdings');
    expect(checkOf(v, 'insufficient_holdings')).toMatchObject({ value: 20 * USD, limit: 19 * USD });
    const exact: Order = order({ side: 'SELL', sizeMicros: 19 * USD });
    expect(verdict({}, { account: acc, order: exact }).approved).toBe(true);
  });

  it('runs every check and reports the first failure as the reason', () => {
    const v = verdict({ maxOrderUsdcMicros: USD, maxDailyTrades: 0, allowNegRisk: false }, { market: market({ negRisk: true }) }, (r) =>
      r.setState('paused', 'user'),
    );
    expect(v.reason).toBe('risk_paused');
    expect(v.checks.filter((c) => !c.passed).map((c) => c.code)).toEqual([
      'risk_paused',
      'neg_risk_blocked',
      'max_order_usdc',
      'max_daily_trades',
    ]);
  });
});
