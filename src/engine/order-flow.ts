/**
 * From a strategy's actions to orders on the venue, leaving one Decision per action:
 * SELLs capped to what the strategy holds, then exchange rules (order-rules.ts), then risk
 * (account-wide, then the strategy's own budget), then the venue. Also tracks our working orders
 * so SELLs in flight and cash reserved by BUYs are counted before the venue confirms anything.
 */
import type { OrderEvent, TargetTradeSeen } from '../core/events.ts';
import type { CheckResult, Decision } from '../core/ports.ts';
import type { ReasonCode } from '../core/reason-codes.ts';
import { mulDiv, notional } from '../core/money.ts';
import type { Fill, Order } from '../core/types.ts';
import { shapeOrder } from '../polymarket/order-rules.ts';
import type { RiskManager } from '../risk/risk-manager.ts';
import type { AccountView } from '../risk/types.ts';
import type { PlaceOrder, StrategyAction } from '../strategy/api.ts';
import type { Clock } from '../core/clock.ts';
import type { IdSource } from '../core/ids.ts';
import type { MarketRegistry } from '../core/market-registry.ts';
import type { BookRegistry } from '../core/order-book.ts';
import type { Venue } from '../core/ports.ts';
import type { Portfolio } from './portfolio.ts';
import type { StrategyInstance } from '../strategy/strategy-instance.ts';

interface Working {
  order: Order;
  filledMicros: number;
}

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
  emitDecision(decision: Decision): void;
}

export class OrderFlow {
  decisionsMade = 0;
  private working = new Map<string, Working>();
  private counts = new Map<string, DecisionCounts>();
  private readonly accountView: AccountView;

  constructor(private readonly deps: OrderFlowDeps) {
    this.accountView = deps.portfolio.view(() => this.pendingBuys());
  }

  apply(strategy: StrategyInstance, actions: readonly StrategyAction[], causeKey?: string): void {
    for (const action of actions) {
      if (action.kind === 'skip') {
        this.decide(strategy, { action: 'skip', reason: action.reason, message: action.message, details: action.details ?? {}, causeKey });
      } else if (action.kind === 'cancel') {
        this.deps.venue.cancel(action.clientOrderId, action.reason);
        this.decide(strategy, {
          action: 'cancel',
          reason: action.reason,
          message: `cancel ${action.clientOrderId}`,
          details: {},
          clientOrderId: action.clientOrderId,
          causeKey,
        });
      } else {
        this.place(strategy, action, causeKey);
      }
    }
  }

  skip(strategy: StrategyInstance, event: TargetTradeSeen, reason: ReasonCode, message: string): void {
    this.decide(strategy, {
      action: 'skip',
      reason,
      message,
      details: {},
      causeKey: event.key,
      tokenId: event.trade.tokenId,
      side: event.trade.side,
    });
  }

  /** Orders we sent that are not finished (including those the venue has not acknowledged yet). */
  workingOrders(): Order[] {
    return [...this.working.values()].map((w) => w.order);
  }

  /** Unfilled cost of BUYs sent and not finished, for exposure checks before the venue answers. */
  pendingBuys(strategyId?: string): { conditionId: string; costMicros: number }[] {
    const out: { conditionId: string; costMicros: number }[] = [];
    for (const w of this.working.values()) {
      const o = w.order;
      if (o.side !== 'BUY' || (strategyId && o.strategyId !== strategyId)) continue;
      const full = o.amountMicros ?? notional(o.sizeMicros, o.priceMicros, 'ceil');
      const left = o.sizeMicros > 0 ? mulDiv(full, Math.max(0, o.sizeMicros - w.filledMicros), o.sizeMicros, 'ceil') : 0;
      if (left > 0) out.push({ conditionId: o.conditionId, costMicros: left });
    }
    return out;
  }

  /** Tracks our orders; returns the fill to book, if the event carries one. */
  onOrderEvent(event: OrderEvent): Fill | undefined {
    const id = event.order.clientOrderId;
    switch (event.type) {
      case 'order_filled':
      case 'order_partially_filled': {
        const w = this.working.get(id);
        if (w) {
          w.filledMicros += event.fill.sizeMicros;
          if (event.type === 'order_filled' || w.filledMicros >= w.order.sizeMicros) this.working.delete(id);
        }
        return event.fill;
      }
      case 'order_rejected':
      case 'order_cancelled':
      case 'order_expired':
        this.working.delete(id);
        return undefined;
      default:
        return undefined;
    }
  }

  private place(strategy: StrategyInstance, action: PlaceOrder, causeKeyArg?: string): void {
    const deps = this.deps;
    const intent = { ...action.intent };
    const causeKey = intent.causeKey ?? causeKeyArg;
    const base = { causeKey, tokenId: intent.tokenId, side: intent.side };
    const market = deps.markets.byTokenId(intent.tokenId);
    if (!market) {
      this.decide(strategy, {
        ...base,
        action: 'skip',
        reason: 'unknown_market',
        message: `no market metadata for token ${intent.tokenId}`,
        details: {},
      });
      return;
    }
    if (intent.side === 'SELL') {
      const held = deps.portfolio.strategy(strategy.id).size(intent.tokenId) - this.pendingSells(strategy.id, intent.tokenId);
      const wanted = intent.sizeMicros ?? 0;
      if (held <= 0) {
        this.decide(strategy, {
          ...base,
          action: 'skip',
          reason: 'no_position_to_sell',
          message: 'nothing left to sell (holdings minus SELLs in flight)',
          details: { wantedMicros: wanted, heldMicros: Math.max(0, held) },
        });
        return;
      }
      if (wanted > held) intent.sizeMicros = held;
    }
    const shaped = shapeOrder(intent, market);
    if (!shaped.ok) {
      this.decide(strategy, { ...base, action: 'skip', reason: shaped.reason, message: shaped.message, details: shaped.details });
      return;
    }
    const order: Order = {
      ...shaped.order,
      clientOrderId: deps.ids.next('o'),
      strategyId: strategy.id,
      conditionId: market.conditionId,
      createdMs: deps.clock.now(),
      causeKey,
      referencePriceMicros: intent.referencePriceMicros,
      salt: deps.ids.salt(),
    };
    const book = deps.books.get(intent.tokenId);
    const account = this.accountView;
    const input = { order, market, book, account, nowMs: order.createdMs };
    const verdict = deps.risk.check(input);
    let checks: CheckResult[] = verdict.checks;
    let denied = verdict.approved ? undefined : verdict;
    const own = deps.strategyRisk[strategy.id];
    if (!denied && own) {
      const strategyAccount = deps.portfolio.strategy(strategy.id);
      const ownAccount: AccountView = {
        get cashMicros() {
          return account.cashMicros;
        },
        get equityMicros() {
          return account.equityMicros;
        },
        positionSize: (t) => strategyAccount.size(t),
        marketExposure: (c) => strategyAccount.costIn(c),
        totalExposure: () => strategyAccount.costOfOpen(),
        marketsHeld: () => strategyAccount.marketsHeld(),
        pendingBuys: () => this.pendingBuys(strategy.id),
      };
      const ownVerdict = own.check({ ...input, account: ownAccount });
      checks = checks.concat(ownVerdict.checks.map((c) => ({ ...c, code: `strategy.${c.code}` })));
      if (!ownVerdict.approved) denied = ownVerdict;
    }
    const details = {
      priceMicros: order.priceMicros,
      sizeMicros: order.sizeMicros,
      amountMicros: order.amountMicros ?? null,
      adjustments: shaped.adjustments.join('; '),
    };
    if (denied) {
      this.decide(strategy, {
        ...base,
        action: 'deny',
        reason: denied.reason,
        message: denied.message,
        details,
        checks,
        clientOrderId: order.clientOrderId,
      });
      return;
    }
    deps.risk.recordOrderSubmitted(order.createdMs);
    own?.recordOrderSubmitted(order.createdMs);
    this.working.set(order.clientOrderId, { order, filledMicros: 0 });
    this.decide(strategy, {
      ...base,
      action: causeKey ? 'copy' : 'order',
      reason: 'approved',
      message: action.intent.note ?? `${order.side} ${order.type}`,
      details,
      checks,
      clientOrderId: order.clientOrderId,
    });
    deps.venue.submit(order);
  }

  private pendingSells(strategyId: string, tokenId: string): number {
    let total = 0;
    for (const w of this.working.values()) {
      const o = w.order;
      if (o.strategyId === strategyId && o.tokenId === tokenId && o.side === 'SELL') total += o.sizeMicros - w.filledMicros;
    }
    return total;
  }

  /** How many copies and skips this instance has decided so far. */
  countsOf(strategyId: string): DecisionCounts {
    return this.counts.get(strategyId) ?? { copies: 0, skips: 0 };
  }

  private decide(
    strategy: StrategyInstance,
    d: Omit<Decision, 'decisionId' | 'tsMs' | 'strategyId' | 'checks'> & { checks?: CheckResult[] },
  ): void {
    this.decisionsMade++;
    let counts = this.counts.get(strategy.id);
    if (!counts) this.counts.set(strategy.id, (counts = { copies: 0, skips: 0 }));
    if (d.action === 'copy' || d.action === 'order') counts.copies++;
    else if (d.action === 'skip' || d.action === 'deny') counts.skips++;
    const decision: Decision = {
      decisionId: this.deps.ids.next('d'),
      tsMs: this.deps.clock.now(),
      strategyId: strategy.id,
      wallet: strategy.wallets.length === 1 ? strategy.wallets[0] : undefined,
      checks: [],
      ...d,
    };
    this.deps.emitDecision(decision);
  }
}
