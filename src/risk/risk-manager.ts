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
import type { Order, RiskState } from '../core/types.ts';
import { balanceCheck, commitmentsOf, DEFAULT_BALANCE_RESERVE_FACTOR, exposureChecks, holdingsCheck } from './account-checks.ts';
import { LocalDay } from './local-day.ts';
import { bookChecks, check, checkOf, listChecks, orderUsdcMicros, sizeChecks, slippageCheck } from './order-checks.ts';
import type { AccountView, RiskCheck, RiskInput, RiskLimits, RiskVerdict } from './types.ts';

/** A verdict whose message is read from its checks only when someone reads it. */
class Verdict implements RiskVerdict {
  constructor(
    readonly approved: boolean,
    readonly reason: ReasonCode,
    readonly checks: RiskCheck[],
    private readonly failed: RiskCheck | undefined,
  ) {}

  get message(): string {
    return this.failed ? this.failed.message : `passed ${this.checks.length} risk checks`;
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
  private readonly scratch: RiskCheck[] = [];

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
    const { order, market, book, account, nowMs } = input;
    const limits = this.current;
    // Checks collect in a reused array and leave as an exact-size copy: growing a fresh array push by
    // push allocated a 17-slot backing store per order, more than the checks themselves.
    const scratch = this.scratch;
    scratch.length = 0;
    scratch.push(this.stateCheck(order));
    listChecks(limits, order, market, scratch);
    holdingsCheck(order, account, scratch);
    sizeChecks(limits, order, scratch);
    slippageCheck(limits, order, scratch);
    exposureChecks(limits, order, account, scratch);
    this.dailyChecks(order, account, nowMs, scratch);
    balanceCheck(limits.balanceReserveFactor ?? DEFAULT_BALANCE_RESERVE_FACTOR, order, account, scratch);
    bookChecks(limits, order, book, scratch);
    const checks = scratch.slice();
    scratch.length = 0;
    for (let i = 0; i < checks.length; i++) {
      const c = checks[i]!;
      if (!c.passed) return new Verdict(false, c.code, checks, c);
    }
    return new Verdict(true, 'approved', checks, undefined);
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

  private stateCheck(order: Order): RiskCheck {
    switch (this.riskState) {
      case 'halted':
        return checkOf('risk_halted', false, undefined, undefined, haltedText, this.riskStateReason);
      case 'paused':
        return checkOf('risk_paused', false, undefined, undefined, pausedText, this.riskStateReason);
      case 'reduce-only': {
        const reduces = order.side === 'SELL';
        return checkOf('reduce_only', reduces, undefined, undefined, reduceOnlyText, reduces, this.riskStateReason);
      }
      default:
        return ACTIVE;
    }
  }

  private dailyChecks(order: Order, account: AccountView, nowMs: number, out: RiskCheck[]): void {
    const limits = this.current;
    if (limits.maxDailyTrades !== undefined) {
      const after = this.tradesOn(nowMs) + 1;
      const max = limits.maxDailyTrades;
      out.push(checkOf('max_daily_trades', after <= max, after, max, dailyTradesText, after, max));
    }
    // Only BUYs spend: a SELL is never held back by what was bought today.
    if (limits.maxDailyUsdcMicros !== undefined && order.side === 'BUY') {
      const after = this.buyUsdcOn(nowMs) + orderUsdcMicros(order);
      const max = limits.maxDailyUsdcMicros;
      out.push(checkOf('max_daily_usdc', after <= max, after, max, dailyUsdcText, after, max));
    }
    if (limits.maxDailyLossUsdcMicros !== undefined) {
      const max = limits.maxDailyLossUsdcMicros;
      const loss = this.dailyLossMicros(account.equityMicros, nowMs);
      out.push(checkOf('max_daily_loss', loss === 0 || loss < max, loss, max, dailyLossText, loss, max));
    }
    if (limits.maxDrawdownPct !== undefined) {
      const bps = this.drawdownBps(account.equityMicros);
      const max = limits.maxDrawdownPct * 100;
      out.push(checkOf('max_drawdown', bps === 0 || bps < max, bps, max, drawdownText, bps, max, limits.maxDrawdownPct));
    }
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
