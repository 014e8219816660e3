/**
 * A Decision as the engine keeps it: the reason code, the ids and the numbers are fields; the words
 * (message, the shaping notes in `details`, each check's sentence, even the decision id's text) are
 * made when someone reads them — the TUI, a report, the store, the session journal. Reading gives
 * exactly what formatting at once gave. A headless replay or a sweep never pays for the words.
 *
 * Orders keep what shaped them (the intent, the size after the SELL cap, the market): their details
 * and a shaping refusal's message come from shaping the same intent again, which is a pure function
 * of those. The engine therefore treats an intent as fixed once a strategy returned it.
 */
import { keyOfCause, type CauseRef } from '../core/cause.ts';
import type { IdSource } from '../core/ids.ts';
import { textOf, type Text } from '../core/lazy-text.ts';
import type { CheckResult, Decision, DecisionAction } from '../core/ports.ts';
import type { StrategyReasonCode } from '../core/reason-codes.ts';
import type { MarketInfo, Order, OrderIntent, Side } from '../core/types.ts';
import { shapeOrder } from '../polymarket/order-rules.ts';
import type { ShapeResult } from '../polymarket/shaping-types.ts';

type Details = Decision['details'];

/** Something that makes its checks when asked (a risk verdict). */
export interface ChecksSource {
  readonly checks: CheckResult[];
}

export const NO_CHECKS: CheckResult[] = Object.freeze([]) as unknown as CheckResult[];
const NO_DETAILS: Details = Object.freeze({}) as Details;

export class DecisionRecord implements Decision {
  wallet?: string;
  /** The target trade answered (its key read only when `causeKey` is). */
  cause: CauseRef;
  tokenId?: string;
  side?: Side;
  clientOrderId?: string;
  private detailsValue: Details | undefined;
  /** How an order decision was shaped — the intent, the size after capping a SELL to holdings (when it differs), the market: enough to shape it again for its words. */
  private intent: OrderIntent | undefined;
  private cappedSizeMicros: number | undefined;
  private market: MarketInfo | undefined;
  private order: Order | undefined;
  /** The checks, or the verdict that makes them when first read (risk-manager.ts). */
  private checkSource: CheckResult[] | ChecksSource = NO_CHECKS;
  private idText: string | undefined;

  constructor(
    private readonly ids: Pick<IdSource, 'format'>,
    private readonly idNumber: number,
    readonly tsMs: number,
    readonly strategyId: string,
    readonly action: DecisionAction,
    readonly reason: StrategyReasonCode,
    private readonly text: Text | undefined,
    details: Details | undefined,
  ) {
    this.detailsValue = details;
  }

  /** An order's decision (copy, order, deny): details and notes come from shaping the intent again. */
  forOrder(
    order: Order,
    intent: OrderIntent,
    cappedSizeMicros: number | undefined,
    market: MarketInfo,
    checks: CheckResult[] | ChecksSource,
  ): this {
    this.order = order;
    this.shapedFrom(intent, cappedSizeMicros, market);
    this.checkSource = checks;
    this.clientOrderId = order.clientOrderId;
    return this;
  }

  /** A shaping refusal: message and details come from shaping the intent again. */
  forRefusal(intent: OrderIntent, cappedSizeMicros: number | undefined, market: MarketInfo): this {
    this.shapedFrom(intent, cappedSizeMicros, market);
    return this;
  }

  private shapedFrom(intent: OrderIntent, cappedSizeMicros: number | undefined, market: MarketInfo): void {
    this.intent = intent;
    this.cappedSizeMicros = cappedSizeMicros;
    this.market = market;
  }

  get decisionId(): string {
    if (this.idText === undefined) this.idText = this.ids.format('d', this.idNumber);
    return this.idText;
  }

  get message(): string {
    if (this.text === undefined && this.intent && !this.order) {
      const shaped = this.reshape();
      return shaped.ok ? '' : shaped.message;
    }
    return textOf(this.text);
  }

  get details(): Details {
    if (this.detailsValue !== undefined) return this.detailsValue;
    if (!this.intent) return (this.detailsValue = NO_DETAILS);
    const shaped = this.reshape();
    const order = this.order;
    if (!order) return (this.detailsValue = shaped.ok ? NO_DETAILS : shaped.details);
    return (this.detailsValue = {
      priceMicros: order.priceMicros,
      sizeMicros: order.sizeMicros,
      amountMicros: order.amountMicros ?? null,
      adjustments: shaped.ok ? shaped.adjustments.join('; ') : '',
    });
  }

  get causeKey(): string | undefined {
    return keyOfCause(this.cause);
  }

  set causeKey(key: string | undefined) {
    this.cause = key;
  }

  get checks(): CheckResult[] {
    const source = this.checkSource;
    return Array.isArray(source) ? source : (source as ChecksSource).checks;
  }

  /** The shape a plain Decision object has (session journal, JSON output). */
  toJSON(): Decision {
    const out: Decision = {
      decisionId: this.decisionId,
      tsMs: this.tsMs,
      strategyId: this.strategyId,
      wallet: this.wallet,
      checks: this.checks,
      causeKey: this.causeKey,
      tokenId: this.tokenId,
      side: this.side,
      action: this.action,
      reason: this.reason,
      message: this.message,
      details: this.details,
      clientOrderId: this.clientOrderId,
    };
    return out;
  }

  private reshape(): ShapeResult {
    const intent = this.intent!;
    const capped = this.cappedSizeMicros;
    return shapeOrder(capped === undefined ? intent : { ...intent, sizeMicros: capped }, this.market!);
  }
}
