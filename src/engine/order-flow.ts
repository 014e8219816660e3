/**
 * From a strategy's actions to orders on the venue, leaving one Decision per action:
 * SELLs capped to what the strategy holds, then exchange rules (order-rules.ts), then risk
 * (account-wide, then the strategy's own budget), then the venue. Also tracks our working orders
 * so SELLs in flight and cash reserved by BUYs are counted before the venue confirms anything.
 *
 * This is the hot path of every copy: it keeps numbers and references, and leaves the words of a
 * decision to be made when it is read (decision-record.ts).
 */
import { causeNamesKey, keyOfCause, type CauseRef } from '../core/cause.ts';
import type { OrderEvent, TargetTradeSeen } from '../core/events.ts';
import { lazy, type Text } from '../core/lazy-text.ts';
import type { CheckResult, Decision, DecisionAction } from '../core/ports.ts';
import type { StrategyReasonCode } from '../core/reason-codes.ts';
import type { Fill, MarketInfo, Order, OrderIntent } from '../core/types.ts';
import { shapeOrder } from '../polymarket/order-rules.ts';
import { Check } from '../risk/check-record.ts';
import type { RiskManager } from '../risk/risk-manager.ts';
import type { AccountView, RiskVerdict } from '../risk/types.ts';
import type { PlaceOrder, StrategyAction } from '../strategy/api.ts';
import type { Clock } from '../core/clock.ts';
import type { IdSource } from '../core/ids.ts';
import type { MarketRegistry } from '../core/market-registry.ts';
import type { BookRegistry } from '../core/order-book.ts';
import type { Venue } from '../core/ports.ts';
import type { Portfolio } from './portfolio.ts';
import type { StrategyInstance } from '../strategy/strategy-instance.ts';
import { DecisionRecord, type ChecksSource } from './decision-record.ts';
import { deferredCause, RecordedCauseOrder } from './recorded-cause-order.ts';
import { subAccountOf } from './sub-accounts.ts';
import { WorkingOrders } from './working-orders.ts';

/** Decisions per strategy instance: orders placed (copies) and actions declined (skips and denials). */
export interface DecisionCounts {
  copies: number;
  skips: number;
}

/** What order flow needs from the engine: the pieces it reads and the two places it writes (the venue, the decision stream). */
export interface OrderFlowDeps {
  clock: Clock;
  ids: IdSource;
  venue: Pick<Venue, 'submit' | 'cancel'>;
  markets: Pick<MarketRegistry, 'byTokenId'>;
  books: Pick<BookRegistry, 'get'>;
  portfolio: Pick<Portfolio, 'view' | 'strategy'>;
  /** Account-wide limits. */
  risk: RiskManager;
  /** Per-strategy-instance budgets, checked after the account-wide ones. */
  strategyRisk: Record<string, RiskManager>;
  /** Sub-account limits by member id (engine/sub-accounts.ts), checked after the strategy's own budget. */
  memberRisk?: Record<string, RiskManager>;
  emitDecision(decision: Decision): void;
}

const cancelText = (clientOrderId: string) => `cancel ${clientOrderId}`;
const unknownMarketText = (tokenId: string) => `no market metadata for token ${tokenId}`;
const orderText = (side: string, type: string) => `${side} ${type}`;
const verdictText = (verdict: RiskVerdict) => verdict.message;

export class OrderFlow {
  decisionsMade = 0;
  private readonly working = new WorkingOrders();
  private readonly counts = new Map<string, DecisionCounts>();
  private readonly accountView: AccountView;
  private readonly ownViews = new Map<string, AccountView>();
  /** Set by `riskChecks` when risk denied the order it checked; `place` takes it at once. */
  private denied: RiskVerdict | undefined;

  constructor(private readonly deps: OrderFlowDeps) {
    const pending = this.working.pending;
    this.accountView = deps.portfolio.view(pending);
    for (const id of Object.keys(deps.strategyRisk)) this.working.ownOf(id);
  }

  /** `cause`: the target trade the strategy was answering, if any (its key is read only when shown or stored). */
  apply(strategy: StrategyInstance, actions: readonly StrategyAction[], cause?: CauseRef): void {
    for (let i = 0; i < actions.length; i++) {
      const action = actions[i]!;
      if (action.kind === 'skip') {
        const d = this.record(strategy, 'skip', action.reason, action.message, action.details ?? {});
        d.cause = cause;
        this.emit(d);
      } else if (action.kind === 'cancel') {
        this.deps.venue.cancel(action.clientOrderId, action.reason);
        const d = this.record(strategy, 'cancel', action.reason, lazy(cancelText, action.clientOrderId), {});
        d.clientOrderId = action.clientOrderId;
        d.cause = cause;
        this.emit(d);
      } else {
        this.place(strategy, action, cause);
      }
    }
  }

  /** The engine's own answer to a target trade (stale, paused, no action, strategy error). */
  skip(strategy: StrategyInstance, event: TargetTradeSeen, reason: StrategyReasonCode, message: Text): void {
    this.skipCause(strategy, event, event.trade.tokenId, event.trade.side, reason, message);
  }

  /** A skip answering the target fill `cause` (also by key alone, without its event, e.g. after a restart). */
  skipCause(
    strategy: StrategyInstance,
    cause: CauseRef,
    tokenId: string | undefined,
    side: 'BUY' | 'SELL' | undefined,
    reason: StrategyReasonCode,
    message: Text,
  ): void {
    const d = this.record(strategy, 'skip', reason, message, {});
    d.cause = cause;
    d.tokenId = tokenId;
    d.side = side;
    this.emit(d);
  }

  /** Orders we sent that are not finished (including those the venue has not acknowledged yet). */
  workingOrders(): Order[] {
    return this.working.orders();
  }

  /** Unfilled cost of BUYs sent and not finished, per market, for exposure checks before the venue answers. */
  pendingBuys(): { conditionId: string; costMicros: number }[] {
    return this.working.pending.list();
  }

  /** Tracks our orders; returns the fill to book, if the event carries one. */
  onOrderEvent(event: OrderEvent): Fill | undefined {
    switch (event.type) {
      case 'order_filled':
      case 'order_partially_filled':
        this.working.filled(event.order.clientOrderId, event.fill.sizeMicros, event.type === 'order_filled');
        return event.fill;
      case 'order_rejected':
      case 'order_cancelled':
      case 'order_expired':
        this.working.finished(event.order.clientOrderId);
        return undefined;
      default:
        return undefined;
    }
  }

  private place(strategy: StrategyInstance, action: PlaceOrder, answering: CauseRef): void {
    const deps = this.deps;
    const intent = action.intent;
    const cause = intent.causeKey ?? intent.cause ?? answering;
    const market = deps.markets.byTokenId(intent.tokenId);
    if (!market) {
      this.emitFor(intent, cause, this.record(strategy, 'skip', 'unknown_market', lazy(unknownMarketText, intent.tokenId), {}));
      return;
    }
    let capped: number | undefined;
    if (intent.side === 'SELL') {
      const held = deps.portfolio.strategy(strategy.id).size(intent.tokenId) - this.working.sellsInFlight(strategy.id, intent.tokenId);
      const wanted = intent.sizeMicros ?? 0;
      if (held <= 0) {
        const details = { wantedMicros: wanted, heldMicros: Math.max(0, held) };
        const d = this.record(strategy, 'skip', 'no_position_to_sell', 'nothing left to sell (holdings minus SELLs in flight)', details);
        this.emitFor(intent, cause, d);
        return;
      }
      if (wanted > held) capped = held;
    }
    const shapeInput: OrderIntent = capped === undefined ? intent : { ...intent, sizeMicros: capped };
    const shaped = shapeOrder(shapeInput, market, QUIET);
    if (!shaped.ok) {
      this.emitFor(intent, cause, this.record(strategy, 'skip', shaped.reason, undefined, undefined).forRefusal(intent, capped, market));
      return;
    }
    const s = shaped.order;
    const createdMs = deps.clock.now();
    const deferred = deferredCause(cause, s.type);
    const fields: Order = {
      tokenId: s.tokenId,
      side: s.side,
      type: s.type,
      priceMicros: s.priceMicros,
      postOnly: s.postOnly,
      sizeMicros: s.sizeMicros,
      clientOrderId: deps.ids.next('o'),
      strategyId: strategy.id,
      conditionId: market.conditionId,
      createdMs,
      causeKey: deferred ? undefined : keyOfCause(cause),
      referencePriceMicros: intent.referencePriceMicros,
      salt: deps.ids.salt(),
    };
    const order: Order = deferred ? new RecordedCauseOrder(fields, deferred) : fields;
    if (s.amountMicros !== undefined) order.amountMicros = s.amountMicros;
    if (s.expiresAtMs !== undefined) order.expiresAtMs = s.expiresAtMs;
    const checks = this.riskChecks(strategy, order, market, createdMs);
    const denied = this.denied;
    if (denied) {
      this.denied = undefined;
      const d = this.record(strategy, 'deny', denied.reason, lazy(verdictText, denied), undefined);
      this.emitFor(intent, cause, d.forOrder(order, intent, capped, market, checks));
      return;
    }
    deps.risk.recordOrderSubmitted(createdMs, order);
    deps.strategyRisk[strategy.id]?.recordOrderSubmitted(createdMs, order);
    this.memberRiskOf(strategy.id)?.recordOrderSubmitted(createdMs, order);
    this.working.add(order);
    const note = action.intent.note ?? lazy(orderText, order.side, order.type);
    const d = this.record(strategy, causeNamesKey(cause) ? 'copy' : 'order', 'approved', note, undefined);
    this.emitFor(intent, cause, d.forOrder(order, intent, capped, market, checks));
    deps.venue.submit(order);
  }

  /**
   * Account-wide checks, then the strategy's own budget (its checks scoped `strategy.<code>`), then its
   * sub-account's limits (scoped `member.<code>`): the first that denies is the decision's reason.
   * Returns every check made — the account's verdict itself when no budget applies, so its check records
   * are made only if the decision's checks are read; a denial is left in `denied` for the caller to take.
   */
  private riskChecks(strategy: StrategyInstance, order: Order, market: MarketInfo, nowMs: number): CheckResult[] | ChecksSource {
    const deps = this.deps;
    const book = deps.books.get(order.tokenId);
    const verdict = deps.risk.check({ order, market, book, account: this.accountView, nowMs });
    if (!verdict.approved) {
      this.denied = verdict;
      return verdict;
    }
    const own = deps.strategyRisk[strategy.id];
    const member = this.memberRiskOf(strategy.id);
    if (!own && !member) return verdict;
    const list: CheckResult[] = verdict.checks.slice();
    if (own) {
      const ownVerdict = own.check({ order, market, book, account: this.ownView(strategy.id), nowMs });
      for (const c of ownVerdict.checks) list.push(scoped(c, 'strategy'));
      if (!ownVerdict.approved) {
        this.denied = ownVerdict;
        return list;
      }
    }
    if (member) {
      // A member's limits are on their orders (size, count per day); what the wallet holds is the account's checks' business.
      const memberVerdict = member.check({ order, market, book, account: this.accountView, nowMs });
      for (const c of memberVerdict.checks) list.push(scoped(c, 'member'));
      if (!memberVerdict.approved) {
        this.denied = memberVerdict;
        return list;
      }
    }
    return list;
  }

  private memberRiskOf(strategyId: string): RiskManager | undefined {
    const members = this.deps.memberRisk;
    if (!members) return undefined;
    const member = subAccountOf(strategyId);
    return member === '' ? undefined : members[member];
  }

  /** A strategy budget's view: the account's cash and equity, the strategy's own holdings and working BUYs. */
  private ownView(strategyId: string): AccountView {
    let view = this.ownViews.get(strategyId);
    if (!view) {
      const account = this.accountView;
      const ledger = this.deps.portfolio.strategy(strategyId);
      const pending = this.working.ownOf(strategyId);
      view = {
        get cashMicros() {
          return account.cashMicros;
        },
        get equityMicros() {
          return account.equityMicros;
        },
        positionSize: (t) => ledger.size(t),
        marketExposure: (c) => ledger.costIn(c),
        totalExposure: () => ledger.costOfOpen(),
        marketsHeld: () => ledger.marketsHeld(),
        pendingBuys: () => pending.list(),
        pending,
      };
      this.ownViews.set(strategyId, view);
    }
    return view;
  }

  /** How many copies and skips this instance has decided so far. */
  countsOf(strategyId: string): DecisionCounts {
    return this.counts.get(strategyId) ?? { copies: 0, skips: 0 };
  }

  private record(
    strategy: StrategyInstance,
    action: DecisionAction,
    reason: StrategyReasonCode,
    text: Text | undefined,
    details: Decision['details'] | undefined,
  ): DecisionRecord {
    const deps = this.deps;
    const d = new DecisionRecord(deps.ids, deps.ids.nextNumber('d'), deps.clock.now(), strategy.id, action, reason, text, details);
    const wallets = strategy.wallets;
    if (wallets.length === 1) d.wallet = wallets[0];
    return d;
  }

  private emitFor(intent: OrderIntent, cause: CauseRef, d: DecisionRecord): void {
    d.cause = cause;
    d.tokenId = intent.tokenId;
    d.side = intent.side;
    this.emit(d);
  }

  private emit(d: DecisionRecord): void {
    this.decisionsMade++;
    let counts = this.counts.get(d.strategyId);
    if (!counts) this.counts.set(d.strategyId, (counts = { copies: 0, skips: 0 }));
    const action = d.action;
    if (action === 'copy' || action === 'order') counts.copies++;
    else if (action === 'skip' || action === 'deny') counts.skips++;
    this.deps.emitDecision(d);
  }
}

const QUIET = { quiet: true } as const;

/** A budget's check under `strategy.<code>` (or a member's under `member.<code>`); a Check keeps its lazy text, a plain result is copied. */
function scoped(c: CheckResult, scope: 'strategy' | 'member'): CheckResult {
  if (c instanceof Check) return c.scoped(scope);
  return { ...c, code: `${scope}.${c.code}` as CheckResult['code'] };
}
