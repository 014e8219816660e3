/**
 * The engine: every event of every mode goes through `handle`. It keeps books and markets current,
 * routes target trades (deduplicated) and market data to strategies, turns their actions into
 * shaped, risk-checked orders on the venue, books fills, settles resolutions, and tells listeners
 * about every decision. Live, paper and replay differ only in the clock, the venue and who calls
 * `handle` — never in this code.
 */
import type { Clock } from '../core/clock.ts';
import type { Mode } from '../core/control.ts';
import { FillDedup } from '../core/dedup.ts';
import { ConfigError } from '../core/errors.ts';
import type { EngineEvent, MarketResolved, OrderEvent, TargetTradeSeen } from '../core/events.ts';
import type { IdSource } from '../core/ids.ts';
import { MarketRegistry } from '../core/market-registry.ts';
import type { Micros } from '../core/money.ts';
import { BookRegistry } from '../core/order-book.ts';
import type { Alert, Decision, EngineListener, EquityPoint, Venue } from '../core/ports.ts';
import { TargetBook } from '../core/target-book.ts';
import type { Order } from '../core/types.ts';
import type { RiskManager } from '../risk/risk-manager.ts';
import type { StrategyResult } from '../strategy/api.ts';
import { Portfolio } from './portfolio.ts';
import { EngineControl } from './engine-control.ts';
import { OrderFlow } from './order-flow.ts';
import { buildContext } from './strategy-context.ts';
import { createSlot, type StrategySlot, type StrategySpec } from './strategy-slot.ts';

export interface EngineOptions {
  mode: Mode;
  clock: Clock;
  ids: IdSource;
  venue: Venue;
  risk: RiskManager;
  startingCashMicros: Micros;
  strategies: StrategySpec[];
  /** Shared with the venue (SimVenue fills against these books). */
  books?: BookRegistry;
  markets?: MarketRegistry;
  listeners?: EngineListener[];
  dedup?: FillDedup;
  /** Event-time spacing of periodic equity points (besides one after every fill). Default 60 s. */
  equityIntervalMs?: number;
  /** Per-strategy-instance limits (budgets), checked after the account-wide ones. */
  strategyRisk?: Record<string, RiskManager>;
  /**
   * Live and paper: a target trade older than this (event time vs our clock) is skipped as
   * `stale_trade` instead of copied at today's prices — e.g. a backfill after hours offline.
   */
  maxTradeAgeMs?: number;
}

export interface EngineStats {
  events: number;
  targetTrades: number;
  duplicates: number;
  strategyErrors: number;
}

export class Engine {
  readonly clock: Clock;
  readonly ids: IdSource;
  readonly books: BookRegistry;
  readonly markets: MarketRegistry;
  readonly targets = new TargetBook();
  readonly portfolio: Portfolio;
  readonly dedup: FillDedup;
  readonly slots: StrategySlot[];
  readonly venue: Venue;
  readonly risk: RiskManager;
  readonly control: EngineControl;
  readonly stats: EngineStats = { events: 0, targetTrades: 0, duplicates: 0, strategyErrors: 0 };
  private readonly listeners: EngineListener[];
  private readonly flow: OrderFlow;
  private readonly byWallet = new Map<string, StrategySlot[]>();
  private readonly byToken = new Map<string, StrategySlot[]>();
  private queue: EngineEvent[] = [];
  private draining = false;
  private started = false;
  private lastEquityMs = Number.NEGATIVE_INFINITY;
  private equityPending = false;
  private readonly equityIntervalMs: number;
  private lastEquity: EquityPoint;

  constructor(readonly options: EngineOptions) {
    this.clock = options.clock;
    this.ids = options.ids;
    this.books = options.books ?? new BookRegistry();
    this.markets = options.markets ?? new MarketRegistry();
    this.portfolio = new Portfolio(options.startingCashMicros, this.books);
    this.dedup = options.dedup ?? new FillDedup();
    this.venue = options.venue;
    this.risk = options.risk;
    this.listeners = options.listeners ?? [];
    this.equityIntervalMs = options.equityIntervalMs ?? 60_000;
    this.slots = options.strategies.map((spec, i) => createSlot(spec, i));
    for (const slot of this.slots) {
      for (const w of slot.wallets) push(this.byWallet, w, slot);
      for (const t of slot.tokens) push(this.byToken, t, slot);
    }
    this.flow = new OrderFlow(this, options.strategyRisk ?? {});
    this.control = new EngineControl(this, options.mode);
    this.lastEquity = this.portfolio.equityPoint(this.clock.now());
    this.venue.attach((event) => this.handle(event));
  }

  addListener(listener: EngineListener): void {
    this.listeners.push(listener);
  }

  /**
   * Adds a strategy to a running engine (a target added over the control API). An id that belongs to
   * a stopped strategy starts it again with the new spec; its ledger (positions, PnL) carries on.
   */
  addStrategy(spec: StrategySpec): StrategySlot {
    const slot = createSlot(spec, this.slots.length);
    const index = this.slots.findIndex((s) => s.id === slot.id);
    if (index >= 0 && !this.slots[index]!.stopped) throw new ConfigError(`a strategy with id "${slot.id}" is already running`);
    if (index >= 0) this.slots.splice(index, 1, slot);
    else this.slots.push(slot);
    this.contexts.delete(slot.id);
    for (const w of slot.wallets) push(this.byWallet, w, slot);
    for (const t of slot.tokens) push(this.byToken, t, slot);
    if (this.started) this.runStrategy(slot, 'onStart', () => slot.handlers.onStart?.(this.contextOf(slot)));
    return slot;
  }

  /** Stops a strategy for good: nothing reaches it any more and its open orders are cancelled. Its positions stay. */
  stopStrategy(id: string, reason: string): StrategySlot | undefined {
    const slot = this.slots.find((s) => s.id === id);
    if (!slot || slot.stopped) return slot;
    slot.stopped = true;
    slot.paused = true;
    slot.pausedReason = reason;
    for (const map of [this.byWallet, this.byToken]) {
      for (const [key, list] of map) {
        const kept = list.filter((s) => s !== slot);
        if (kept.length > 0) map.set(key, kept);
        else map.delete(key);
      }
    }
    for (const order of this.venue.openOrders()) if (order.strategyId === id) this.venue.cancel(order.clientOrderId, reason);
    return slot;
  }

  /** Feeds one event. Re-entrant: events emitted while handling (venue fills, timers) are queued. */
  handle(event: EngineEvent): void {
    this.queue.push(event);
    if (this.draining) return;
    this.draining = true;
    try {
      for (let i = 0; i < this.queue.length; i++) this.process(this.queue[i]!);
    } finally {
      this.queue = [];
      this.draining = false;
    }
  }

  /** Wallets that strategies follow. */
  watchedWallets(): string[] {
    return [...this.byWallet.keys()];
  }

  /** Tokens whose books matter: watched by strategies or held. */
  tokensOfInterest(): string[] {
    const tokens = new Set(this.byToken.keys());
    for (const p of this.portfolio.total.open()) tokens.add(p.tokenId);
    return [...tokens];
  }

  lastEquityPoint(): EquityPoint {
    return this.lastEquity;
  }

  emitDecision(decision: Decision): void {
    for (const l of this.listeners) l.onDecision?.(decision);
  }

  emitAlert(alert: Alert): void {
    for (const l of this.listeners) l.onAlert?.(alert);
  }

  emitRiskState(reason: string): void {
    for (const l of this.listeners) l.onRiskState?.(this.risk.state(), reason);
  }

  /** Runs a strategy callback; a throw pauses that strategy only and raises an alert. */
  runStrategy(slot: StrategySlot, what: string, call: () => StrategyResult, causeKey?: string): void {
    if (slot.paused) return;
    let result: StrategyResult;
    try {
      result = call();
    } catch (error) {
      this.stats.strategyErrors++;
      const message = error instanceof Error ? error.message : String(error);
      slot.paused = true;
      slot.pausedReason = `error in ${what}: ${message}`;
      this.emitAlert({
        tsMs: this.clock.now(),
        level: 'critical',
        code: 'strategy_error',
        message: `strategy ${slot.id} paused: ${slot.pausedReason}`,
        details: { strategyId: slot.id },
      });
      return;
    }
    this.flow.apply(slot, result, causeKey);
  }

  private process(event: EngineEvent): void {
    if (!this.started) this.start();
    if (!isOrderEvent(event)) this.stats.events++;
    if (event.type !== 'target_trade') for (const l of this.listeners) l.onEvent?.(event);
    switch (event.type) {
      case 'target_trade':
        this.onTargetTrade(event);
        break;
      case 'market':
        this.markets.upsert(event.market);
        break;
      case 'book_snapshot': {
        this.books.getOrCreate(event.tokenId).replace(event.bids, event.asks, event.tsEvent);
        this.afterMarketData(event, event.tokenId);
        break;
      }
      case 'book_change': {
        const book = this.books.getOrCreate(event.tokenId);
        for (const c of event.changes) book.setLevel(c.side, c.priceMicros, c.sizeMicros, event.tsEvent);
        this.afterMarketData(event, event.tokenId);
        break;
      }
      case 'trade_print':
        this.books.getOrCreate(event.tokenId).lastTradePriceMicros = event.priceMicros;
        this.portfolio.notePrice(event.tokenId, event.priceMicros);
        this.afterMarketData(event, event.tokenId);
        break;
      case 'market_resolved':
        this.onResolved(event);
        break;
      case 'timer': {
        const slot = this.slots.find((s) => s.id === event.owner);
        if (slot) this.runStrategy(slot, 'onTimer', () => slot.handlers.onTimer?.(event.timerId, this.contextOf(slot)));
        break;
      }
      default:
        this.onOrderEvent(event);
    }
    this.maybeEquity(this.equityPending);
  }

  private start(): void {
    this.started = true;
    for (const slot of this.slots) this.runStrategy(slot, 'onStart', () => slot.handlers.onStart?.(this.contextOf(slot)));
  }

  private onTargetTrade(raw: TargetTradeSeen): void {
    const event = this.dedup.accept(raw, raw.occurrence);
    if (!event) {
      this.stats.duplicates++;
      return;
    }
    for (const l of this.listeners) l.onEvent?.(event);
    const trade = event.trade;
    this.portfolio.notePrice(trade.tokenId, trade.priceMicros);
    if (!this.markets.byTokenId(trade.tokenId)) this.inferMarket(event);
    const slots = this.byWallet.get(trade.wallet.toLowerCase());
    if (!slots) {
      // A wallet nobody follows (a market-wide tape): it is still a print that marks and can fill resting orders.
      this.venue.onMarketData?.({
        type: 'trade_print',
        tokenId: trade.tokenId,
        side: trade.side,
        priceMicros: trade.priceMicros,
        sizeMicros: trade.sizeMicros,
        tsEvent: event.tsEvent,
        tsRecv: event.tsRecv,
      });
    } else {
      this.stats.targetTrades++;
      const ageMs = this.clock.now() - event.tsEvent;
      const maxAge = this.options.maxTradeAgeMs;
      for (const slot of slots) {
        if (maxAge !== undefined && ageMs > maxAge) {
          this.flow.skip(
            slot,
            event,
            'stale_trade',
            `the trade is ${Math.round(ageMs / 1000)} s old (limit ${Math.round(maxAge / 1000)} s): copying it now would trade on an old price`,
          );
          continue;
        }
        if (slot.paused) {
          this.flow.skip(
            slot,
            event,
            'strategy_paused',
            `strategy ${slot.id} is paused${slot.pausedReason ? `: ${slot.pausedReason}` : ''}`,
          );
          continue;
        }
        const before = this.flow.decisionsMade;
        this.runStrategy(slot, 'onTargetTrade', () => slot.handlers.onTargetTrade?.(event, this.contextOf(slot)), event.key);
        if (this.flow.decisionsMade === before) {
          const reason = slot.paused ? 'strategy_error' : 'no_action';
          this.flow.skip(
            slot,
            event,
            reason,
            slot.paused ? `strategy ${slot.id} failed: ${slot.pausedReason}` : `strategy ${slot.id} returned no action`,
          );
        }
      }
    }
    // After the strategies: they size SELLs against the target's position before this trade.
    this.targets.apply(trade);
  }

  private afterMarketData(event: EngineEvent & { type: 'book_snapshot' | 'book_change' | 'trade_print' }, tokenId: string): void {
    this.portfolio.refresh(tokenId);
    this.venue.onMarketData?.(event);
    const slots = this.byToken.get(tokenId);
    if (slots) for (const slot of slots) this.runStrategy(slot, 'onBook', () => slot.handlers.onBook?.(tokenId, this.contextOf(slot)));
  }

  private onResolved(event: MarketResolved): void {
    for (const order of this.venue.openOrders())
      if (order.conditionId === event.conditionId) this.venue.cancel(order.clientOrderId, 'market_resolved');
    const pnl = this.portfolio.settle(event.payouts);
    for (const slot of this.slots) this.runStrategy(slot, 'onResolution', () => slot.handlers.onResolution?.(event, this.contextOf(slot)));
    if (pnl !== 0 || this.portfolio.total.all().some((p) => p.conditionId === event.conditionId)) this.emitEquityNow();
  }

  private onOrderEvent(event: OrderEvent): void {
    for (const l of this.listeners) l.onOrderEvent?.(event);
    const fill = this.flow.onOrderEvent(event);
    if (fill) {
      this.portfolio.applyFill(fill);
      const slot = this.slots.find((s) => s.id === fill.strategyId);
      if (slot) this.runStrategy(slot, 'onFill', () => slot.handlers.onFill?.(fill, this.contextOf(slot)));
      this.maybeEquity(true);
    }
  }

  /**
   * Emits an equity point every `equityIntervalMs` of event time, and within a second after fills
   * (`soon`) — a burst of fills in one second makes one point, which keeps marking cheap.
   */
  private maybeEquity(soon: boolean): void {
    const now = this.clock.now();
    const due = now - this.lastEquityMs >= (soon ? 1000 : this.equityIntervalMs);
    if (!due) {
      if (soon) this.equityPending = true;
      return;
    }
    this.emitEquityNow();
  }

  /** Marks everything and tells listeners and risk now (end of a replay, a resolution). */
  emitEquityNow(): void {
    const now = this.clock.now();
    this.equityPending = false;
    this.lastEquityMs = now;
    this.lastEquity = this.portfolio.equityPoint(now);
    for (const l of this.listeners) l.onEquity?.(this.lastEquity);
    const alert = this.risk.onEquity(this.lastEquity);
    if (alert) {
      this.emitAlert(alert);
      this.venue.cancelAll(alert.code);
      this.emitRiskState(alert.message);
    }
  }

  private inferMarket(event: TargetTradeSeen): void {
    const t = event.trade;
    this.markets.upsert({
      conditionId: t.conditionId,
      slug: t.slug,
      question: t.title,
      tokens: [{ tokenId: t.tokenId, outcome: t.outcome }],
      negRisk: false,
      tickMicros: 10_000,
      minOrderSizeMicros: 5_000_000,
    });
  }

  private contexts = new Map<string, ReturnType<typeof buildContext>>();
  contextOf(slot: StrategySlot): ReturnType<typeof buildContext> {
    let ctx = this.contexts.get(slot.id);
    if (!ctx) {
      ctx = buildContext(this, slot);
      this.contexts.set(slot.id, ctx);
    }
    return ctx;
  }

  /** Orders still working, per the venue. */
  openOrders(): Order[] {
    return this.venue.openOrders();
  }
}

function isOrderEvent(event: EngineEvent): event is OrderEvent {
  return event.type.startsWith('order_');
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
