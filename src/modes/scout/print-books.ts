/**
 * The spread/impact model scouting uses when a recording holds prints but no order books: after every
 * print on a token a synthetic book is put in place, so the book-walk fill model has something to walk
 * and a follower who arrives later meets the price of the later prints.
 *
 * The ladder after a print at price p whose taker side is BUY (a BUY lifts the ask, so the ask was p):
 *   asks p, p + 1 tick, p + 2 ticks, …   bids p − 1 tick, p − 2 ticks, …
 * and after a taker SELL (it hit the bid, so the bid was p):
 *   bids p, p − 1 tick, …                asks p + 1 tick, p + 2 ticks, …
 * Each level holds `levelUsdc` of notional, `levels` levels a side, inside [tick, 1 − tick]. So a
 * follower pays the half spread the print reveals (a tick when crossing the other side), plus one tick
 * of impact for every `levelUsdc` its order walks. Each token's book comes from its own prints only
 * (a print of the complementary outcome does not move it). docs/scout.md explains the choice.
 */
import type { BookSnapshotted, EngineEvent } from '../../core/events.ts';
import { MICROS, sharesFor, toMicros, type Micros } from '../../core/money.ts';
import type { BookLevel, Side } from '../../core/types.ts';
import { DEFAULT_TICK_MICROS } from '../../polymarket/market-defaults.ts';

export interface PrintBookModel {
  /** Notional (USDC) resting at each price level. Default 500. */
  levelUsdc: number;
  /** Price levels on each side. Default 10. */
  levels: number;
}

export const DEFAULT_PRINT_BOOK: PrintBookModel = { levelUsdc: 500, levels: 10 };

/** The synthetic ladder after one print. */
export function ladderAfterPrint(takerSide: Side, priceMicros: Micros, tickMicros: Micros, model: PrintBookModel): BookLevel[][] {
  const tick = tickMicros > 0 ? tickMicros : DEFAULT_TICK_MICROS;
  const bestAsk = takerSide === 'BUY' ? priceMicros : priceMicros + tick;
  const bestBid = takerSide === 'SELL' ? priceMicros : priceMicros - tick;
  const perLevel = toMicros(model.levelUsdc);
  const asks: BookLevel[] = [];
  const bids: BookLevel[] = [];
  for (let i = 0; i < model.levels; i++) {
    const ask = bestAsk + i * tick;
    if (ask >= tick && ask <= MICROS - tick) asks.push({ priceMicros: ask, sizeMicros: sharesFor(perLevel, ask, 'floor') });
    const bid = bestBid - i * tick;
    if (bid >= tick && bid <= MICROS - tick) bids.push({ priceMicros: bid, sizeMicros: sharesFor(perLevel, bid, 'floor') });
  }
  return [bids, asks];
}

/**
 * The same events with a synthetic `book_snapshot` just before every trade (any wallet's target trade
 * and every trade print), at the trade's own time. Market events give each token its tick.
 */
export function withPrintBooks(events: readonly EngineEvent[], model: PrintBookModel = DEFAULT_PRINT_BOOK): EngineEvent[] {
  const ticks = new Map<string, Micros>();
  const out: EngineEvent[] = [];
  for (const event of events) {
    if (event.type === 'market') for (const t of event.market.tokens) ticks.set(t.tokenId, event.market.tickMicros);
    const print =
      event.type === 'target_trade'
        ? { tokenId: event.trade.tokenId, side: event.trade.side, priceMicros: event.trade.priceMicros }
        : event.type === 'trade_print'
          ? { tokenId: event.tokenId, side: event.side, priceMicros: event.priceMicros }
          : undefined;
    if (print && print.priceMicros > 0 && print.priceMicros < MICROS) {
      const [bids, asks] = ladderAfterPrint(print.side, print.priceMicros, ticks.get(print.tokenId) ?? DEFAULT_TICK_MICROS, model);
      const book: BookSnapshotted = {
        type: 'book_snapshot',
        tokenId: print.tokenId,
        bids: bids!,
        asks: asks!,
        tsEvent: event.tsEvent,
        tsRecv: event.tsRecv,
      };
      out.push(book);
    }
    out.push(event);
  }
  return out;
}
