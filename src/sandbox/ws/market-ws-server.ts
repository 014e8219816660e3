/** CLOB market channel (`/ws/market`): book snapshots, price_change, last_trade_price, tick_size_change. */
import WebSocket, { WebSocketServer } from 'ws';
import type { SandboxContext } from '../context.ts';
import { tickText } from '../exchange/exchange-rules.ts';
import type { ExchangeEvent } from '../exchange/types.ts';
import { bookJson, dec } from '../http/views.ts';
import { FaultySender } from './faulty-sender.ts';

interface Sub {
  assets: Set<string>;
  subscribed: boolean;
  custom: boolean;
}

export class MarketWsServer {
  readonly wss = new WebSocketServer({ noServer: true });
  private readonly subs = new Map<WebSocket, Sub>();
  private readonly sender: FaultySender;
  private readonly dirtyBooks = new Set<string>();
  /**
   * Level changes of one market from one synchronous exchange operation (a maker's cancel-and-requote,
   * a taker's walk), sent as ONE price_change: the matching engine never showed the states in between
   * (a side with the old quotes cancelled and the new ones not yet placed), so the feed must not either.
   */
  private pendingLevels: Extract<ExchangeEvent, { type: 'levels' }> | undefined;
  private flushScheduled = false;

  constructor(
    private readonly ctx: SandboxContext,
    random: () => number,
  ) {
    this.sender = new FaultySender('market', ctx.faults, random);
    this.wss.on('connection', (ws) => this.accept(ws));
    ctx.bus.on((e) => this.onExchange(e));
  }

  private accept(ws: WebSocket): void {
    const sub: Sub = { assets: new Set(), subscribed: false, custom: false };
    this.subs.set(ws, sub);
    ws.on('close', () => this.subs.delete(ws));
    ws.on('error', () => this.subs.delete(ws));
    ws.on('message', (data) => {
      const msg = data.toString();
      if (msg === 'PING') {
        // The real server closes sockets that ping before subscribing.
        if (!sub.subscribed) return ws.close(1008, 'invalid subscription payload');
        return ws.send('PONG');
      }
      let body: { assets_ids?: unknown; type?: string; operation?: string; custom_feature_enabled?: boolean };
      try {
        body = JSON.parse(msg);
      } catch {
        return ws.close(1008, 'invalid subscription payload');
      }
      const ids = Array.isArray(body.assets_ids) ? body.assets_ids.map(String) : undefined;
      if (!ids) return ws.close(1008, 'invalid subscription payload');
      if (body.operation === 'unsubscribe') {
        for (const id of ids) sub.assets.delete(id);
        return;
      }
      sub.subscribed = true;
      sub.custom = sub.custom || body.custom_feature_enabled === true;
      for (const id of ids) sub.assets.add(id);
      const books = ids
        .filter((id) => this.ctx.exchange.books.has(id))
        .map((id) => ({ event_type: 'book', ...bookJson(this.ctx.exchange, id, this.ctx.now()) }));
      // Initial snapshots arrive as one JSON array, as captured from the real feed.
      if (books.length > 0) this.sender.send(ws, JSON.stringify(books));
    });
  }

  private toSubscribers(assetIds: string[], frame: (sub: Sub, ws: WebSocket) => string | undefined): void {
    for (const [ws, sub] of this.subs) {
      if (!assetIds.some((a) => sub.assets.has(a))) continue;
      const f = frame(sub, ws);
      if (f !== undefined) this.sender.send(ws, f);
    }
  }

  private onExchange(e: ExchangeEvent): void {
    if (e.type === 'levels') {
      const pending = this.pendingLevels;
      if (pending && pending.conditionId === e.conditionId) {
        pending.changes.push(...e.changes);
        pending.tsMs = e.tsMs;
      } else {
        this.flushLevels();
        this.pendingLevels = { ...e, changes: [...e.changes] };
      }
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        queueMicrotask(() => {
          this.flushScheduled = false;
          this.flushLevels();
        });
      }
      return;
    }
    // Anything else keeps its place after the level changes before it.
    this.flushLevels();
    this.send(e);
  }

  private flushLevels(): void {
    const pending = this.pendingLevels;
    this.pendingLevels = undefined;
    if (pending) this.send(pending);
  }

  private send(e: ExchangeEvent): void {
    const ex = this.ctx.exchange;
    if (e.type === 'fill') {
      const f = e.fill;
      this.dirtyBooks.add(f.tokenId);
      this.toSubscribers([f.tokenId], () =>
        JSON.stringify({
          event_type: 'last_trade_price',
          asset_id: f.tokenId,
          market: f.conditionId,
          price: dec(f.priceMicros),
          side: f.takerSide,
          size: dec(f.sizeMicros),
          fee_rate_bps: String(f.feeRateBps),
          timestamp: String(f.tsMs),
          transaction_hash: f.txHash,
        }),
      );
    } else if (e.type === 'levels') {
      const assets = [...new Set(e.changes.map((c) => c.tokenId))];
      this.toSubscribers(assets, (sub) => {
        const mine = e.changes.filter((c) => sub.assets.has(c.tokenId));
        return JSON.stringify({
          event_type: 'price_change',
          market: e.conditionId,
          timestamp: String(e.tsMs),
          price_changes: mine.map((c) => {
            const book = ex.books.get(c.tokenId);
            const bid = book?.best('BUY');
            const ask = book?.best('SELL');
            return {
              asset_id: c.tokenId,
              price: dec(c.priceMicros),
              size: dec(c.sizeMicros),
              side: c.side,
              hash: String(bookJson(ex, c.tokenId, e.tsMs).hash),
              best_bid: bid !== undefined ? dec(bid) : '',
              best_ask: ask !== undefined ? dec(ask) : '',
            };
          }),
        });
      });
      // After a trade the real feed also sends a fresh snapshot of the books it touched.
      for (const token of this.dirtyBooks) {
        this.toSubscribers([token], () => JSON.stringify({ event_type: 'book', ...bookJson(ex, token, e.tsMs) }));
      }
      this.dirtyBooks.clear();
    } else if (e.type === 'tick-size') {
      for (const token of e.market.tokenIds) {
        this.toSubscribers([token], () =>
          JSON.stringify({
            event_type: 'tick_size_change',
            asset_id: token,
            market: e.market.conditionId,
            old_tick_size: tickText(e.oldTickMicros),
            new_tick_size: tickText(e.market.tickMicros),
            timestamp: String(e.tsMs),
          }),
        );
      }
    } else if (e.type === 'market-status' && e.market.status === 'resolved' && e.market.payoutMicros) {
      const m = e.market;
      const winner: 0 | 1 | undefined = m.payoutMicros![0] === 1_000_000 ? 0 : m.payoutMicros![1] === 1_000_000 ? 1 : undefined;
      this.toSubscribers([...m.tokenIds], (sub) =>
        sub.custom
          ? JSON.stringify({
              event_type: 'market_resolved',
              id: m.id,
              market: m.conditionId,
              assets_ids: m.tokenIds,
              outcomes: m.outcomes,
              winning_asset_id: winner !== undefined ? m.tokenIds[winner] : '',
              winning_outcome: winner !== undefined ? m.outcomes[winner] : '',
              timestamp: String(e.tsMs),
            })
          : undefined,
      );
    }
  }

  drop(): void {
    for (const ws of this.subs.keys()) ws.terminate();
  }

  /** Open sockets subscribed to `assetId` (any asset when omitted), as the server has processed them. */
  subscribers(assetId?: string): number {
    let n = 0;
    for (const [ws, sub] of this.subs)
      if (ws.readyState === WebSocket.OPEN && (assetId === undefined ? sub.assets.size > 0 : sub.assets.has(assetId))) n++;
    return n;
  }

  close(): void {
    this.drop();
    this.wss.close();
  }
}
