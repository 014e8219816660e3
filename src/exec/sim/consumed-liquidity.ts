/**
 * Liquidity our simulated orders already took from each book level. Recorded books do not know about
 * our fills, so without this two orders in a row would both take the same shares. A level's record is
 * dropped as soon as the feed reports a new size for it (or a snapshot replaces the book).
 */
import type { MarketDataEvent } from '../../core/events.ts';
import type { Micros } from '../../core/money.ts';

/** Consumption of one token: price → shares taken, for each side of its book. */
export interface TokenConsumption {
  bids: Map<Micros, Micros>;
  asks: Map<Micros, Micros>;
}

export class ConsumedLiquidity {
  private byToken = new Map<string, TokenConsumption>();

  /** The record for a token, created on first use. */
  of(tokenId: string): TokenConsumption {
    let entry = this.byToken.get(tokenId);
    if (!entry) {
      entry = { bids: new Map(), asks: new Map() };
      this.byToken.set(tokenId, entry);
    }
    return entry;
  }

  /** Forgets what the feed has since overwritten. */
  onMarketData(event: MarketDataEvent): void {
    if (event.type === 'book_snapshot') {
      this.byToken.delete(event.tokenId);
    } else if (event.type === 'book_change') {
      const entry = this.byToken.get(event.tokenId);
      // Most frames touch a book we took nothing from (or whose records the feed has overwritten already).
      if (!entry || (entry.bids.size === 0 && entry.asks.size === 0)) return;
      for (const change of event.changes) (change.side === 'BUY' ? entry.bids : entry.asks).delete(change.priceMicros);
    }
  }
}
