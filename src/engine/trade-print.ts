import type { TargetTradeSeen, TradePrinted } from '../core/events.ts';

/** A target's trade as a print: what the venue sees of a trade (its price and size), whoever made it. */
export function tradePrintOf(event: TargetTradeSeen): TradePrinted {
  const trade = event.trade;
  return {
    type: 'trade_print',
    tokenId: trade.tokenId,
    side: trade.side,
    priceMicros: trade.priceMicros,
    sizeMicros: trade.sizeMicros,
    tsEvent: event.tsEvent,
    tsRecv: event.tsRecv,
  };
}
