/**
 * The market side of a replay, shared by engines that see the same events in lockstep (the runs of one
 * window in a one-pass sweep): dedup, the targets' positions, market metadata and order books depend
 * only on the events, never on a run's settings, so they are worked out once per event instead of once
 * per engine. Each engine keeps everything of its own (cash, positions, marks, orders, risk, decisions).
 *
 * The driver of the group calls, for every event, in this order:
 *   1. each engine's clock advances to the event (timers fire against the state before the event);
 *   2. `begin(event)`: dedup, market metadata and book levels are applied once;
 *   3. each engine `handle(event)`s it — engines read what `begin` worked out and skip those writes;
 *   4. `end()`: the target's position advances by the trade (strategies size SELLs on the position
 *      before the trade, so it moves only after every engine has decided).
 * Engines given the same feed therefore see exactly what each would have seen alone.
 */
import { FillDedup } from '../core/dedup.ts';
import { InvariantError } from '../core/errors.ts';
import type { EngineEvent, TargetTradeSeen, TradePrinted } from '../core/events.ts';
import { MarketRegistry } from '../core/market-registry.ts';
import { BookRegistry } from '../core/order-book.ts';
import { TargetBook } from '../core/target-book.ts';
import { marketOfTrade } from '../polymarket/market-defaults.ts';
import { tradePrintOf } from './trade-print.ts';

export class SharedFeed {
  readonly targets = new TargetBook();
  readonly markets = new MarketRegistry();
  readonly books = new BookRegistry();
  private readonly dedup = new FillDedup();
  private current: EngineEvent | undefined;
  private accepted: TargetTradeSeen | undefined;
  private wallet = '';
  private print: TradePrinted | undefined;
  /** Token id → a small number, handed out in order of first sight, so each engine's marks are an array, not a Map. */
  private readonly tokenNos = new Map<string, number>();
  private lastToken = '';
  private lastTokenNo = -1;

  /** Step 2: applies the event's market side once for every engine of the group. */
  begin(event: EngineEvent): void {
    this.current = event;
    this.accepted = undefined;
    this.print = undefined;
    switch (event.type) {
      case 'target_trade': {
        const accepted = this.dedup.accept(event, event.occurrence);
        if (!accepted) return;
        // Every engine, strategy and listener shares this object: none may change what the next one sees.
        Object.freeze(accepted.trade);
        this.accepted = Object.freeze(accepted);
        const trade = accepted.trade;
        this.wallet = trade.wallet.toLowerCase();
        this.noteToken(trade.tokenId);
        if (!this.markets.byTokenId(trade.tokenId)) this.markets.upsert(marketOfTrade(trade));
        return;
      }
      case 'market':
        this.markets.upsert(event.market);
        return;
      case 'book_snapshot':
        this.noteToken(event.tokenId);
        this.books.getOrCreate(event.tokenId).replace(event.bids, event.asks, event.tsEvent);
        return;
      case 'book_change': {
        this.noteToken(event.tokenId);
        const book = this.books.getOrCreate(event.tokenId);
        for (const c of event.changes) book.setLevel(c.side, c.priceMicros, c.sizeMicros, event.tsEvent);
        return;
      }
      case 'trade_print':
        this.noteToken(event.tokenId);
        this.books.getOrCreate(event.tokenId).lastTradePriceMicros = event.priceMicros;
        return;
      default:
    }
  }

  /**
   * The number of a token (0, 1, 2… in order of first sight; the same for every engine of the group).
   * The event's own token is worked out once in `begin`, so the engines' per-event lookups are a compare.
   */
  tokenNoOf(tokenId: string): number {
    if (tokenId === this.lastToken) return this.lastTokenNo;
    let no = this.tokenNos.get(tokenId);
    if (no === undefined) this.tokenNos.set(tokenId, (no = this.tokenNos.size));
    return no;
  }

  private noteToken(tokenId: string): void {
    this.lastTokenNo = this.tokenNoOf(tokenId);
    this.lastToken = tokenId;
  }

  /** Step 3, for an engine: the trade as dedup passed it (undefined for a duplicate). */
  acceptedOf(raw: TargetTradeSeen): TargetTradeSeen | undefined {
    if (raw !== this.current)
      throw new InvariantError('a target trade reached an engine on a shared feed without the feed seeing it first (call begin(event))');
    return this.accepted;
  }

  /** The accepted trade's wallet in lower case (what strategies are keyed by). */
  walletOf(): string {
    return this.wallet;
  }

  /** The accepted trade as a print (what a trade of a wallet nobody follows is to a venue), made once. */
  printOf(): TradePrinted {
    if (this.print) return this.print;
    this.print = Object.freeze(tradePrintOf(this.accepted!));
    return this.print;
  }

  /** Step 4: after every engine has handled the event. */
  end(): void {
    if (this.accepted) this.targets.apply(this.accepted.trade);
    this.current = undefined;
    this.accepted = undefined;
    this.print = undefined;
  }
}
