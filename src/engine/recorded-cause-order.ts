/**
 * An order answering a recorded trade (a replay or a sweep): its `causeKey` is read from the trade when
 * first asked. A recorded trade keeps its dedup key in the DuckDB chunk until read (a native call and a copy,
 * src/store/recorded-trade.ts), and a headless replay or a sweep never asks for an order's cause; the store,
 * a report and the TUI do, and get the same text as a plain order's field.
 *
 * Only such orders are made this way: an order answering a live trade has its key as a plain field, as
 * every consumer (the intent journal, spreads, structured clones) has always read it. The getter is on the
 * prototype, so `toJSON` names it, and the engine never copies an order by spreading it.
 */
import { keyOfCause, type CauseRef, type TradeCause } from '../core/cause.ts';
import type { Micros } from '../core/money.ts';
import type { Order, OrderType, Side } from '../core/types.ts';

/** Whether an order for `cause` should keep the trade rather than its key: only a recorded trade, only while the order is short-lived. */
export function deferredCause(cause: CauseRef, type: OrderType): TradeCause | undefined {
  // A resting order may live for hours; holding the trade would hold its chunk's memory as long.
  if (typeof cause !== 'object' || cause.hasKey !== true || type === 'GTC' || type === 'GTD') return undefined;
  return cause;
}

export class RecordedCauseOrder implements Order {
  tokenId: string;
  side: Side;
  type: OrderType;
  priceMicros: Micros;
  postOnly: boolean;
  sizeMicros: Micros;
  clientOrderId: string;
  strategyId: string;
  conditionId: string;
  createdMs: number;
  referencePriceMicros?: Micros;
  salt: number;
  declare amountMicros?: Micros;
  declare expiresAtMs?: number;
  #cause: CauseRef;

  constructor(o: Order, cause: TradeCause) {
    this.tokenId = o.tokenId;
    this.side = o.side;
    this.type = o.type;
    this.priceMicros = o.priceMicros;
    this.postOnly = o.postOnly;
    this.sizeMicros = o.sizeMicros;
    this.clientOrderId = o.clientOrderId;
    this.strategyId = o.strategyId;
    this.conditionId = o.conditionId;
    this.createdMs = o.createdMs;
    this.referencePriceMicros = o.referencePriceMicros;
    this.salt = o.salt;
    this.#cause = cause;
  }

  get causeKey(): string | undefined {
    return keyOfCause(this.#cause);
  }

  set causeKey(key: string | undefined) {
    this.#cause = key;
  }

  /** The plain order, every field read (the same keys in the same order as an order made as a literal). */
  toJSON(): Order {
    const o: Order = {
      tokenId: this.tokenId,
      side: this.side,
      type: this.type,
      priceMicros: this.priceMicros,
      postOnly: this.postOnly,
      sizeMicros: this.sizeMicros,
      clientOrderId: this.clientOrderId,
      strategyId: this.strategyId,
      conditionId: this.conditionId,
      createdMs: this.createdMs,
      causeKey: this.causeKey,
      referencePriceMicros: this.referencePriceMicros,
      salt: this.salt,
    };
    if (this.amountMicros !== undefined) o.amountMicros = this.amountMicros;
    if (this.expiresAtMs !== undefined) o.expiresAtMs = this.expiresAtMs;
    return o;
  }
}
