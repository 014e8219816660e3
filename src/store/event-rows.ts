/**
 * Engine events ↔ recording rows. Book levels are stored as JSON `[[priceMicros, sizeMicros], ...]`
 * best first; a `book_change` frame is one row per level change sharing a `frame` number.
 */
import type {
  BookLevelsChanged,
  BookSnapshotted,
  EngineEvent,
  MarketResolved,
  MarketUpdated,
  TargetTradeSeen,
  TradePrinted,
} from '../core/events.ts';
import { isSourceName, type BookLevel, type MarketInfo, type Side, type SourceName, type TokenInfo } from '../core/types.ts';
import type { RowValue } from './schema.ts';

export type Row = Record<string, unknown>;

export function levelsJson(levels: BookLevel[]): string {
  return JSON.stringify(levels.map((l) => [l.priceMicros, l.sizeMicros]));
}

function parseLevels(text: unknown): BookLevel[] {
  return (JSON.parse(String(text)) as [number, number][]).map(([priceMicros, sizeMicros]) => ({ priceMicros, sizeMicros }));
}

export function marketRow(
  m: MarketInfo,
  ts: { tsEvent: number; tsRecv: number },
  extra: { inferred?: boolean; source?: string; raw?: string } = {},
): Record<string, RowValue> {
  return {
    ts_event: ts.tsEvent,
    ts_recv: ts.tsRecv,
    condition_id: m.conditionId,
    slug: m.slug,
    question: m.question,
    tokens: JSON.stringify(m.tokens.map((t) => ({ tokenId: t.tokenId, outcome: t.outcome }))),
    neg_risk: m.negRisk,
    tick_micros: m.tickMicros,
    min_order_size_micros: m.minOrderSizeMicros,
    end_ms: m.endMs,
    fee_rate: m.feeRate,
    fee_exponent: m.feeExponent,
    closed: m.closed,
    inferred: extra.inferred ?? false,
    source: extra.source,
    raw: extra.raw,
  };
}

export function tradeRow(e: TargetTradeSeen, raw?: string): Record<string, RowValue> {
  const t = e.trade;
  return {
    ts_event: e.tsEvent,
    ts_recv: e.tsRecv,
    source: String(e.source),
    source_seq: e.seq,
    dedup_key: e.key,
    wallet: t.wallet,
    tx_hash: t.txHash,
    token_id: t.tokenId,
    condition_id: t.conditionId,
    side: t.side,
    size_micros: t.sizeMicros,
    price_micros: t.priceMicros,
    usdc_micros: t.usdcMicros,
    outcome: t.outcome,
    outcome_index: t.outcomeIndex,
    slug: t.slug,
    event_slug: t.eventSlug,
    title: t.title,
    raw,
  };
}

export function snapshotRow(e: BookSnapshotted): Record<string, RowValue> {
  return {
    ts_event: e.tsEvent,
    ts_recv: e.tsRecv,
    token_id: e.tokenId,
    condition_id: e.conditionId,
    bids: levelsJson(e.bids),
    asks: levelsJson(e.asks),
  };
}

export function printRow(e: TradePrinted, source?: string): Record<string, RowValue> {
  return {
    ts_event: e.tsEvent,
    ts_recv: e.tsRecv,
    token_id: e.tokenId,
    side: e.side,
    price_micros: e.priceMicros,
    size_micros: e.sizeMicros,
    source,
  };
}

export function resolutionRow(e: MarketResolved, source?: string): Record<string, RowValue> {
  return { ts_event: e.tsEvent, ts_recv: e.tsRecv, condition_id: e.conditionId, payouts: JSON.stringify(e.payouts), source };
}

const num = (v: unknown): number => Number(v);

function sourceName(text: string): SourceName {
  if (!isSourceName(text)) throw new Error(`recording: target trade source "${text}" is not rtds, data-api, chain or import:<file>`);
  return text;
}
const optNum = (v: unknown): number | undefined => (v === null || v === undefined ? undefined : Number(v));
const optStr = (v: unknown): string | undefined => (v === null || v === undefined ? undefined : String(v));

export function rowToMarket(r: Row): MarketUpdated {
  const market: MarketInfo = {
    conditionId: String(r.condition_id),
    slug: optStr(r.slug),
    question: optStr(r.question),
    tokens: JSON.parse(String(r.tokens)) as TokenInfo[],
    negRisk: Boolean(r.neg_risk),
    tickMicros: num(r.tick_micros),
    minOrderSizeMicros: num(r.min_order_size_micros),
  };
  if (r.end_ms !== null && r.end_ms !== undefined) market.endMs = num(r.end_ms);
  if (r.fee_rate !== null && r.fee_rate !== undefined) market.feeRate = num(r.fee_rate);
  if (r.fee_exponent !== null && r.fee_exponent !== undefined) market.feeExponent = num(r.fee_exponent);
  if (r.closed !== null && r.closed !== undefined) market.closed = Boolean(r.closed);
  return { type: 'market', tsEvent: num(r.ts_event), tsRecv: num(r.ts_recv), market };
}

export function rowToTrade(r: Row): TargetTradeSeen {
  const trade: TargetTradeSeen['trade'] = {
    wallet: String(r.wallet),
    txHash: String(r.tx_hash),
    tokenId: String(r.token_id),
    conditionId: String(r.condition_id),
    side: r.side as Side,
    sizeMicros: num(r.size_micros),
    priceMicros: num(r.price_micros),
    usdcMicros: num(r.usdc_micros),
    outcome: String(r.outcome ?? ''),
  };
  const oi = optNum(r.outcome_index);
  if (oi !== undefined) trade.outcomeIndex = oi;
  for (const [k, col] of [
    ['slug', 'slug'],
    ['eventSlug', 'event_slug'],
    ['title', 'title'],
  ] as const) {
    const v = optStr(r[col]);
    if (v !== undefined) trade[k] = v;
  }
  const e: TargetTradeSeen = {
    type: 'target_trade',
    tsEvent: num(r.ts_event),
    tsRecv: num(r.ts_recv),
    source: sourceName(String(r.source)),
    seq: num(r.source_seq),
    trade,
  };
  const key = optStr(r.dedup_key);
  if (key !== undefined) e.key = key;
  return e;
}

export function rowToSnapshot(r: Row): BookSnapshotted {
  const e: BookSnapshotted = {
    type: 'book_snapshot',
    tsEvent: num(r.ts_event),
    tsRecv: num(r.ts_recv),
    tokenId: String(r.token_id),
    bids: parseLevels(r.bids),
    asks: parseLevels(r.asks),
  };
  const c = optStr(r.condition_id);
  if (c !== undefined) e.conditionId = c;
  return e;
}

/** Consecutive rows of one frame → one event. */
export function rowsToChange(rows: Row[]): BookLevelsChanged {
  const first = rows[0]!;
  return {
    type: 'book_change',
    tsEvent: num(first.ts_event),
    tsRecv: num(first.ts_recv),
    tokenId: String(first.token_id),
    changes: rows.map((r) => ({ side: r.side as Side, priceMicros: num(r.price_micros), sizeMicros: num(r.size_micros) })),
  };
}

export function rowToPrint(r: Row): TradePrinted {
  return {
    type: 'trade_print',
    tsEvent: num(r.ts_event),
    tsRecv: num(r.ts_recv),
    tokenId: String(r.token_id),
    side: r.side as Side,
    priceMicros: num(r.price_micros),
    sizeMicros: num(r.size_micros),
  };
}

export function rowToResolution(r: Row): MarketResolved {
  return {
    type: 'market_resolved',
    tsEvent: num(r.ts_event),
    tsRecv: num(r.ts_recv),
    conditionId: String(r.condition_id),
    payouts: JSON.parse(String(r.payouts)) as Record<string, number>,
  };
}

/** Event types that a recording stores (order events and timers belong to runs, not recordings). */
export type RecordedEvent = MarketUpdated | TargetTradeSeen | BookSnapshotted | BookLevelsChanged | TradePrinted | MarketResolved;

export function isRecorded(e: EngineEvent): e is RecordedEvent {
  return (
    e.type === 'market' ||
    e.type === 'target_trade' ||
    e.type === 'book_snapshot' ||
    e.type === 'book_change' ||
    e.type === 'trade_print' ||
    e.type === 'market_resolved'
  );
}
