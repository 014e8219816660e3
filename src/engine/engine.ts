/**
 * The engine: every event of every mode goes through `handle`. It keeps books and markets current,
 * routes target trades (deduplicated) and market data to strategies, turns their actions into
 * shaped, risk-checked orders on the venue, books fills, settles resolutions, and tells listeners
 * about every decision. Live, paper and replay differ only in the clock, the venue and who calls
 * `handle` — never in this code.
 */
import type { Clock } from '../core/clock.ts';
import { lazy } from '../core/lazy-text.ts';
import type { EngineSnapshot, EngineStats } from '../core/control.ts';
import { FillDedup } from '../core/dedup.ts';
import { InvariantError } from '../core/errors.ts';
import type { EngineEvent, MarketResolved, OrderEvent, TargetTradeSeen } from '../core/events.ts';
import type { IdSource } from '../core/ids.ts';
import { MarketRegistry } from '../core/market-registry.ts';
import type { Micros } from '../core/money.ts';
import { BookRegistry } from '../core/order-book.ts';
import type { Alert, Decision, EngineListener, EquityPoint, Venue } from '../core/ports.ts';
import { TargetBook } from '../core/target-book.ts';
import type { Fill, Order } from '../core/types.ts';
import { marketOfTrade } from '../polymarket/market-defaults.ts';
import type { RiskManager } from '../risk/risk-manager.ts';
import type { StrategyContext } from '../strategy/api.ts';
import type { EngineOptions } from './engine-options.ts';
import { Portfolio, type PortfolioReader } from './portfolio.ts';
import type { SharedFeed } from './shared-feed.ts';
import { tradePrintOf } from './trade-print.ts';
import { EngineControl } from './engine-control.ts';
import { OrderFlow } from './order-flow.ts';
import { buildContext } from './strategy-context.ts';
import { StrategyRoster } from './strategy-roster.ts';
import type { RiskLimits } from '../risk/types.ts';
import type { Invocation, StrategyInstance, StrategySpec } from '../strategy/strategy-instance.ts';

export type { EngineOptions } from './engine-options.ts';

export class Engine {
  readonly clock: Clock;
  /** Our money, read-only: the whole account and each strategy instance's share. */
  readonly portfolio: PortfolioReader;
  /** The targets' positions as we track them (seeded from /positions, advanced by their trades). */
  readonly targets: Pick<TargetBook, 'position' | 'positionsOf' | 'portfolioValue'>;
  /** What the TUI and the CLI read (snapshots) and steer (commands). */
  readonly control: EngineControl;
  readonly stats: Readonly<EngineStats>;
  private readonly counters: EngineStats = { events: 0, targetTrades: 0, duplicates: 0, strategyErrors: 0 };
  private readonly ids: IdSource;
  private readonly books: BookRegistry;
  private readonly markets: MarketRegistry;
  private readonly targetBook: TargetBook;
  /** Given when this engine runs in lockstep with others on the same events (shared-feed.ts): dedup, books and markets are applied there. */
  private readonly feed: SharedFeed | undefined;
  private readonly ledgers: Portfolio;
  private readonly dedup: FillDedup;
  /** Every strategy instance of the run and who hears what. */
  private readonly roster: StrategyRoster;
  private readonly venue: Venue;
  private readonly risk: RiskManager;
  private readonly listeners: EngineListener[];
  private readonly flow: OrderFlow;
  private readonly contexts = new Map<string, StrategyContext>();
  /** Events emitted while handling one, in `queue[0 .. queued)`; slots are cleared, never the array (see `handle`). */
  private readonly queue: (EngineEvent | undefined)[] = [];
  private queued = 0;
  private draining = false;
  private started = false;
  private lastEquityMs = Number.NEGATIVE_INFINITY;
  private equityPending = false;
  private readonly equityIntervalMs: number;
  private readonly maxTradeAgeMs: number | undefined;
  private readonly redecide: Map<string, ReadonlySet<string>>;
  /**
   * A trade's wallet as its event spells it → in lower case (how strategies are keyed). Every target trade
   * asks; lower-casing a 42-character address makes a new string each time, a lookup of the same string
   * (its hash cached on it) does not.
   */
  private readonly lowerWallets = new Map<string, string>();
  private lastEquity: EquityPoint;

  constructor(options: EngineOptions) {
    this.clock = options.clock;
    this.ids = options.ids;
    this.feed = options.feed;
    this.books = options.feed?.books ?? options.books ?? new BookRegistry();
    this.markets = options.feed?.markets ?? options.markets ?? new MarketRegistry();
    this.targetBook = options.feed?.targets ?? new TargetBook();
    this.ledgers = new Portfolio(options.startingCashMicros, this.books, options.feed);
    this.portfolio = this.ledgers;
    this.targets = this.targetBook;
    this.stats = this.counters;
    this.dedup = options.dedup ?? new FillDedup();
    this.venue = options.venue;
    this.risk = options.risk;
    this.listeners = options.listeners ?? [];
    this.equityIntervalMs = options.equityIntervalMs ?? 60_000;
    this.maxTradeAgeMs = options.maxTradeAgeMs;
    this.redecide = new Map(options.redecide ?? []);
    this.roster = new StrategyRoster(options.strategies);
    this.flow = new OrderFlow({
      clock: this.clock,
      ids: this.ids,
      venue: this.venue,
      markets: this.markets,
      books: this.books,
      portfolio: this.ledgers,
      risk: this.risk,
      strategyRisk: options.strategyRisk ?? {},
      memberRisk: options.memberRisk,
      emitDecision: (decision) => this.emitDecision(decision),
    });
    this.control = new EngineControl({
      mode: options.mode,
      clock: this.clock,
      risk: this.risk,
      portfolio: this.ledgers,
      markets: this.markets,
      targets: this.targetBook,
      strategies: this.roster.all,
      venue: this.venue,
      stats: this.counters,
      decisionCounts: (id) => this.flow.countsOf(id),
      emitAlert: (alert) => this.emitAlert(alert),
      emitRiskState: (reason) => this.emitRiskState(reason),
      feedHealth: options.feedHealth,
      resync: options.resync,
    });
    this.lastEquity = this.ledgers.equityPoint(this.clock.now());
    this.venue.attach((event) => this.handle(event));
  }

  addListener(listener: EngineListener): void {
    this.listeners.push(listener);
  }

  /**
   * Adds a strategy while the engine runs (a target added over the control API); an id that belongs to
   * a stopped strategy starts it again, its ledger carrying on. Throws a ConfigError when that id is
   * running, a StrategyError when the strategy fails to start.
   */
  addStrategy(spec: StrategySpec): Pick<StrategyInstance, 'id' | 'wallets' | 'tokens'> {
    const strategy = this.roster.add(spec);
    this.contexts.delete(strategy.id);
    if (this.started) this.apply(strategy, strategy.onStart(this.contextOf(strategy)));
    return strategy;
  }

  /** Stops a strategy for good: nothing reaches it any more and its open orders are cancelled; its positions stay. */
  stopStrategy(id: string, reason: string): Pick<StrategyInstance, 'id' | 'wallets' | 'tokens'> | undefined {
    const strategy = this.roster.stop(id, reason);
    if (strategy) for (const order of this.venue.openOrders()) if (order.strategyId === id) this.venue.cancel(order.clientOrderId, reason);
    return strategy;
  }

  /** The account-wide risk limits in force. */
  riskLimits(): Readonly<RiskLimits> {
    return this.risk.limits;
  }

  /** Changes account-wide limits while running (a key given as undefined removes that limit); counters are kept. */
  updateRiskLimits(partial: Partial<RiskLimits>): void {
    this.risk.updateLimits(partial);
  }

  /**
   * Feeds one event. Re-entrant: events emitted while handling (venue fills, timers) are queued.
   * A broken invariant (InvariantError, e.g. a fill that sells more than we hold) stops trading: risk
   * halts, every order is cancelled, a critical alert goes out, and the error is thrown on to the mode.
   */
  handle(event: EngineEvent): void {
    const queue = this.queue;
    if (this.draining) {
      queue[this.queued++] = event;
      return;
    }
    this.draining = true;
    try {
      // The event itself is processed first; what handling it emitted is queued behind it (most events emit nothing).
      this.process(event);
      for (let i = 0; i < this.queued; i++) this.process(queue[i]!);
    } catch (error) {
      if (error instanceof InvariantError) this.stop(error);
      throw error;
    } finally {
      // Emptied slot by slot: `length = 0` would drop the backing store, and the next event's first push
      // would allocate a new one (a new array per event did the same).
      for (let i = 0; i < this.queued; i++) queue[i] = undefined;
      this.queued = 0;
      this.draining = false;
    }
  }

  private stop(error: InvariantError): void {
    const reason = `invariant broken: ${error.message}`;
    this.risk.halt(reason);
    this.venue.cancelAll(reason);
    this.emitAlert({ tsMs: this.clock.now(), level: 'critical', code: 'invariant_broken', message: `${reason}; trading stopped` });
    this.emitRiskState(reason);
  }

  /** The engine now, as plain data (see EngineSnapshot). */
  snapshot(): EngineSnapshot {
    return this.control.snapshot();
  }

  /** Wallets that strategies follow. */
  watchedWallets(): string[] {
    return this.roster.wallets();
  }

  /** Tokens whose books matter: watched by strategies or held. */
  tokensOfInterest(): string[] {
    const tokens = new Set(this.roster.tokens());
    for (const p of this.ledgers.total.open()) tokens.add(p.tokenId);
    return [...tokens];
  }

  lastEquityPoint(): EquityPoint {
    return this.lastEquity;
  }

  /** Orders still working, per the venue. */
  openOrders(): Order[] {
    return this.venue.openOrders();
  }

  /**
   * Starts a target's tracked position from the Data API (/positions, /value), so its SELLs are copied
   * as fractions; again after position sync finds a missed trade.
   */
  seedTarget(wallet: string, positions: { tokenId: string; sizeMicros: Micros }[], portfolioValueMicros?: Micros): void {
    this.targetBook.seed(wallet, positions, portfolioValueMicros);
  }

  /** A restart: books the fills earlier processes of this session made (from the journal), before any event. */
  restoreFills(fills: readonly Fill[]): void {
    for (const fill of fills) this.ledgers.applyFill(fill);
    if (fills.length > 0) this.emitEquityNow();
  }

  /**
   * A restart: a copy an earlier process approved but never sent, now too old to send, is answered
   * `stale_after_restart` (a decision row like any skip) instead of being lost without a word.
   */
  skipUnsentCopy(u: { strategyId: string; causeKey: string; tokenId?: string; side?: 'BUY' | 'SELL'; eventMs: number }): void {
    const strategy = this.roster.byId(u.strategyId);
    if (!strategy) return;
    const ageMs = this.clock.now() - u.eventMs;
    this.flow.skipCause(strategy, u.causeKey, u.tokenId, u.side, 'stale_after_restart', lazy(unsentText, ageMs, this.maxTradeAgeMs ?? 0));
  }

  /** Raises an alert to every listener (position sync's findings reach the TUI, the log and the recording this way). */
  emitAlert(alert: Alert): void {
    for (const l of this.listeners) l.onAlert?.(alert);
  }

  private emitDecision(decision: Decision): void {
    for (const l of this.listeners) l.onDecision?.(decision);
  }

  private emitRiskState(reason: string): void {
    for (const l of this.listeners) l.onRiskState?.(this.risk.state(), reason);
  }

  private strategy(id: string): StrategyInstance | undefined {
    return this.roster.byId(id);
  }

  /** Applies what a strategy call produced; a failed call (the instance is now paused) raises an alert first. */
  private apply(strategy: StrategyInstance, invocation: Invocation, cause?: TargetTradeSeen): void {
    if (invocation.error) {
      this.counters.strategyErrors++;
      this.emitAlert({
        tsMs: this.clock.now(),
        level: 'critical',
        code: 'strategy_error',
        message: invocation.error.message,
        details: { strategyId: strategy.id, handler: invocation.error.handler },
      });
    }
    this.flow.apply(strategy, invocation.actions, cause);
  }

  private process(event: EngineEvent): void {
    if (!this.started) this.start();
    if (!isOrderEvent(event)) this.counters.events++;
    if (event.type !== 'target_trade') for (const l of this.listeners) l.onEvent?.(event);
    switch (event.type) {
      case 'target_trade':
        this.onTargetTrade(event);
        break;
      case 'market':
        if (!this.feed) this.markets.upsert(event.market);
        break;
      case 'book_snapshot': {
        if (!this.feed) this.books.getOrCreate(event.tokenId).replace(event.bids, event.asks, event.tsEvent);
        this.afterMarketData(event, event.tokenId);
        break;
      }
      case 'book_change': {
        if (!this.feed) {
          const book = this.books.getOrCreate(event.tokenId);
          for (const c of event.changes) book.setLevel(c.side, c.priceMicros, c.sizeMicros, event.tsEvent);
        }
        this.afterMarketData(event, event.tokenId);
        break;
      }
      case 'trade_print':
        if (!this.feed) this.books.getOrCreate(event.tokenId).lastTradePriceMicros = event.priceMicros;
        this.ledgers.notePrice(event.tokenId, event.priceMicros);
        this.afterMarketData(event, event.tokenId);
        break;
      case 'market_resolved':
        this.onResolved(event);
        break;
      case 'timer': {
        const strategy = this.strategy(event.owner);
        if (strategy) this.apply(strategy, strategy.onTimer(event.timerId, this.contextOf(strategy)));
        break;
      }
      default:
        this.onOrderEvent(event);
    }
    this.maybeEquity(this.equityPending);
  }

  private start(): void {
    this.started = true;
    for (const strategy of this.roster.all) this.apply(strategy, strategy.onStart(this.contextOf(strategy)));
  }

  private onTargetTrade(raw: TargetTradeSeen): void {
    const feed = this.feed;
    const event = feed ? feed.acceptedOf(raw) : this.accept(raw);
    if (!event) {
      this.counters.duplicates++;
      return;
    }
    const listeners = this.listeners;
    for (let i = 0; i < listeners.length; i++) listeners[i]!.onEvent?.(event);
    const trade = event.trade;
    this.ledgers.notePrice(trade.tokenId, trade.priceMicros);
    if (!feed && !this.markets.byTokenId(trade.tokenId)) this.markets.upsert(marketOfTrade(trade));
    const following = this.roster.following(feed ? feed.walletOf() : this.lowerWallet(trade.wallet));
    if (!following) {
      // A wallet nobody follows (a market-wide tape): it is still a print that marks and can fill resting orders.
      this.venue.onMarketData?.(feed ? feed.printOf() : tradePrintOf(event));
    } else {
      this.counters.targetTrades++;
      const ageMs = this.clock.now() - event.tsEvent;
      const maxAge = this.maxTradeAgeMs;
      // A fill decided before a crash whose copy was never sent: only the strategies that lost it decide again.
      // (Only then is the key read: a recorded trade decodes it from its chunk on first read.)
      const redo = this.redecide.size > 0 && event.key !== undefined ? this.redecide.get(event.key) : undefined;
      if (redo) this.redecide.delete(event.key!);
      for (const strategy of following) {
        if (redo && !redo.has(strategy.id)) continue;
        if (maxAge !== undefined && ageMs > maxAge) {
          this.flow.skip(strategy, event, redo ? 'stale_after_restart' : 'stale_trade', lazy(staleText, ageMs, maxAge));
          continue;
        }
        if (strategy.paused) {
          this.flow.skip(strategy, event, 'strategy_paused', lazy(pausedText, strategy.id, strategy.pausedReason));
          continue;
        }
        const before = this.flow.decisionsMade;
        const invocation = strategy.onTargetTrade(event, this.contextOf(strategy));
        this.apply(strategy, invocation, event);
        // Every trade of a followed wallet gets a decision row, so "why didn't it copy that?" has an answer.
        if (invocation.error) this.flow.skip(strategy, event, 'strategy_error', invocation.error.message);
        else if (this.flow.decisionsMade === before) this.flow.skip(strategy, event, 'no_action', lazy(noActionText, strategy.id));
      }
    }
    // After the strategies: they size SELLs against the target's position before this trade (a shared feed moves it after every engine).
    if (!feed) this.targetBook.apply(trade);
  }

  private lowerWallet(wallet: string): string {
    let lower = this.lowerWallets.get(wallet);
    if (lower === undefined) {
      // Bounded: a market-wide tape names many wallets; forgetting them only costs lower-casing again.
      if (this.lowerWallets.size >= 4096) this.lowerWallets.clear();
      this.lowerWallets.set(wallet, (lower = wallet.toLowerCase()));
    }
    return lower;
  }

  /** Dedup of an engine on its own; the event is frozen, since strategies and listeners share it. */
  private accept(raw: TargetTradeSeen): TargetTradeSeen | undefined {
    const accepted = this.dedup.accept(raw, raw.occurrence);
    if (!accepted) return undefined;
    Object.freeze(accepted.trade);
    return Object.freeze(accepted);
  }

  private afterMarketData(event: EngineEvent & { type: 'book_snapshot' | 'book_change' | 'trade_print' }, tokenId: string): void {
    this.ledgers.refresh(tokenId);
    this.venue.onMarketData?.(event);
    const watching = this.roster.watching(tokenId);
    if (watching) for (const strategy of watching) this.apply(strategy, strategy.onBook(tokenId, this.contextOf(strategy)));
  }

  private onResolved(event: MarketResolved): void {
    for (const order of this.venue.openOrders())
      if (order.conditionId === event.conditionId) this.venue.cancel(order.clientOrderId, 'market_resolved');
    Object.freeze(event.payouts);
    Object.freeze(event);
    const pnl = this.ledgers.settle(event.payouts);
    for (const strategy of this.roster.all) this.apply(strategy, strategy.onResolution(event, this.contextOf(strategy)));
    if (pnl !== 0 || this.ledgers.total.all().some((p) => p.conditionId === event.conditionId)) this.emitEquityNow();
  }

  private onOrderEvent(event: OrderEvent): void {
    for (const l of this.listeners) l.onOrderEvent?.(event);
    const fill = this.flow.onOrderEvent(event);
    if (fill) {
      Object.freeze(fill);
      this.ledgers.applyFill(fill);
      const strategy = this.strategy(fill.strategyId);
      if (strategy) this.apply(strategy, strategy.onFill(fill, this.contextOf(strategy)));
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
    this.lastEquity = this.ledgers.equityPoint(now);
    for (const l of this.listeners) l.onEquity?.(this.lastEquity);
    const alert = this.risk.onEquity(this.lastEquity);
    if (alert) {
      this.emitAlert(alert);
      this.venue.cancelAll(alert.code);
      this.emitRiskState(alert.message);
    }
  }

  private contextOf(strategy: StrategyInstance): StrategyContext {
    let ctx = this.contexts.get(strategy.id);
    if (!ctx) {
      ctx = buildContext(
        {
          clock: this.clock,
          ids: this.ids,
          markets: this.markets,
          books: this.books,
          portfolio: this.ledgers,
          targets: this.targetBook,
          openOrders: () => this.venue.openOrders(),
          handle: (event) => this.handle(event),
          emitAlert: (alert) => this.emitAlert(alert),
        },
        strategy,
      );
      this.contexts.set(strategy.id, ctx);
    }
    return ctx;
  }
}

function isOrderEvent(event: EngineEvent): event is OrderEvent {
  return event.type.charCodeAt(0) === 111 /* o */ && event.type.startsWith('order_');
}

const unsentText = (ageMs: number, maxAge: number) =>
  `approved before a restart but never sent; the trade is ${Math.round(ageMs / 1000)} s old now (limit ${Math.round(maxAge / 1000)} s)`;
const staleText = (ageMs: number, maxAge: number) =>
  `the trade is ${Math.round(ageMs / 1000)} s old (limit ${Math.round(maxAge / 1000)} s): copying it now would trade on an old price`;
const pausedText = (id: string, reason: string | undefined) => `strategy ${id} is paused: ${reason}`;
const noActionText = (id: string) => `strategy ${id} returned no action`;
