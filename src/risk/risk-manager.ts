/**
 * Pre-trade risk for one account (or one strategy's budget): every configured check runs on each
 * order and leaves a CheckResult with its numbers; the first failure is the denial reason. Also
 * holds the risk state (active / paused / reduce-only / halted), the daily counters that roll over
 * at local midnight, and the equity watch that halts trading on a daily loss or a drawdown.
 * Pure: time arrives as arguments, nothing reads the clock.
 */
import { formatUsd, mulDiv } from '../core/money.ts';
import type { Alert, EquityPoint } from '../core/ports.ts';
import type { ReasonCode } from '../core/reason-codes.ts';
import type { MarketInfo, Order, RiskState } from '../core/types.ts';
import {
  balanceText,
  commitmentsOf,
  DEFAULT_BALANCE_RESERVE_FACTOR,
  heldMarketText,
  holdingsText,
  marketPositionText,
  marketsWith,
  newMarketText,
  pendingOf,
  reserveNeeded,
  totalExposureText,
} from './account-checks.ts';
import { LocalDay } from './local-day.ts';
import {
  adverseSlippageBps,
  check,
  checkOf,
  liquidityNearMidMicros,
  liquidityText,
  listChecks,
  maxOrderText,
  minOrderText,
  NO_SLIPPAGE_REF,
  noBookText,
  noSpreadText,
  orderUsdcMicros,
  slippageText,
  spreadText,
} from './order-checks.ts';
import type { AccountView, RiskCheck, RiskInput, RiskLimits, RiskVerdict } from './types.ts';

/**
 * A verdict as the engine keeps it: approved or the first failing code, decided from the numbers the
 * checks are made of (taken when the order was checked, so the verdict reads the same later). The
 * check records — one object each, with their sentences — are made from those numbers when someone
 * reads `checks` or `message` (the TUI, a report, the store); a sweep that only counts reasons never
 * makes them. Reading gives exactly what building them at once gave.
 */
class Verdict implements RiskVerdict {
  approved = false;
  reason: ReasonCode = 'approved';
  // The numbers (see `measure`); undefined where a check is not configured or does not apply. (Not NaN:
  // a field that starts as a double holds a box of its own per object, set or not.)
  state: RiskState = 'active';
  stateReason = '';
  held: number | undefined = undefined;
  marketAfter: number | undefined = undefined;
  totalAfter: number | undefined = undefined;
  marketsCount: number | undefined = undefined;
  newMarket = false;
  tradesAfter: number | undefined = undefined;
  dailyUsdcAfter: number | undefined = undefined;
  loss: number | undefined = undefined;
  drawdownBps: number | undefined = undefined;
  cash: number | undefined = undefined;
  needed: number | undefined = undefined;
  hasBook = false;
  liquidity: number | undefined = undefined;
  spread: number | undefined = undefined;
  /** Allow/block list results, made at once (they read the market and the lists, which are not numbers). */
  lists: RiskCheck[] | undefined = undefined;
  private built: RiskCheck[] | undefined = undefined;

  constructor(
    readonly limits: RiskLimits,
    readonly order: Order,
    readonly market: MarketInfo,
  ) {}

  get checks(): RiskCheck[] {
    if (this.built === undefined) {
      const out: RiskCheck[] = [];
      runChecks(this, out);
      this.built = out;
    }
    return this.built;
  }

  get message(): string {
    const checks = this.checks;
    for (let i = 0; i < checks.length; i++) if (!checks[i]!.passed) return checks[i]!.message;
    return `passed ${checks.length} risk checks`;
  }
}

const haltedText = (reason: string) => `trading is halted: ${reason}`;
const pausedText = (reason: string) => `trading is paused: ${reason}`;
const reduceOnlyText = (reduces: boolean, reason: string) =>
  reduces ? 'reduce-only: a SELL reduces the position' : `reduce-only: a BUY would grow the position (${reason})`;
const dailyTradesText = (after: number, max: number) => `this would be order ${after} today ${after <= max ? '≤' : '>'} max ${max}`;
const dailyUsdcText = (after: number, max: number) =>
  `BUYs today would come to ${formatUsd(after)} ${after <= max ? '≤' : '>'} max ${formatUsd(max)}`;
const dailyLossText = (loss: number, max: number) =>
  `lost ${formatUsd(loss)} today ${loss === 0 || loss < max ? '<' : '≥'} max ${formatUsd(max)}`;
const drawdownText = (bps: number, max: number, pct: number) =>
  `drawdown ${(bps / 100).toFixed(2)}% ${bps === 0 || bps < max ? '<' : '≥'} max ${pct}% (values in bps)`;

export interface RiskManagerOptions {
  /** Overrides limits.dailyResetTimeZone. */
  timeZone?: string;
}

/** Today's counters, in the configured time zone. */
export interface RiskDay {
  dayKey: string | undefined;
  tradesToday: number;
  /** Cost of the BUY orders sent today. */
  buyUsdcTodayMicros: number;
  dayStartEquityMicros: number | undefined;
  peakEquityMicros: number | undefined;
}

/** The state check while trading is active: the same every time, so one object serves every order. */
const ACTIVE: RiskCheck = check('risk_state', true, 'trading is active');

export class RiskManager {
  private current: RiskLimits;
  private localDay: LocalDay;
  private readonly fixedTimeZone: string | undefined;
  private riskState: RiskState = 'active';
  private riskStateReason = 'started';
  private dayKey: string | undefined;
  private tradesToday = 0;
  private buyUsdcToday = 0;
  private dayStartEquity: number | undefined;
  private peakEquity: number | undefined;

  constructor(limits: RiskLimits, options: RiskManagerOptions = {}) {
    this.current = { ...limits };
    this.fixedTimeZone = options.timeZone;
    this.localDay = new LocalDay(options.timeZone ?? limits.dailyResetTimeZone ?? 'UTC');
  }

  get limits(): Readonly<RiskLimits> {
    return this.current;
  }

  get timeZone(): string {
    return this.localDay.timeZone;
  }

  /** Changes limits at run time; a key given as `undefined` removes that limit. Counters are kept. */
  updateLimits(partial: Partial<RiskLimits>): void {
    const next = { ...this.current, ...partial };
    const zone = this.fixedTimeZone ?? next.dailyResetTimeZone ?? 'UTC';
    if (zone !== this.localDay.timeZone) this.localDay = new LocalDay(zone); // throws before anything changes
    this.current = next;
  }

  state(): RiskState {
    return this.riskState;
  }

  stateReason(): string {
    return this.riskStateReason;
  }

  setState(state: RiskState, reason: string): void {
    this.riskState = state;
    this.riskStateReason = reason;
  }

  halt(reason: string): void {
    this.setState('halted', reason);
  }

  /** Runs every configured check; approved only when all pass. */
  check(input: RiskInput): RiskVerdict {
    const v = this.measure(input);
    const failed = runChecks(v, undefined);
    v.approved = failed === undefined;
    v.reason = failed ?? 'approved';
    return v;
  }

  /** Takes every number the configured checks compare, as of now; the checks themselves are made from them (`runChecks`). */
  private measure(input: RiskInput): Verdict {
    const { order, market, book, account, nowMs } = input;
    const limits = this.current;
    const v = new Verdict(limits, order, market);
    v.state = this.riskState;
    v.stateReason = this.riskStateReason;
    if (limits.allowMarkets || limits.blockMarkets || limits.allowTokens || limits.blockTokens || limits.allowNegRisk === false) {
      const lists: RiskCheck[] = [];
      listChecks(limits, order, market, lists);
      v.lists = lists;
    }
    const buying = order.side === 'BUY';
    if (!buying) v.held = account.positionSize(order.tokenId);
    const perMarket = limits.maxPositionPerMarketUsdcMicros;
    const total = limits.maxTotalExposureUsdcMicros;
    const maxMarkets = limits.maxMarkets;
    if (perMarket !== undefined || total !== undefined || maxMarkets !== undefined) {
      const cost = buying ? orderUsdcMicros(order) : 0;
      const pending = pendingOf(account);
      if (perMarket !== undefined) v.marketAfter = account.marketExposure(order.conditionId) + pending.inMarket(order.conditionId) + cost;
      if (total !== undefined) v.totalAfter = account.totalExposure() + pending.totalMicros + cost;
      if (maxMarkets !== undefined) {
        const markets = marketsWith(account.marketsHeld(), pending);
        v.newMarket = buying && !markets.has(order.conditionId);
        v.marketsCount = markets.size;
      }
    }
    if (limits.maxDailyTrades !== undefined) v.tradesAfter = this.tradesOn(nowMs) + 1;
    if (limits.maxDailyUsdcMicros !== undefined && buying) v.dailyUsdcAfter = this.buyUsdcOn(nowMs) + orderUsdcMicros(order);
    if (limits.maxDailyLossUsdcMicros !== undefined) v.loss = this.dailyLossMicros(account.equityMicros, nowMs);
    if (limits.maxDrawdownPct !== undefined) v.drawdownBps = this.drawdownBps(account.equityMicros);
    if (buying) {
      v.needed = reserveNeeded(limits.balanceReserveFactor ?? DEFAULT_BALANCE_RESERVE_FACTOR, order);
      v.cash = account.cashMicros;
    }
    v.hasBook = book !== undefined;
    if (limits.minLiquidityUsdcMicros !== undefined) v.liquidity = book ? liquidityNearMidMicros(book, order.side) : 0;
    if (limits.maxSpreadMicros !== undefined) v.spread = book?.spreadMicros();
    return v;
  }

  /** Counts an order sent to the venue toward today's trade limit (and a BUY's cost toward today's USDC limit). */
  recordOrderSubmitted(nowMs: number, order?: Order): void {
    this.rollover(nowMs);
    this.tradesToday++;
    if (order?.side === 'BUY') this.buyUsdcToday += orderUsdcMicros(order);
  }

  /**
   * Follows equity: peak, day start (the first point of each local day), daily loss, drawdown.
   * Returns a critical alert, once, when a loss limit is reached; the state is then 'halted' and
   * the caller should cancel open orders.
   */
  onEquity(point: EquityPoint): Alert | undefined {
    this.rollover(point.tsMs);
    const equity = point.equityMicros;
    if (this.dayStartEquity === undefined) this.dayStartEquity = equity;
    if (this.peakEquity === undefined || equity > this.peakEquity) this.peakEquity = equity;
    if (this.riskState === 'halted') return undefined;
    const limits = this.current;
    const loss = this.dailyLossMicros(equity, point.tsMs);
    if (limits.maxDailyLossUsdcMicros !== undefined && loss > 0 && loss >= limits.maxDailyLossUsdcMicros) {
      const message = `daily loss ${formatUsd(loss)} reached the limit ${formatUsd(limits.maxDailyLossUsdcMicros)}: trading halted, open orders cancelled`;
      this.halt(message);
      return {
        tsMs: point.tsMs,
        level: 'critical',
        code: 'halted_daily_loss',
        message,
        details: {
          lossMicros: loss,
          limitMicros: limits.maxDailyLossUsdcMicros,
          equityMicros: equity,
          dayStartEquityMicros: this.dayStartEquity,
        },
      };
    }
    const drawdownBps = this.drawdownBps(equity);
    if (limits.maxDrawdownPct !== undefined && drawdownBps > 0 && drawdownBps >= limits.maxDrawdownPct * 100) {
      const message = `drawdown ${(drawdownBps / 100).toFixed(2)}% from peak ${formatUsd(this.peakEquity!)} reached the limit ${limits.maxDrawdownPct}%: trading halted, open orders cancelled`;
      this.halt(message);
      return {
        tsMs: point.tsMs,
        level: 'critical',
        code: 'halted_drawdown',
        message,
        details: { drawdownBps, limitPct: limits.maxDrawdownPct, equityMicros: equity, peakEquityMicros: this.peakEquity! },
      };
    }
    return undefined;
  }

  /** How much of each usage limit is used now (for the TUI's risk bars); `passed` = not breached. */
  usage(account: AccountView, nowMs: number): RiskCheck[] {
    const limits = this.current;
    const out: RiskCheck[] = [];
    const committed = commitmentsOf(account);
    if (limits.maxDailyTrades !== undefined) {
      const used = this.tradesOn(nowMs);
      out.push(
        check(
          'max_daily_trades',
          used <= limits.maxDailyTrades,
          `${used} of ${limits.maxDailyTrades} orders today`,
          used,
          limits.maxDailyTrades,
        ),
      );
    }
    if (limits.maxDailyUsdcMicros !== undefined) {
      const used = this.buyUsdcOn(nowMs);
      const max = limits.maxDailyUsdcMicros;
      out.push(check('max_daily_usdc', used <= max, `BUYs ${formatUsd(used)} today of ${formatUsd(max)}`, used, max));
    }
    if (limits.maxTotalExposureUsdcMicros !== undefined) {
      const used = committed.totalMicros;
      out.push(
        check(
          'max_total_exposure',
          used <= limits.maxTotalExposureUsdcMicros,
          `exposure ${formatUsd(used)} of ${formatUsd(limits.maxTotalExposureUsdcMicros)}`,
          used,
          limits.maxTotalExposureUsdcMicros,
        ),
      );
    }
    if (limits.maxPositionPerMarketUsdcMicros !== undefined) {
      let largest = 0;
      for (const id of committed.markets) largest = Math.max(largest, committed.marketMicros(id));
      out.push(
        check(
          'max_position_per_market',
          largest <= limits.maxPositionPerMarketUsdcMicros,
          `largest market position ${formatUsd(largest)} of ${formatUsd(limits.maxPositionPerMarketUsdcMicros)}`,
          largest,
          limits.maxPositionPerMarketUsdcMicros,
        ),
      );
    }
    if (limits.maxMarkets !== undefined) {
      const used = committed.markets.size;
      out.push(check('max_markets', used <= limits.maxMarkets, `${used} of ${limits.maxMarkets} markets`, used, limits.maxMarkets));
    }
    if (limits.maxDailyLossUsdcMicros !== undefined) {
      const loss = this.dailyLossMicros(account.equityMicros, nowMs);
      out.push(
        check(
          'max_daily_loss',
          loss < limits.maxDailyLossUsdcMicros,
          `lost ${formatUsd(loss)} today of ${formatUsd(limits.maxDailyLossUsdcMicros)} allowed`,
          loss,
          limits.maxDailyLossUsdcMicros,
        ),
      );
    }
    if (limits.maxDrawdownPct !== undefined) {
      const bps = this.drawdownBps(account.equityMicros);
      out.push(
        check(
          'max_drawdown',
          bps < limits.maxDrawdownPct * 100,
          `drawdown ${(bps / 100).toFixed(2)}% of ${limits.maxDrawdownPct}% allowed (values in bps)`,
          bps,
          limits.maxDrawdownPct * 100,
        ),
      );
    }
    return out;
  }

  /** Today's counters as of `nowMs` (without rolling anything over). */
  day(nowMs: number): RiskDay {
    const today = this.localDay.keyOf(nowMs) === this.dayKey;
    return {
      dayKey: this.localDay.keyOf(nowMs),
      tradesToday: today ? this.tradesToday : 0,
      buyUsdcTodayMicros: today ? this.buyUsdcToday : 0,
      dayStartEquityMicros: today ? this.dayStartEquity : undefined,
      peakEquityMicros: this.peakEquity,
    };
  }

  private rollover(nowMs: number): void {
    const key = this.localDay.keyOf(nowMs);
    if (key === this.dayKey) return;
    this.dayKey = key;
    this.tradesToday = 0;
    this.buyUsdcToday = 0;
    this.dayStartEquity = undefined;
  }

  private tradesOn(nowMs: number): number {
    return this.localDay.keyOf(nowMs) === this.dayKey ? this.tradesToday : 0;
  }

  private buyUsdcOn(nowMs: number): number {
    return this.localDay.keyOf(nowMs) === this.dayKey ? this.buyUsdcToday : 0;
  }

  /** Loss since the first equity point of today (0 when up, or when today has no point yet). */
  private dailyLossMicros(equityMicros: number, nowMs: number): number {
    if (this.dayStartEquity === undefined || this.localDay.keyOf(nowMs) !== this.dayKey) return 0;
    return Math.max(0, this.dayStartEquity - equityMicros);
  }

  /** Drawdown from the peak (including `equityMicros` itself), in basis points. */
  private drawdownBps(equityMicros: number): number {
    const peak = Math.max(this.peakEquity ?? equityMicros, equityMicros);
    if (peak <= 0 || equityMicros >= peak) return 0;
    return mulDiv(peak - equityMicros, 10_000, peak, 'floor');
  }
}

/**
 * The checks of a verdict, in their order, from its numbers. With `out`, every check is made and
 * appended, and the first failure's code returned; without, nothing is made and it returns at the
 * first failure. One function for both, so the verdict and its checks cannot disagree.
 */
function runChecks(v: Verdict, out: RiskCheck[] | undefined): ReasonCode | undefined {
  const { limits, order } = v;
  let failed: ReasonCode | undefined;
  // Each check: its outcome, then its record only when asked for (`out`).
  const state = v.state;
  if (state === 'halted' || state === 'paused') {
    if (!out) return state === 'halted' ? 'risk_halted' : 'risk_paused';
    out.push(
      state === 'halted'
        ? checkOf('risk_halted', false, undefined, undefined, haltedText, v.stateReason)
        : checkOf('risk_paused', false, undefined, undefined, pausedText, v.stateReason),
    );
    failed ??= state === 'halted' ? 'risk_halted' : 'risk_paused';
  } else if (state === 'reduce-only') {
    const reduces = order.side === 'SELL';
    if (!out && !reduces) return 'reduce_only';
    out?.push(checkOf('reduce_only', reduces, undefined, undefined, reduceOnlyText, reduces, v.stateReason));
    if (!reduces) failed ??= 'reduce_only';
  } else out?.push(ACTIVE);
  if (v.lists) {
    for (const c of v.lists) {
      if (!out && !c.passed) return c.code;
      out?.push(c);
      if (!c.passed) failed ??= c.code;
    }
  }
  const buying = order.side === 'BUY';
  if (!buying) {
    const held = v.held!;
    const ok = order.sizeMicros <= held;
    if (!out && !ok) return 'insufficient_holdings';
    out?.push(checkOf('insufficient_holdings', ok, order.sizeMicros, held, holdingsText, order.sizeMicros, held));
    if (!ok) failed ??= 'insufficient_holdings';
  }
  if (limits.minOrderUsdcMicros !== undefined || limits.maxOrderUsdcMicros !== undefined) {
    const usdc = orderUsdcMicros(order);
    const min = limits.minOrderUsdcMicros;
    if (min !== undefined) {
      const ok = usdc >= min;
      if (!out && !ok) return 'min_order_usdc';
      out?.push(checkOf('min_order_usdc', ok, usdc, min, minOrderText, usdc, min));
      if (!ok) failed ??= 'min_order_usdc';
    }
    const max = limits.maxOrderUsdcMicros;
    if (max !== undefined) {
      const ok = usdc <= max;
      if (!out && !ok) return 'max_order_usdc';
      out?.push(checkOf('max_order_usdc', ok, usdc, max, maxOrderText, usdc, max));
      if (!ok) failed ??= 'max_order_usdc';
    }
  }
  if (limits.maxSlippageBps !== undefined) {
    const max = limits.maxSlippageBps;
    const bps = adverseSlippageBps(order);
    if (bps === undefined) out?.push(check('max_slippage', true, NO_SLIPPAGE_REF, undefined, max));
    else {
      const ok = bps <= max;
      if (!out && !ok) return 'max_slippage';
      out?.push(checkOf('max_slippage', ok, bps, max, slippageText, order.priceMicros, order.referencePriceMicros!, bps, max));
      if (!ok) failed ??= 'max_slippage';
    }
  }
  const perMarket = limits.maxPositionPerMarketUsdcMicros;
  if (perMarket !== undefined) {
    const after = v.marketAfter!;
    const ok = !buying || after <= perMarket;
    if (!out && !ok) return 'max_position_per_market';
    out?.push(
      buying
        ? checkOf('max_position_per_market', ok, after, perMarket, marketPositionText, after, perMarket)
        : check('max_position_per_market', ok, 'a SELL does not grow the position', after, perMarket),
    );
    if (!ok) failed ??= 'max_position_per_market';
  }
  const total = limits.maxTotalExposureUsdcMicros;
  if (total !== undefined) {
    const after = v.totalAfter!;
    const ok = !buying || after <= total;
    if (!out && !ok) return 'max_total_exposure';
    out?.push(
      buying
        ? checkOf('max_total_exposure', ok, after, total, totalExposureText, after, total)
        : check('max_total_exposure', ok, 'a SELL does not grow exposure', after, total),
    );
    if (!ok) failed ??= 'max_total_exposure';
  }
  const maxMarkets = limits.maxMarkets;
  if (maxMarkets !== undefined) {
    const isNew = v.newMarket;
    const count = v.marketsCount!;
    const after = count + (isNew ? 1 : 0);
    const ok = !isNew || after <= maxMarkets;
    if (!out && !ok) return 'max_markets';
    out?.push(
      isNew
        ? checkOf('max_markets', ok, after, maxMarkets, newMarketText, after, maxMarkets)
        : checkOf('max_markets', ok, after, maxMarkets, heldMarketText, count, maxMarkets),
    );
    if (!ok) failed ??= 'max_markets';
  }
  if (limits.maxDailyTrades !== undefined) {
    const after = v.tradesAfter!;
    const max = limits.maxDailyTrades;
    const ok = after <= max;
    if (!out && !ok) return 'max_daily_trades';
    out?.push(checkOf('max_daily_trades', ok, after, max, dailyTradesText, after, max));
    if (!ok) failed ??= 'max_daily_trades';
  }
  // Only BUYs spend: a SELL is never held back by what was bought today.
  if (limits.maxDailyUsdcMicros !== undefined && buying) {
    const after = v.dailyUsdcAfter!;
    const max = limits.maxDailyUsdcMicros;
    const ok = after <= max;
    if (!out && !ok) return 'max_daily_usdc';
    out?.push(checkOf('max_daily_usdc', ok, after, max, dailyUsdcText, after, max));
    if (!ok) failed ??= 'max_daily_usdc';
  }
  if (limits.maxDailyLossUsdcMicros !== undefined) {
    const max = limits.maxDailyLossUsdcMicros;
    const loss = v.loss!;
    const ok = loss === 0 || loss < max;
    if (!out && !ok) return 'max_daily_loss';
    out?.push(checkOf('max_daily_loss', ok, loss, max, dailyLossText, loss, max));
    if (!ok) failed ??= 'max_daily_loss';
  }
  if (limits.maxDrawdownPct !== undefined) {
    const bps = v.drawdownBps!;
    const max = limits.maxDrawdownPct * 100;
    const ok = bps === 0 || bps < max;
    if (!out && !ok) return 'max_drawdown';
    out?.push(checkOf('max_drawdown', ok, bps, max, drawdownText, bps, max, limits.maxDrawdownPct));
    if (!ok) failed ??= 'max_drawdown';
  }
  if (buying) {
    const cash = v.cash!;
    const needed = v.needed!;
    const ok = cash >= needed;
    if (!out && !ok) return 'balance_reserve';
    out?.push(
      checkOf(
        'balance_reserve',
        ok,
        cash,
        needed,
        balanceText,
        cash,
        needed,
        limits.balanceReserveFactor ?? DEFAULT_BALANCE_RESERVE_FACTOR,
      ),
    );
    if (!ok) failed ??= 'balance_reserve';
  }
  if (limits.minLiquidityUsdcMicros !== undefined) {
    const min = limits.minLiquidityUsdcMicros;
    const have = v.liquidity!;
    const ok = v.hasBook && have >= min;
    if (!out && !ok) return 'min_liquidity';
    out?.push(
      v.hasBook
        ? checkOf('min_liquidity', ok, have, min, liquidityText, have, min, order.side)
        : checkOf('min_liquidity', ok, have, min, noBookText, order.tokenId),
    );
    if (!ok) failed ??= 'min_liquidity';
  }
  if (limits.maxSpreadMicros !== undefined) {
    const max = limits.maxSpreadMicros;
    const spread = v.spread;
    const ok = spread !== undefined && spread <= max;
    if (!out && !ok) return 'max_spread';
    out?.push(
      spread === undefined
        ? checkOf('max_spread', false, undefined, max, noSpreadText, order.tokenId)
        : checkOf('max_spread', ok, spread, max, spreadText, spread, max),
    );
    if (!ok) failed ??= 'max_spread';
  }
  return failed;
}
