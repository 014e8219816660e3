/**
 * The simulated venue of paper and replay: fills orders against the engine's books with one of the
 * fill models of the ladder (target-price → top-of-book → book-walk), optional latency, resting
 * GTC/GTD orders that fill as makers, and GTD expiry. Deterministic: time and ids come from the
 * injected Clock and IdSource, never from Date or Math.random.
 */
import type { Clock } from '../../core/clock.ts';
import type { MarketDataEvent, OrderEvent } from '../../core/events.ts';
import { SeededIds, type IdSource } from '../../core/ids.ts';
import type { MarketRegistry } from '../../core/market-registry.ts';
import type { Micros } from '../../core/money.ts';
import type { BookRegistry } from '../../core/order-book.ts';
import type { Venue } from '../../core/ports.ts';
import type { MarketInfo, Order } from '../../core/types.ts';
import { takerFeeMicros } from '../../polymarket/fees.ts';
import { checkOrderForExchange } from '../../polymarket/order-rules.ts';
import { WalkResult, sharesAffordable, walkBook, withinLimit } from './book-walk.ts';
import { ConsumedLiquidity } from './consumed-liquidity.ts';
import { RestingOrders, type Working } from './resting-orders.ts';
import { SIM_MESSAGES, accepted, cancelled, expired, filled, makeFill, rejected } from './sim-events.ts';

export type FillModel = 'target-price' | 'top-of-book' | 'book-walk';

export interface SimVenueOptions {
  clock: Clock;
  ids: IdSource;
  books: BookRegistry;
  markets: MarketRegistry;
  fillModel: FillModel;
  /** top-of-book: ticks of slippage added to the best price (against us). Default 0. */
  slippageTicks?: number;
  /** Orders reach the venue this long after submit and meet the book as it is then. Default 0. */
  latencyMs?: number;
  /**
   * Measured latencies (ms): each order's latency is one of them, drawn by a generator seeded with
   * `latencySeed`, so a run is repeatable. Replaces `latencyMs` when given.
   */
  latencySamplesMs?: readonly number[];
  latencySeed?: number;
  /**
   * Measured delays (ms) between a market order meeting the book and the engine hearing of it: its
   * answer (accept, fills, refusal) is emitted one of them later, drawn by a generator seeded with
   * `latencySeed + 1`. Live learns of a fill from the POST's answer and a trade lookup; until then the
   * fill is not a holding (a SELL decided meanwhile cannot sell it). Default: at once.
   */
  noticeSamplesMs?: readonly number[];
  /** Resting orders wait for the volume that was ahead of them at their price. Default false. */
  queuePosition?: boolean;
  /** Reject orders the CLOB would refuse (tick, minimums, precision), with its text. Default true. */
  checkExchangeRules?: boolean;
}

export class SimVenue implements Venue {
  readonly name: string;
  readonly fillModel: FillModel;
  private emit: (event: OrderEvent) => void = () => {};
  private readonly working = new Map<string, Working>();
  private readonly resting: RestingOrders;
  private readonly consumption = new ConsumedLiquidity();
  private readonly walk = new WalkResult();
  private readonly latencyMs: number;
  private readonly latencyDraw?: () => number;
  private readonly noticeDraw?: () => number;
  private readonly slippageTicks: number;
  private readonly checkRules: boolean;

  constructor(private readonly options: SimVenueOptions) {
    this.fillModel = options.fillModel;
    this.name = `sim:${options.fillModel}`;
    this.latencyMs = options.latencyMs ?? 0;
    const samples = options.latencySamplesMs;
    if (samples && samples.length > 0) {
      const rng = new SeededIds(options.latencySeed ?? 1);
      this.latencyDraw = () => samples[Math.min(samples.length - 1, Math.floor(rng.random() * samples.length))]!;
    }
    const notices = options.noticeSamplesMs;
    if (notices && notices.length > 0) {
      const rng = new SeededIds((options.latencySeed ?? 1) + 1);
      this.noticeDraw = () => notices[Math.min(notices.length - 1, Math.floor(rng.random() * notices.length))]!;
    }
    this.slippageTicks = options.slippageTicks ?? 0;
    this.checkRules = options.checkExchangeRules !== false;
    this.resting = new RestingOrders(options.queuePosition === true, this.consumption, (w, price, size) =>
      this.fill(w, price, size, 'maker'),
    );
  }

  attach(emit: (event: OrderEvent) => void): void {
    this.emit = emit;
  }

  submit(order: Order): void {
    const now = this.options.clock.now();
    if (this.working.has(order.clientOrderId)) {
      this.emit(rejected(order, 'duplicate', `order ${order.clientOrderId} is invalid. Duplicated.`, now));
      return;
    }
    const latency = this.latencyDraw ? this.latencyDraw() : this.latencyMs;
    if (latency <= 0) {
      this.arrive(order);
      return;
    }
    const w: Working = { order, filledMicros: 0, queueAheadMicros: 0, state: 'in_flight' };
    this.working.set(order.clientOrderId, w);
    w.cancelTimer = this.options.clock.setTimer(now + latency, () => {
      if (this.working.get(order.clientOrderId) !== w) return; // cancelled while in flight
      this.working.delete(order.clientOrderId);
      this.arrive(order);
    });
  }

  cancel(clientOrderId: string, reason: string): void {
    const w = this.working.get(clientOrderId);
    if (!w) return;
    this.finish(w);
    this.emit(cancelled(w.order, reason, unfilled(w), this.options.clock.now()));
  }

  cancelAll(reason: string): void {
    for (const id of [...this.working.keys()]) this.cancel(id, reason);
  }

  openOrders(): Order[] {
    const out: Order[] = [];
    for (const w of this.working.values()) out.push(w.order);
    return out;
  }

  onMarketData(event: MarketDataEvent): void {
    this.consumption.onMarketData(event);
    if (event.type === 'book_snapshot' || event.type === 'book_change') {
      if (!this.resting.any) return;
      const book = this.options.books.get(event.tokenId);
      if (book) this.resting.onBook(book);
    } else if (event.type === 'trade_print') {
      this.resting.onPrint(event.tokenId, event.priceMicros, event.sizeMicros);
    }
  }

  /**
   * The order reaches the matching engine; with notice samples, what it answers reaches the engine
   * a drawn delay later (the match itself, and the liquidity it took, happen now).
   */
  private arrive(order: Order): void {
    // Market orders only: a resting order's later maker fills must not overtake its held accept.
    const notice = order.type === 'FOK' || order.type === 'FAK' ? (this.noticeDraw?.() ?? 0) : 0;
    if (notice <= 0) return this.match(order);
    const emit = this.emit;
    const held: OrderEvent[] = [];
    this.emit = (e) => void held.push(e);
    try {
      this.match(order);
    } finally {
      this.emit = emit;
    }
    if (held.length === 0) return;
    this.options.clock.setTimer(this.options.clock.now() + notice, () => {
      for (const e of held) this.emit(e);
    });
  }

  /** Validate, take liquidity, then rest, cancel or finish. */
  private match(order: Order): void {
    const now = this.options.clock.now();
    const market = this.options.markets.byTokenId(order.tokenId);
    if (!market) return this.emit(rejected(order, 'unknown_market', `no market metadata for token ${order.tokenId}`, now));
    if (market.closed) return this.emit(rejected(order, 'market_closed', `market ${market.slug ?? market.conditionId} is closed`, now));
    if (this.checkRules) {
      const violation = checkOrderForExchange(order, market, { nowMs: now, amounts: 'exchange', orderId: order.clientOrderId });
      if (violation) return this.emit(rejected(order, violation.code, violation.message, now));
    }
    const isMarket = order.type === 'FOK' || order.type === 'FAK';
    const book = this.options.books.get(order.tokenId);
    const opposite = book ? book.oppositeLevels(order.side) : undefined;
    if (order.postOnly) {
      const best = opposite?.[0];
      if (best && withinLimit(order.side, best.priceMicros, order.priceMicros)) {
        return this.emit(rejected(order, 'post_only_cross', SIM_MESSAGES.postOnlyCross, now));
      }
    }
    const w: Working = { order, filledMicros: 0, queueAheadMicros: 0, state: 'resting' };
    const walk = this.walk;
    walk.reset();
    if (!order.postOnly) {
      const noBook = this.take(w, market);
      if (noBook && isMarket)
        return this.emit(
          rejected(
            order,
            'no_book',
            `no ${order.side === 'BUY' ? 'asks' : 'bids'} in the book of token ${order.tokenId}: ${this.fillModel} needs a book to fill against`,
            now,
          ),
        );
    }
    if (isMarket && (walk.count === 0 || (order.type === 'FOK' && !walk.complete))) {
      const message = order.type === 'FOK' ? SIM_MESSAGES.fokNoMatch : SIM_MESSAGES.fakNoMatch;
      return this.emit(rejected(order, 'no_match', message, now));
    }
    this.emit(accepted(order, now));
    if (this.fillModel === 'book-walk') this.recordConsumption(order);
    const prices = walk.prices;
    const sizes = walk.sizes;
    const count = walk.count;
    for (let i = 0; i < count; i++) {
      const last = i === count - 1 && walk.complete;
      this.fillTaker(w, market, prices[i]!, sizes[i]!, last);
    }
    if (walk.complete && count > 0) return;
    if (isMarket) {
      this.emit(cancelled(order, 'fak_unfilled', unfilled(w), now));
      return;
    }
    this.rest(w);
  }

  /**
   * Fills what is marketable now into `this.walk` per the fill model. Returns true when there was no
   * book side to fill against.
   */
  private take(w: Working, market: MarketInfo): boolean {
    const order = w.order;
    const budget = order.side === 'BUY' && (order.type === 'FOK' || order.type === 'FAK') ? order.amountMicros : undefined;
    const shares = order.sizeMicros;
    const book = this.options.books.get(order.tokenId);
    const levels = book?.oppositeLevels(order.side);
    if (this.fillModel === 'target-price' && order.referencePriceMicros !== undefined) {
      this.takeAll(order, order.referencePriceMicros, shares, budget);
      return false;
    }
    if (!levels || levels.length === 0) return true;
    if (this.fillModel === 'book-walk') {
      const consumed = this.consumption.of(order.tokenId);
      walkBook(levels, order.side === 'BUY' ? consumed.asks : consumed.bids, order.side, order.priceMicros, shares, budget, this.walk);
      return false;
    }
    // top-of-book, and target-price without a target price (falls back one rung, no slippage).
    const ticks = this.fillModel === 'top-of-book' ? this.slippageTicks : 0;
    const tick = market.tickMicros;
    const slipped = levels[0]!.priceMicros + (order.side === 'BUY' ? ticks : -ticks) * tick;
    this.takeAll(order, Math.min(1_000_000 - tick, Math.max(tick, slipped)), shares, budget);
    return false;
  }

  private takeAll(order: Order, priceMicros: Micros, shares: Micros, budget: Micros | undefined): void {
    if (!withinLimit(order.side, priceMicros, order.priceMicros)) return;
    const size = budget !== undefined ? sharesAffordable(budget, priceMicros) : shares;
    if (size <= 0) return;
    this.walk.push(priceMicros, size);
    this.walk.complete = true;
  }

  private recordConsumption(order: Order): void {
    const entry = this.consumption.of(order.tokenId);
    const map = order.side === 'BUY' ? entry.asks : entry.bids;
    for (let i = 0; i < this.walk.count; i++) {
      const price = this.walk.prices[i]!;
      map.set(price, (map.get(price) ?? 0) + this.walk.sizes[i]!);
    }
  }

  private fillTaker(w: Working, market: MarketInfo, priceMicros: Micros, sizeMicros: Micros, complete: boolean): void {
    const now = this.options.clock.now();
    w.filledMicros += sizeMicros;
    const fee = takerFeeMicros(sizeMicros, priceMicros, market);
    const fill = makeFill(w.order, this.options.ids.next('f'), priceMicros, sizeMicros, fee, 'taker', now);
    this.emit(filled(w.order, fill, complete, now));
  }

  /** A maker fill of a resting order (fee-free); finishes the order when nothing is left. */
  private fill(w: Working, priceMicros: Micros, sizeMicros: Micros, liquidity: 'maker'): void {
    const now = this.options.clock.now();
    w.filledMicros += sizeMicros;
    const complete = w.filledMicros >= w.order.sizeMicros;
    if (complete) this.finish(w);
    const fill = makeFill(w.order, this.options.ids.next('f'), priceMicros, sizeMicros, 0, liquidity, now);
    this.emit(filled(w.order, fill, complete, now));
  }

  private rest(w: Working): void {
    const order = w.order;
    this.working.set(order.clientOrderId, w);
    this.resting.add(w, this.options.books.get(order.tokenId));
    if (order.type === 'GTD' && order.expiresAtMs !== undefined) {
      w.cancelTimer = this.options.clock.setTimer(order.expiresAtMs, () => {
        if (this.working.get(order.clientOrderId) !== w) return;
        this.finish(w);
        this.emit(expired(order, unfilled(w), this.options.clock.now()));
      });
    }
  }

  private finish(w: Working): void {
    this.working.delete(w.order.clientOrderId);
    w.cancelTimer?.();
    w.cancelTimer = undefined;
    if (w.state === 'resting') this.resting.remove(w);
  }
}

function unfilled(w: Working): Micros {
  return Math.max(0, w.order.sizeMicros - w.filledMicros);
}
