/** Builders for the OrderEvents the simulated venue emits (one place for the event shapes). */
import type { OrderEvent } from '../../core/events.ts';
import type { Micros } from '../../core/money.ts';
import type { Fill, Order } from '../../core/types.ts';

export function makeFill(
  order: Order,
  fillId: string,
  priceMicros: Micros,
  sizeMicros: Micros,
  feeMicros: Micros,
  liquidity: 'maker' | 'taker',
  tsMs: number,
): Fill {
  return {
    fillId,
    clientOrderId: order.clientOrderId,
    strategyId: order.strategyId,
    tokenId: order.tokenId,
    conditionId: order.conditionId,
    side: order.side,
    priceMicros,
    sizeMicros,
    feeMicros,
    liquidity,
    tsMs,
  };
}

export function accepted(order: Order, ts: number): OrderEvent {
  return { type: 'order_accepted', order, venueOrderId: order.clientOrderId, tsEvent: ts, tsRecv: ts };
}

export function rejected(order: Order, reason: string, message: string, ts: number): OrderEvent {
  return { type: 'order_rejected', order, reason, message, tsEvent: ts, tsRecv: ts };
}

export function filled(order: Order, fill: Fill, complete: boolean, ts: number): OrderEvent {
  return { type: complete ? 'order_filled' : 'order_partially_filled', order, fill, tsEvent: ts, tsRecv: ts };
}

export function cancelled(order: Order, reason: string, unfilledMicros: Micros, ts: number): OrderEvent {
  return { type: 'order_cancelled', order, reason, unfilledMicros, tsEvent: ts, tsRecv: ts };
}

export function expired(order: Order, unfilledMicros: Micros, ts: number): OrderEvent {
  return { type: 'order_expired', order, unfilledMicros, tsEvent: ts, tsRecv: ts };
}

/** The CLOB's texts for the outcomes the sim reproduces (https://docs.polymarket.com/resources/error-codes). */
export const SIM_MESSAGES = {
  fokNoMatch: 'no orders found to match with FOK order. FOK orders are fully filled or killed.',
  fakNoMatch: 'no orders found to match with FAK order. FAK orders are partially filled or killed if no match is found.',
  postOnlyCross: 'invalid post-only order: order crosses book',
} as const;
