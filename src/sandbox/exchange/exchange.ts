/**
 * The sandbox exchange: markets, books, a price-time matching engine (price improvement to the taker),
 * balances, and the ledger of every fill. Synchronous and single-threaded: one order is matched
 * completely before the next request is looked at.
 */
import { createHash } from 'node:crypto';
import type { Side } from '../../core/types.ts';
import { mulDiv } from '../../core/money.ts';
import { AccountBook } from './account-book.ts';
import { TokenBook } from './book.ts';
import { CLOB_ERRORS, checkOrder } from './exchange-rules.ts';
import type { ExchangeEvent, LedgerFill, LevelChange, RestingOrder, SandboxMarket, SandboxOrderType } from './types.ts';

export interface PlaceRequest {
  id: string;
  owner: string;
  makerAddress: string;
  signer: string;
  tokenId: string;
  side: Side;
  type: SandboxOrderType;
  makerAmountMicros: number;
  takerAmountMicros: number;
  expirationSec: number;
  postOnly: boolean;
  source: 'clob' | 'synthetic';
}

export type PlaceResult =
  | { ok: true; order: RestingOrder; status: 'live' | 'matched'; fills: LedgerFill[]; makingMicros: number; takingMicros: number }
  | { ok: false; error: string };

export class Exchange {
  readonly accounts: AccountBook;
  readonly markets = new Map<string, SandboxMarket>();
  readonly tokenIndex = new Map<string, { market: SandboxMarket; index: 0 | 1 }>();
  readonly books = new Map<string, TokenBook>();
  /** Every order clients placed (for /data/order and duplicate checks); synthetic ones only while live. */
  readonly orders = new Map<string, RestingOrder>();
  /** Orders resting on a book. */
  private readonly resting = new Set<RestingOrder>();
  readonly ledger: LedgerFill[] = [];
  readonly lastTrade = new Map<string, { priceMicros: number; side: Side }>();
  settlementDelayMs = 0;
  private readonly listeners = new Set<(e: ExchangeEvent) => void>();
  private seq = 0;
  private txCounter = 0;

  constructor(
    readonly now: () => number,
    private readonly seed: number,
  ) {
    this.accounts = new AccountBook(`polytail-sandbox-${seed}`);
  }

  on(listener: (e: ExchangeEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(e: ExchangeEvent): void {
    for (const l of this.listeners) l(e);
  }

  addMarket(m: SandboxMarket): void {
    this.markets.set(m.conditionId, m);
    m.tokenIds.forEach((t, i) => {
      this.tokenIndex.set(t, { market: m, index: i as 0 | 1 });
      if (m.tradable && !this.books.has(t)) this.books.set(t, new TokenBook(t));
    });
  }

  market(tokenId: string): { market: SandboxMarket; index: 0 | 1 } | undefined {
    return this.tokenIndex.get(tokenId);
  }

  /** Deterministic 32-byte hex (tx hashes, synthetic order ids). */
  hash32(label: string): string {
    return '0x' + createHash('sha256').update(`${this.seed}:${label}:${++this.txCounter}`).digest('hex');
  }

  uuid(label: string): string {
    const h = this.hash32(label).slice(2);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  /** USDC not locked by open BUY orders. */
  freeUsdc(address: string): number {
    const a = address.toLowerCase();
    let locked = 0;
    for (const o of this.resting) {
      if (o.side === 'BUY' && o.makerAddress === a) {
        locked += mulDiv(o.originalSizeMicros - o.matchedMicros, o.priceMicros, 1_000_000, 'ceil');
      }
    }
    return this.accounts.get(a).usdcMicros - locked;
  }

  /** Shares of `tokenId` not locked by open SELL orders. */
  freeTokens(address: string, tokenId: string): number {
    const a = address.toLowerCase();
    let locked = 0;
    for (const o of this.resting) {
      if (o.side === 'SELL' && o.tokenId === tokenId && o.makerAddress === a) {
        locked += o.originalSizeMicros - o.matchedMicros;
      }
    }
    return this.accounts.tokenBalance(a, tokenId) - locked;
  }

  place(req: PlaceRequest): PlaceResult {
    const where = this.market(req.tokenId);
    if (!where || !where.market.tradable) return { ok: false, error: CLOB_ERRORS.notReady };
    const { market, index } = where;
    if (market.status !== 'open') return { ok: false, error: CLOB_ERRORS.notReady };
    if (this.orders.has(req.id)) return { ok: false, error: CLOB_ERRORS.duplicated(req.id) };
    const check = checkOrder({
      orderId: req.id,
      side: req.side,
      type: req.type,
      makerAmountMicros: req.makerAmountMicros,
      takerAmountMicros: req.takerAmountMicros,
      tickMicros: market.tickMicros,
      minOrderSizeMicros: market.minOrderSizeMicros,
      expirationSec: req.expirationSec,
      nowMs: this.now(),
    });
    if (!check.ok) return check;
    const maker = req.makerAddress.toLowerCase();
    const acct = this.accounts.get(maker);
    if (!acct.unlimited) {
      const enough =
        req.side === 'BUY'
          ? this.freeUsdc(maker) >= (check.budgetMicros || req.makerAmountMicros)
          : this.freeTokens(maker, req.tokenId) >= check.sizeMicros;
      if (!enough) return { ok: false, error: CLOB_ERRORS.balance };
    }

    const book = this.books.get(req.tokenId)!;
    const opposite = book.side(req.side === 'BUY' ? 'SELL' : 'BUY');
    // Does a resting price satisfy the taker's limit? Exact, from the signed amounts.
    const crosses = (p: number) =>
      req.side === 'BUY'
        ? BigInt(p) * BigInt(req.takerAmountMicros) <= BigInt(req.makerAmountMicros) * 1_000_000n
        : BigInt(p) * BigInt(req.makerAmountMicros) >= BigInt(req.takerAmountMicros) * 1_000_000n;
    const budgetMode = check.budgetMicros > 0;
    const plan: { maker: RestingOrder; size: number }[] = [];
    let wantShares = check.sizeMicros;
    let budget = check.budgetMicros;
    for (const m of opposite) {
      if (!crosses(m.priceMicros)) break;
      const rest = m.originalSizeMicros - m.matchedMicros;
      const size = budgetMode ? Math.min(rest, Math.floor((budget * 1_000_000) / m.priceMicros)) : Math.min(rest, wantShares);
      if (size <= 0) break;
      plan.push({ maker: m, size });
      if (budgetMode) budget -= mulDiv(size, m.priceMicros, 1_000_000, 'ceil');
      else wantShares -= size;
      if (budgetMode ? budget * 1_000_000 < m.priceMicros : wantShares === 0) break;
    }
    const lastPrice = plan[plan.length - 1]?.maker.priceMicros;
    const complete = budgetMode ? lastPrice !== undefined && budget * 1_000_000 < lastPrice : wantShares === 0;

    if (req.postOnly) {
      if (req.type === 'FOK' || req.type === 'FAK') return { ok: false, error: CLOB_ERRORS.postOnlyMarket };
      if (plan.length > 0) return { ok: false, error: CLOB_ERRORS.postOnlyCross };
    }
    if (req.type === 'FOK' && !complete) {
      return { ok: false, error: plan.length === 0 ? CLOB_ERRORS.fokNoMatch : CLOB_ERRORS.fokPartial };
    }
    if (req.type === 'FAK' && plan.length === 0) return { ok: false, error: CLOB_ERRORS.fakNoMatch };

    const order: RestingOrder = {
      id: req.id,
      owner: req.owner,
      makerAddress: maker,
      signer: req.signer.toLowerCase(),
      tokenId: req.tokenId,
      conditionId: market.conditionId,
      outcome: market.outcomes[index],
      side: req.side,
      priceMicros: check.priceMicros,
      originalSizeMicros: budgetMode ? req.takerAmountMicros : check.sizeMicros,
      matchedMicros: 0,
      type: req.type,
      expirationSec: req.expirationSec,
      createdAtMs: this.now(),
      status: 'LIVE',
      associateTrades: [],
      seq: ++this.seq,
    };
    this.orders.set(order.id, order);

    const fills = plan.length > 0 ? this.execute(order, plan, market, index, req.source) : [];
    const touched: LevelChange[] = fills.map((f) => ({
      tokenId: req.tokenId,
      side: order.side === 'BUY' ? 'SELL' : 'BUY',
      priceMicros: f.priceMicros,
      sizeMicros: 0,
    }));
    let making = 0;
    let taking = 0;
    for (const f of fills) {
      const usdc = mulDiv(f.sizeMicros, f.priceMicros, 1_000_000, 'nearest');
      making += order.side === 'BUY' ? usdc : f.sizeMicros;
      taking += order.side === 'BUY' ? f.sizeMicros : usdc;
    }
    const restSize = order.originalSizeMicros - order.matchedMicros;
    if ((req.type === 'GTC' || req.type === 'GTD') && restSize > 0) {
      book.insert(order);
      this.resting.add(order);
      touched.push({ tokenId: req.tokenId, side: order.side, priceMicros: order.priceMicros, sizeMicros: 0 });
    } else {
      // Market orders never rest; a matched remainder (or a budget order's share target) is simply done.
      order.status = fills.length > 0 ? 'MATCHED' : 'CANCELED';
      if (order.owner === 'synthetic') this.orders.delete(order.id);
    }
    this.emitLevels(market.conditionId, touched);
    return { ok: true, order, status: fills.length > 0 ? 'matched' : 'live', fills, makingMicros: making, takingMicros: taking };
  }

  private execute(
    taker: RestingOrder,
    plan: { maker: RestingOrder; size: number }[],
    market: SandboxMarket,
    index: 0 | 1,
    source: 'clob' | 'synthetic',
  ): LedgerFill[] {
    const now = this.now();
    const tradeId = this.uuid('trade');
    const txHash = this.hash32('tx');
    const book = this.books.get(taker.tokenId)!;
    const fills: LedgerFill[] = [];
    for (const { maker, size } of plan) {
      const price = maker.priceMicros;
      const usdc = mulDiv(size, price, 1_000_000, 'nearest');
      const fee =
        market.feeRate > 0 ? Math.round(size * market.feeRate * Math.pow((price / 1e6) * (1 - price / 1e6), market.feeExponent)) : 0;
      const buyer = taker.side === 'BUY' ? taker.makerAddress : maker.makerAddress;
      const seller = taker.side === 'BUY' ? maker.makerAddress : taker.makerAddress;
      this.accounts.get(buyer).usdcMicros -= usdc;
      this.accounts.addTokens(buyer, taker.tokenId, size);
      this.accounts.get(seller).usdcMicros += usdc;
      this.accounts.addTokens(seller, taker.tokenId, -size);
      this.accounts.get(taker.makerAddress).usdcMicros -= fee;
      maker.matchedMicros += size;
      taker.matchedMicros = Math.min(taker.originalSizeMicros, taker.matchedMicros + size);
      maker.associateTrades.push(tradeId);
      if (maker.matchedMicros >= maker.originalSizeMicros) {
        maker.status = 'MATCHED';
        book.remove(maker);
        this.forget(maker);
      }
      const fill: LedgerFill = {
        tradeId,
        seq: this.ledger.length + 1,
        tsMs: now,
        conditionId: market.conditionId,
        tokenId: taker.tokenId,
        outcome: market.outcomes[index],
        outcomeIndex: index,
        priceMicros: price,
        sizeMicros: size,
        takerSide: taker.side,
        takerAddress: taker.makerAddress,
        takerOrderId: taker.id,
        takerOwner: taker.owner,
        makerAddress: maker.makerAddress,
        makerOrderId: maker.id,
        makerOwner: maker.owner,
        feeMicros: fee,
        feeRateBps: Math.round(market.feeRate * 10_000),
        txHash,
        settledAtMs: now + this.settlementDelayMs,
        source,
        bucketIndex: 0,
      };
      this.ledger.push(fill);
      fills.push(fill);
      this.lastTrade.set(taker.tokenId, { priceMicros: price, side: taker.side });
    }
    taker.associateTrades.push(tradeId);
    if (taker.matchedMicros >= taker.originalSizeMicros) taker.status = 'MATCHED';
    for (const f of fills) this.emit({ type: 'fill', fill: f });
    return fills;
  }

  /** Records a fill that did not come from the book (replayed tape). */
  recordExternalFill(fill: Omit<LedgerFill, 'seq' | 'tradeId' | 'settledAtMs' | 'bucketIndex'> & { tradeId?: string }): LedgerFill {
    const full: LedgerFill = {
      ...fill,
      tradeId: fill.tradeId ?? this.uuid('trade'),
      seq: this.ledger.length + 1,
      settledAtMs: fill.tsMs,
      bucketIndex: 0,
    };
    const buyer = full.takerSide === 'BUY' ? full.takerAddress : full.makerAddress;
    const seller = full.takerSide === 'BUY' ? full.makerAddress : full.takerAddress;
    const usdc = mulDiv(full.sizeMicros, full.priceMicros, 1_000_000, 'nearest');
    this.accounts.get(buyer).usdcMicros -= usdc;
    this.accounts.addTokens(buyer, full.tokenId, full.sizeMicros);
    this.accounts.get(seller).usdcMicros += usdc;
    this.accounts.addTokens(seller, full.tokenId, -full.sizeMicros);
    this.ledger.push(full);
    this.lastTrade.set(full.tokenId, { priceMicros: full.priceMicros, side: full.takerSide });
    this.emit({ type: 'fill', fill: full });
    return full;
  }

  /** Cancels the given orders if `owner` may (undefined owner = sandbox admin). */
  cancel(ids: string[], owner?: string): { canceled: string[]; not_canceled: Record<string, string> } {
    const canceled: string[] = [];
    const notCanceled: Record<string, string> = {};
    const touched = new Map<string, LevelChange[]>();
    for (const id of new Set(ids)) {
      const o = this.orders.get(id);
      if (!o || o.status !== 'LIVE' || (owner !== undefined && o.owner !== owner)) {
        notCanceled[id] = 'Order not found or already canceled';
        continue;
      }
      o.status = 'CANCELED';
      this.books.get(o.tokenId)?.remove(o);
      this.forget(o);
      canceled.push(id);
      const list = touched.get(o.conditionId) ?? [];
      list.push({ tokenId: o.tokenId, side: o.side, priceMicros: o.priceMicros, sizeMicros: 0 });
      touched.set(o.conditionId, list);
    }
    for (const [cid, changes] of touched) this.emitLevels(cid, changes);
    return { canceled, not_canceled: notCanceled };
  }

  liveOrders(filter: (o: RestingOrder) => boolean): RestingOrder[] {
    return [...this.resting].filter((o) => o.status === 'LIVE' && filter(o));
  }

  /** Off the book; synthetic orders are dropped entirely so a long run does not grow without bound. */
  private forget(o: RestingOrder): void {
    this.resting.delete(o);
    if (o.owner === 'synthetic') this.orders.delete(o.id);
  }

  /** Removes GTD orders whose expiration passed (the real CLOB applies a one-minute threshold on entry). */
  expireOrders(): void {
    const nowSec = this.now() / 1000;
    const due = this.liveOrders((o) => o.type === 'GTD' && o.expirationSec > 0 && o.expirationSec <= nowSec);
    if (due.length > 0) this.cancel(due.map((o) => o.id));
  }

  setTickSize(conditionId: string, tickMicros: number): void {
    const m = this.markets.get(conditionId);
    if (!m || m.tickMicros === tickMicros) return;
    const old = m.tickMicros;
    m.tickMicros = tickMicros;
    this.emit({ type: 'tick-size', market: m, oldTickMicros: old, tsMs: this.now() });
  }

  closeMarket(conditionId: string): void {
    const m = this.markets.get(conditionId);
    if (!m || m.status !== 'open') return;
    m.status = 'closed';
    m.closedAtMs = this.now();
    this.cancel(this.liveOrders((o) => o.conditionId === conditionId).map((o) => o.id));
    this.emit({ type: 'market-status', market: m, tsMs: this.now() });
  }

  /** Resolves a market: winner index 0/1, or null for a 50-50 split. */
  resolveMarket(conditionId: string, winner: 0 | 1 | null): void {
    const m = this.markets.get(conditionId);
    if (!m || m.status === 'resolved') return;
    this.closeMarket(conditionId);
    m.status = 'resolved';
    m.payoutMicros = winner === null ? [500_000, 500_000] : winner === 0 ? [1_000_000, 0] : [0, 1_000_000];
    this.emit({ type: 'market-status', market: m, tsMs: this.now() });
  }

  private emitLevels(conditionId: string, touched: LevelChange[]): void {
    if (touched.length === 0) return;
    const seen = new Set<string>();
    const changes: LevelChange[] = [];
    for (const t of touched) {
      const k = `${t.tokenId}:${t.side}:${t.priceMicros}`;
      if (seen.has(k)) continue;
      seen.add(k);
      const size = this.books.get(t.tokenId)?.levelSize(t.side, t.priceMicros) ?? 0;
      changes.push({ ...t, sizeMicros: size });
    }
    this.emit({ type: 'levels', conditionId, changes, tsMs: this.now() });
  }
}
