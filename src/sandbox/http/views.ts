/** JSON shapes of the real CLOB for books, orders and trades, built from sandbox state. */
import { createHash } from 'node:crypto';
import type { Exchange } from '../exchange/exchange.ts';
import { microsText, tickText } from '../exchange/exchange-rules.ts';
import type { LedgerFill, RestingOrder } from '../exchange/types.ts';

export const dec = microsText;

/** GET /book body: bids ascending and asks descending — best price LAST, as the SDK expects. */
export function bookJson(ex: Exchange, tokenId: string, nowMs: number): Record<string, unknown> {
  const { market } = ex.market(tokenId)!;
  const book = ex.books.get(tokenId);
  const side = (s: 'BUY' | 'SELL') =>
    (book?.levels(s) ?? []).reverse().map((l) => ({ price: dec(l.priceMicros), size: dec(l.sizeMicros) }));
  const last = ex.lastTrade.get(tokenId);
  const body: Record<string, unknown> = {
    market: market.conditionId,
    asset_id: tokenId,
    timestamp: String(nowMs),
    hash: '',
    bids: side('BUY'),
    asks: side('SELL'),
    min_order_size: dec(market.minOrderSizeMicros),
    tick_size: tickText(market.tickMicros),
    neg_risk: market.negRisk,
    last_trade_price: last ? dec(last.priceMicros) : '0.5',
  };
  body.hash = createHash('sha1').update(JSON.stringify(body)).digest('hex');
  return body;
}

export function openOrderJson(o: RestingOrder): Record<string, unknown> {
  return {
    id: o.id,
    status: o.status,
    owner: o.owner,
    maker_address: o.makerAddress,
    market: o.conditionId,
    asset_id: o.tokenId,
    side: o.side,
    original_size: dec(o.originalSizeMicros),
    size_matched: dec(o.matchedMicros),
    price: dec(o.priceMicros),
    outcome: o.outcome,
    expiration: String(o.expirationSec),
    order_type: o.type,
    associate_trades: [...o.associateTrades],
    created_at: Math.floor(o.createdAtMs / 1000),
  };
}

/** MATCHED until the settlement delay passes, then MINED, CONFIRMED two seconds later. */
export function tradeStatus(f: LedgerFill, nowMs: number): string {
  if (f.forcedStatus) return f.forcedStatus;
  if (nowMs < f.settledAtMs) return 'MATCHED';
  return nowMs >= f.settledAtMs + 2000 ? 'CONFIRMED' : 'MINED';
}

/** One CLOB Trade (all maker fills of one taker match), seen by `viewer` (lower-case address). */
export function tradeJson(fills: LedgerFill[], viewer: { address: string; key: string }, nowMs: number): Record<string, unknown> {
  const first = fills[0]!;
  const status = tradeStatus(first, nowMs);
  let size = 0;
  let usdc = 0;
  for (const f of fills) {
    size += f.sizeMicros;
    usdc += (f.sizeMicros * f.priceMicros) / 1e6;
  }
  const price = Math.round((usdc / size) * 1e6);
  const isTaker = first.takerAddress === viewer.address;
  const sec = String(Math.floor(first.tsMs / 1000));
  return {
    id: first.tradeId,
    taker_order_id: first.takerOrderId,
    market: first.conditionId,
    asset_id: first.tokenId,
    side: first.takerSide,
    size: dec(size),
    fee_rate_bps: String(first.feeRateBps),
    price: dec(price),
    status,
    match_time: sec,
    last_update: sec,
    outcome: first.outcome,
    bucket_index: first.bucketIndex,
    owner: viewer.key,
    maker_address: isTaker ? first.takerAddress : viewer.address,
    transaction_hash: status === 'MATCHED' || status === 'FAILED' ? '' : first.txHash,
    trader_side: isTaker ? 'TAKER' : 'MAKER',
    maker_orders: fills.map((f) => ({
      order_id: f.makerOrderId,
      owner: f.makerOwner,
      maker_address: f.makerAddress,
      matched_amount: dec(f.sizeMicros),
      price: dec(f.priceMicros),
      fee_rate_bps: '0',
      asset_id: f.tokenId,
      outcome: f.outcome,
      side: f.takerSide === 'BUY' ? 'SELL' : 'BUY',
    })),
  };
}

/** Cursor pagination of the CLOB: base64 offsets, "LTE=" marks the end. */
export function paginate<T>(
  items: T[],
  cursor: string | null,
  limit: number,
): { limit: number; count: number; next_cursor: string; data: T[] } {
  let offset = 0;
  if (cursor && cursor !== 'MA==') {
    const n = Number(Buffer.from(cursor, 'base64').toString('utf8'));
    offset = Number.isFinite(n) && n >= 0 ? n : 0;
  }
  const data = items.slice(offset, offset + limit);
  const next = offset + limit < items.length ? Buffer.from(String(offset + limit)).toString('base64') : 'LTE=';
  return { limit, count: data.length, next_cursor: next, data };
}
