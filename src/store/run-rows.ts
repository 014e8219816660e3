/** Run output (decisions, order events, fills, equity) ↔ rows of the run tables. */
import type { OrderEvent } from '../core/events.ts';
import type { Decision, EquityPoint } from '../core/ports.ts';
import type { Fill, Order } from '../core/types.ts';
import type { Row } from './event-rows.ts';
import type { RowValue } from './schema.ts';

export function decisionRow(runId: string, d: Decision): Record<string, RowValue> {
  return {
    run_id: runId,
    decision_id: d.decisionId,
    ts_ms: d.tsMs,
    strategy_id: d.strategyId,
    wallet: d.wallet,
    cause_key: d.causeKey,
    token_id: d.tokenId,
    side: d.side,
    action: d.action,
    reason: d.reason,
    message: d.message,
    details: JSON.stringify(d.details),
    checks: JSON.stringify(d.checks),
    client_order_id: d.clientOrderId,
  };
}

/** `event` is the order's lifecycle step: submitted, accepted, rejected, partially_filled, filled, cancelled, expired. */
export function orderRow(
  runId: string,
  order: Order,
  event: string,
  tsMs: number,
  extra: { venueOrderId?: string; reason?: string; message?: string; unfilledMicros?: number } = {},
): Record<string, RowValue> {
  return {
    run_id: runId,
    ts_ms: tsMs,
    event,
    client_order_id: order.clientOrderId,
    strategy_id: order.strategyId,
    token_id: order.tokenId,
    condition_id: order.conditionId,
    side: order.side,
    type: order.type,
    price_micros: order.priceMicros,
    size_micros: order.sizeMicros,
    amount_micros: order.amountMicros,
    post_only: order.postOnly,
    expires_at_ms: order.expiresAtMs,
    created_ms: order.createdMs,
    cause_key: order.causeKey,
    reference_price_micros: order.referencePriceMicros,
    salt: order.salt,
    venue_order_id: extra.venueOrderId,
    reason: extra.reason,
    message: extra.message,
    unfilled_micros: extra.unfilledMicros,
  };
}

export function orderEventRow(runId: string, e: OrderEvent): Record<string, RowValue> {
  const step = e.type.replace(/^order_/, '');
  switch (e.type) {
    case 'order_accepted':
      return orderRow(runId, e.order, step, e.tsRecv, { venueOrderId: e.venueOrderId });
    case 'order_rejected':
      return orderRow(runId, e.order, step, e.tsRecv, { reason: e.reason, message: e.message });
    case 'order_cancelled':
      return orderRow(runId, e.order, step, e.tsRecv, { reason: e.reason, unfilledMicros: e.unfilledMicros });
    case 'order_expired':
      return orderRow(runId, e.order, step, e.tsRecv, { unfilledMicros: e.unfilledMicros });
    default:
      return orderRow(runId, e.order, step, e.tsRecv);
  }
}

export function fillRow(runId: string, f: Fill): Record<string, RowValue> {
  return {
    run_id: runId,
    fill_id: f.fillId,
    client_order_id: f.clientOrderId,
    strategy_id: f.strategyId,
    token_id: f.tokenId,
    condition_id: f.conditionId,
    side: f.side,
    price_micros: f.priceMicros,
    size_micros: f.sizeMicros,
    fee_micros: f.feeMicros,
    liquidity: f.liquidity,
    ts_ms: f.tsMs,
    venue_trade_id: f.venueTradeId,
  };
}

export function equityRow(runId: string, p: EquityPoint): Record<string, RowValue> {
  return {
    run_id: runId,
    ts_ms: p.tsMs,
    equity_micros: p.equityMicros,
    cash_micros: p.cashMicros,
    realized_micros: p.realizedMicros,
    unrealized_micros: p.unrealizedMicros,
    fees_micros: p.feesMicros,
  };
}

const opt = <T>(v: unknown, f: (x: unknown) => T): T | undefined => (v === null || v === undefined ? undefined : f(v));

export function rowToDecision(r: Row): Decision {
  const d: Decision = {
    decisionId: String(r.decision_id),
    tsMs: Number(r.ts_ms),
    strategyId: String(r.strategy_id),
    action: r.action as Decision['action'],
    // As stored: a recording made by an older version may hold a code this one no longer uses.
    reason: String(r.reason) as Decision['reason'],
    message: String(r.message ?? ''),
    details: JSON.parse(String(r.details ?? '{}')) as Decision['details'],
    checks: JSON.parse(String(r.checks ?? '[]')) as Decision['checks'],
  };
  const wallet = opt(r.wallet, String);
  if (wallet !== undefined) d.wallet = wallet;
  const causeKey = opt(r.cause_key, String);
  if (causeKey !== undefined) d.causeKey = causeKey;
  const tokenId = opt(r.token_id, String);
  if (tokenId !== undefined) d.tokenId = tokenId;
  if (r.side === 'BUY' || r.side === 'SELL') d.side = r.side;
  const coid = opt(r.client_order_id, String);
  if (coid !== undefined) d.clientOrderId = coid;
  return d;
}

export function rowToFill(r: Row): Fill {
  const f: Fill = {
    fillId: String(r.fill_id),
    clientOrderId: String(r.client_order_id),
    strategyId: String(r.strategy_id),
    tokenId: String(r.token_id),
    conditionId: String(r.condition_id),
    side: r.side as Fill['side'],
    priceMicros: Number(r.price_micros),
    sizeMicros: Number(r.size_micros),
    feeMicros: Number(r.fee_micros),
    liquidity: r.liquidity as Fill['liquidity'],
    tsMs: Number(r.ts_ms),
  };
  const v = opt(r.venue_trade_id, String);
  if (v !== undefined) f.venueTradeId = v;
  return f;
}

export function rowToEquity(r: Row): EquityPoint {
  return {
    tsMs: Number(r.ts_ms),
    equityMicros: Number(r.equity_micros),
    cashMicros: Number(r.cash_micros),
    realizedMicros: Number(r.realized_micros),
    unrealizedMicros: Number(r.unrealized_micros),
    feesMicros: Number(r.fees_micros),
  };
}
