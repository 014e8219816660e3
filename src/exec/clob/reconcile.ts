/**
 * Finding out what happened to an order whose POST may or may not have reached the CLOB (a timeout,
 * a reset connection, a crash between journal and response): look it up by its orderID (the signed
 * order's hash, known before posting) among the CLOB's orders and our trades.
 */
import type { Trade } from '@polymarket/clob-client-v2';
import type { ClobApi, VenueOpenOrder } from './clob-api.ts';
import { orderIdsOf } from './trade-fills.ts';

export interface Reconciled {
  /** The CLOB knows the order (listed, or it traded). */
  found: boolean;
  /** The order as the CLOB lists it, when it does. */
  order?: VenueOpenOrder;
  /** Still resting on the book. */
  open: boolean;
  /** Our trades that involve the order. */
  trades: Trade[];
}

/** Looks up `orderHash` (placed on `tokenId` around `sinceMs`) on the CLOB. */
export async function reconcileOrder(api: ClobApi, orderHash: string, tokenId: string, sinceMs: number): Promise<Reconciled> {
  const id = orderHash.toLowerCase();
  const [order, trades] = await Promise.all([
    api.fetchOrder(orderHash),
    api.fetchTrades({ asset_id: tokenId, after: String(Math.floor(sinceMs / 1000) - 60) }),
  ]);
  const mine = trades.filter((t) => orderIdsOf(t).includes(id));
  const open = order !== undefined && /LIVE/i.test(order.status);
  return { found: order !== undefined || mine.length > 0, order, open, trades: mine };
}
