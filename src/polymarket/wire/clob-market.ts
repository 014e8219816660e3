/**
 * CLOB market-channel frames → engine events. On the wire `book` bids are ascending and asks
 * descending (best LAST); the core wants best first, so both are reversed after parsing and sorted
 * defensively. `price_change` comes in two formats: the old one (`asset_id` + `changes`, before
 * September 2025) and today's (`price_changes[]` with per-asset `best_bid`/`best_ask`).
 */
import { z } from 'zod';
import type { Micros } from '../../core/money.ts';
import type { BookLevel } from '../../core/types.ts';
import type { BookLevelsChanged, BookSnapshotted, MarketDataEvent, TradePrinted } from '../../core/events.ts';
import { WireError, epochMs, levelSize, nonEmpty, optionalMicros, optionalText, parseWire, probability, shares, side } from './fields.ts';

const level = z.object({ price: probability, size: levelSize });

const bookSchema = z.object({
  asset_id: nonEmpty,
  market: optionalText,
  timestamp: epochMs,
  bids: z.array(level),
  asks: z.array(level),
});

function bestFirst(levels: BookLevel[], descending: boolean): BookLevel[] {
  return [...levels].sort((a, b) => (descending ? b.priceMicros - a.priceMicros : a.priceMicros - b.priceMicros));
}

/** A `book` frame (or REST `/book` response). `tsRecvMs` defaults to the frame's own timestamp. */
export function parseBookFrame(frame: unknown, tsRecvMs?: number): BookSnapshotted {
  const b = parseWire(bookSchema, frame, 'book frame');
  const toLevels = (ls: { price: Micros; size: Micros }[]) => ls.map((l) => ({ priceMicros: l.price, sizeMicros: l.size }));
  return {
    type: 'book_snapshot',
    tsEvent: b.timestamp,
    tsRecv: tsRecvMs ?? b.timestamp,
    tokenId: b.asset_id,
    conditionId: b.market,
    bids: bestFirst(toLevels(b.bids), true),
    asks: bestFirst(toLevels(b.asks), false),
  };
}

const change = z.object({ price: probability, size: levelSize, side });
const oldPriceChange = z.object({ asset_id: nonEmpty, timestamp: epochMs, changes: z.array(change) });
const newPriceChange = z.object({
  timestamp: epochMs,
  price_changes: z.array(
    z.object({ asset_id: nonEmpty, price: probability, size: levelSize, side, best_bid: optionalMicros, best_ask: optionalMicros }),
  ),
});

/** Best bid/ask as reported by a new-format `price_change` (for consistency checks by live feeds). */
export interface ReportedBest {
  tokenId: string;
  bestBidMicros?: Micros;
  bestAskMicros?: Micros;
}

/** A `price_change` frame in either format → one BookLevelsChanged per asset, in frame order. */
export function parsePriceChangeFrame(frame: unknown, tsRecvMs?: number): { events: BookLevelsChanged[]; best: ReportedBest[] } {
  if (frame !== null && typeof frame === 'object' && 'price_changes' in frame) {
    const f = parseWire(newPriceChange, frame, 'price_change frame');
    const byToken = new Map<string, BookLevelsChanged>();
    const best = new Map<string, ReportedBest>();
    for (const c of f.price_changes) {
      let ev = byToken.get(c.asset_id);
      if (!ev) {
        ev = { type: 'book_change', tsEvent: f.timestamp, tsRecv: tsRecvMs ?? f.timestamp, tokenId: c.asset_id, changes: [] };
        byToken.set(c.asset_id, ev);
      }
      ev.changes.push({ side: c.side, priceMicros: c.price, sizeMicros: c.size });
      best.set(c.asset_id, { tokenId: c.asset_id, bestBidMicros: c.best_bid, bestAskMicros: c.best_ask });
    }
    return { events: [...byToken.values()], best: [...best.values()] };
  }
  const f = parseWire(oldPriceChange, frame, 'price_change frame');
  const event: BookLevelsChanged = {
    type: 'book_change',
    tsEvent: f.timestamp,
    tsRecv: tsRecvMs ?? f.timestamp,
    tokenId: f.asset_id,
    changes: f.changes.map((c) => ({ side: c.side, priceMicros: c.price, sizeMicros: c.size })),
  };
  return { events: [event], best: [] };
}

const lastTrade = z.object({ asset_id: nonEmpty, price: probability, size: shares, side, timestamp: epochMs });

/** A `last_trade_price` frame → a print on the tape. */
export function parseLastTradeFrame(frame: unknown, tsRecvMs?: number): TradePrinted {
  const f = parseWire(lastTrade, frame, 'last_trade_price frame');
  return {
    type: 'trade_print',
    tsEvent: f.timestamp,
    tsRecv: tsRecvMs ?? f.timestamp,
    tokenId: f.asset_id,
    side: f.side,
    priceMicros: f.price,
    sizeMicros: f.size,
  };
}

/**
 * Any market-channel message (an object or an array of them, as initial snapshots arrive) → engine
 * events. Types the engine does not use (tick_size_change, best_bid_ask, new_market...) give [].
 */
export function parseMarketMessage(message: unknown, tsRecvMs?: number): MarketDataEvent[] {
  // The initial snapshots arrive as one array of frames; an array is never nested deeper than that.
  if (Array.isArray(message)) return message.flatMap((m) => parseOneMessage(m, tsRecvMs));
  return parseOneMessage(message, tsRecvMs);
}

function parseOneMessage(message: unknown, tsRecvMs?: number): MarketDataEvent[] {
  if (message === null || typeof message !== 'object') throw new WireError('market message: expected a JSON object', '(root)');
  const m = message as Record<string, unknown>;
  const type = typeof m.event_type === 'string' ? m.event_type : inferType(m);
  if (type === 'book') return [parseBookFrame(m, tsRecvMs)];
  if (type === 'price_change') return parsePriceChangeFrame(m, tsRecvMs).events;
  if (type === 'last_trade_price') return [parseLastTradeFrame(m, tsRecvMs)];
  return [];
}

function inferType(m: Record<string, unknown>): string | undefined {
  if ('bids' in m && 'asks' in m) return 'book';
  if ('changes' in m || 'price_changes' in m) return 'price_change';
  return undefined;
}
