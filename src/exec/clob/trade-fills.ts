/**
 * CLOB trades → our fills. One trade is one taker match: as its taker we get one fill per maker
 * order it hit (each at that maker's price); as a maker we get the entry naming our order.
 */
import type { Trade } from '@polymarket/clob-client-v2';
import { toMicros, type Micros } from '../../core/money.ts';
import type { Fill, Order } from '../../core/types.ts';
import { takerFeeMicros } from '../../polymarket/fees.ts';

export interface FillPart {
  fillId: string;
  priceMicros: Micros;
  sizeMicros: Micros;
  feeMicros: Micros;
  liquidity: 'maker' | 'taker';
  tsMs: number;
  tradeId: string;
}

/** Parses a CLOB decimal ("19.2307", "100000000" never appears for sizes here) into micros. */
function micros(text: string | number | undefined): Micros {
  if (text === undefined || text === '') return 0;
  return toMicros(String(text));
}

/** True for trades that never settled (their fill did not happen). */
export function isFailedTrade(trade: Pick<Trade, 'status'>): boolean {
  return typeof trade.status === 'string' && /FAILED/i.test(trade.status);
}

/** The parts of `trade` that belong to our order `orderHash`; empty when it is not ours. */
export function fillPartsFor(trade: Trade, orderHash: string): FillPart[] {
  const id = orderHash.toLowerCase();
  const tsMs = Number(trade.match_time) * 1000 || 0;
  const parts: FillPart[] = [];
  if ((trade.taker_order_id ?? '').toLowerCase() === id) {
    const feeRate = Number(trade.fee_rate_bps) / 10_000;
    const makers = trade.maker_orders ?? [];
    makers.forEach((m, i) => {
      const price = micros(m.price);
      const size = micros(m.matched_amount);
      if (size <= 0) return;
      parts.push({
        fillId: `${trade.id}:t${i}`,
        priceMicros: price,
        sizeMicros: size,
        feeMicros: takerFeeMicros(size, price, { feeRate, feeExponent: 1 }),
        liquidity: 'taker',
        tsMs,
        tradeId: trade.id,
      });
    });
    if (makers.length === 0) {
      const size = micros(trade.size);
      const price = micros(trade.price);
      if (size > 0)
        parts.push({
          fillId: `${trade.id}:t`,
          priceMicros: price,
          sizeMicros: size,
          feeMicros: takerFeeMicros(size, price, { feeRate, feeExponent: 1 }),
          liquidity: 'taker',
          tsMs,
          tradeId: trade.id,
        });
    }
    return parts;
  }
  (trade.maker_orders ?? []).forEach((m, i) => {
    if ((m.order_id ?? '').toLowerCase() !== id) return;
    const size = micros(m.matched_amount);
    if (size > 0)
      parts.push({
        fillId: `${trade.id}:m${i}`,
        priceMicros: micros(m.price),
        sizeMicros: size,
        feeMicros: 0,
        liquidity: 'maker',
        tsMs,
        tradeId: trade.id,
      });
  });
  return parts;
}

/** Every order hash a trade touches (taker first). */
export function orderIdsOf(trade: Trade): string[] {
  return [trade.taker_order_id, ...(trade.maker_orders ?? []).map((m) => m.order_id)].filter(Boolean).map((s) => s.toLowerCase());
}

export function toFill(order: Order, part: FillPart): Fill {
  return {
    fillId: part.fillId,
    clientOrderId: order.clientOrderId,
    strategyId: order.strategyId,
    tokenId: order.tokenId,
    conditionId: order.conditionId,
    side: order.side,
    priceMicros: part.priceMicros,
    sizeMicros: part.sizeMicros,
    feeMicros: part.feeMicros,
    liquidity: part.liquidity,
    tsMs: part.tsMs,
    venueTradeId: part.tradeId,
  };
}
