/**
 * maker-wave: earn the swing as a maker. Rests a post-only GTC bid `bidOffsetPct` below the rolling
 * reference (mean, max or last mid over `referenceWindowMs`); once it fills, rests an ask
 * `askOffsetPct` above the entry price. While flat, the bid is requoted (cancel + new) when the
 * reference drifts more than `requoteDriftPct` from the one it was quoted at. Everything is cancelled
 * `cancelBeforeEndMs` before the market ends; what is held then is kept to resolution unless
 * `exitAtEnd` sells it with a FAK.
 */
import {
  defineStrategy,
  formatMicros,
  marketRefShape,
  sharesFor,
  SIZE_STEP_MICROS,
  subscribedTokens,
  toMicros,
  z,
  type BookView,
  type Micros,
  type Order,
  type ReasonCode,
  type StrategyAction,
  type StrategyContext,
  type StrategyResult,
} from 'polytail/strategy';
import { bps, changeBps, isCrossed, minusPct, onTick, plusPct, watchedPrice } from './lib/book-math.ts';
import { MarketTarget, type Target } from './lib/market-target.ts';
import { RollingWindow } from './lib/rolling-window.ts';
import { CrossedBookReporter, SkipLatch } from './lib/skip-latch.ts';

const params = z.strictObject({
  ...marketRefShape,
  sizeUsdc: z.number().positive().default(10).describe('USDC per bid (shares = sizeUsdc / bid price, at least the market minimum)'),
  bidOffsetPct: z.number().gt(0).lt(100).default(2).describe('bid this % below the reference'),
  askOffsetPct: z.number().gt(0).default(2).describe('ask this % above the entry price'),
  requoteDriftPct: z.number().gt(0).default(1).describe('requote the bid when the reference moves this % from the quoted one'),
  referenceWindowMs: z.number().int().positive().default(60_000).describe('look-back of the reference'),
  reference: z
    .enum(['mean', 'max', 'last'])
    .default('mean')
    .describe('reference price: mean or max of the mid over the window, or the last mid'),
  cancelBeforeEndMs: z.number().int().min(0).default(60_000).describe('cancel every order this long before the market end'),
  exitAtEnd: z.boolean().default(false).describe('at the cancel time, also sell what is held with a FAK at the bid'),
  maxRounds: z.number().int().min(0).default(0).describe('stop bidding after this many filled entries (0 = no limit)'),
});

export default defineStrategy({
  apiVersion: 1,
  name: 'maker-wave',
  description: 'Rest a post-only bid below the rolling reference, then an ask above the entry; requote on drift',
  kind: 'market',
  params,
  subscriptions: (p) => ({ tokens: subscribedTokens(p) }),
  create(p) {
    const target = new MarketTarget(p);
    const crossedBook = new CrossedBookReporter(p.referenceWindowMs);
    const window = new RollingWindow(p.referenceWindowMs);
    const latch = new SkipLatch();
    let quotedRef: Micros | undefined;
    let askStale = false;
    // A resting order that fills on a book update vanishes from openOrders() one step before its fill
    // reaches onFill: give a vanished quote one event of grace instead of quoting twice.
    let bidOut = false;
    let askOut = false;
    let graceUsed = false;
    let rounds = 0;
    let holding = false;
    let endTimerAt: number | undefined;
    let ended = false;

    const step = (ctx: StrategyContext, bookToken?: string): StrategyResult => {
      const r = target.resolve(ctx);
      if ('skip' in r) return r.skip;
      const t = r.target;
      const now = ctx.clock.now();
      if (t.endMs !== undefined) {
        const cutoff = t.endMs - p.cancelBeforeEndMs;
        if (endTimerAt !== cutoff && cutoff > now) ctx.setTimer((endTimerAt = cutoff), 'cancel-before-end');
        if (now >= cutoff) return atEnd(ctx, t);
      }
      const book = ctx.book(t.tokenId);
      if (!book) return;
      if (isCrossed(book)) return crossedBook.report(book, ctx.clock.now());
      crossedBook.clear();
      const mid = watchedPrice(book, 'mid');
      if (bookToken === t.tokenId && mid !== undefined) window.add(now, mid);
      window.evict(now);
      const ref = p.reference === 'last' ? mid : window.reference(p.reference);
      const mine = ctx.openOrders().filter((o) => o.tokenId === t.tokenId);
      const held = ctx.position(t.tokenId);
      const bids = mine.filter((o) => o.side === 'BUY');
      const asks = mine.filter((o) => o.side === 'SELL');
      if ((bidOut && bids.length === 0) || (askOut && asks.length === 0 && held.sizeMicros >= SIZE_STEP_MICROS)) {
        if (!graceUsed) return void (graceUsed = true);
        bidOut = bids.length > 0;
        askOut = asks.length > 0;
      }
      graceUsed = false;
      if (held.sizeMicros >= SIZE_STEP_MICROS) return quoteAsk(ctx, t, book, held.sizeMicros, held.avgPriceMicros, asks);
      const stray = asks.map((o) => cancel(o, 'flat'));
      if (ref === undefined) return stray;
      return [...stray, ...quoteBid(t, book, ref, bids)];
    };

    const quoteBid = (t: Target, book: BookView, ref: Micros, bids: Order[]): StrategyAction[] => {
      if (bids.length > 0) {
        if (quotedRef === undefined || Math.abs(changeBps(ref, quotedRef)) < bps(p.requoteDriftPct)) return [];
        const drift = changeBps(ref, quotedRef);
        return [
          ...bids.map((o) => cancel(o, 'requote')),
          ...placeBid(
            t,
            book,
            ref,
            `requote: reference ${formatMicros(quotedRef, 3)} → ${formatMicros(ref, 3)} (${(drift / 100).toFixed(2)}%)`,
          ),
        ];
      }
      if (p.maxRounds > 0 && rounds >= p.maxRounds) return [];
      quotedRef = undefined;
      return placeBid(t, book, ref, `bid ${p.bidOffsetPct}% below the ${p.reference} ${formatMicros(ref, 3)}`);
    };

    const placeBid = (t: Target, book: BookView, ref: Micros, why: string): StrategyAction[] => {
      const tick = t.market.tickMicros;
      let price = onTick(minusPct(ref, p.bidOffsetPct), tick, 'down');
      const ask = book.bestAsk()?.priceMicros;
      if (ask !== undefined && price >= ask) price = ask - tick; // stay a maker: post-only would be refused
      if (price < tick) return [];
      const size = sharesFor(toMicros(p.sizeUsdc), price, 'floor');
      if (size < t.market.minOrderSizeMicros) {
        const skip = latch.report(
          'below_min_size',
          `$${p.sizeUsdc} buys ${formatMicros(size)} shares at ${formatMicros(price, 3)}, below the market minimum of ${formatMicros(t.market.minOrderSizeMicros)}`,
          { sizeMicros: size, priceMicros: price, minSizeMicros: t.market.minOrderSizeMicros },
        );
        return skip ? [skip] : [];
      }
      latch.clear();
      quotedRef = ref;
      bidOut = true;
      return [order(t, 'BUY', price, size, why)];
    };

    const quoteAsk = (ctx: StrategyContext, t: Target, book: BookView, size: Micros, avg: Micros, asks: Order[]): StrategyResult => {
      if (asks.length > 0 && !askStale) return;
      const tick = t.market.tickMicros;
      let price = onTick(plusPct(avg, p.askOffsetPct), tick, 'up');
      const bid = book.bestBid()?.priceMicros;
      if (bid !== undefined && price <= bid) price = bid + tick; // the book already pays more: rest just above it
      if (size < t.market.minOrderSizeMicros) {
        return latch.report(
          'below_min_size',
          `holding ${formatMicros(size)} shares, below the market minimum of ${formatMicros(t.market.minOrderSizeMicros)} for a resting ask; waiting for the bid to fill more`,
          { sizeMicros: size, minSizeMicros: t.market.minOrderSizeMicros },
        );
      }
      latch.clear();
      if (asks.length > 0) {
        // The engine counts a cancelled ask as in flight until the venue confirms: resize in two steps.
        askOut = false;
        restepSoon(ctx);
        return asks.map((o) => cancel(o, 'resize_ask'));
      }
      askStale = false;
      askOut = true;
      return [order(t, 'SELL', price, size, `ask ${p.askOffsetPct}% above the entry ${formatMicros(avg, 3)}`)];
    };

    const restepSoon = (ctx: StrategyContext) => ctx.setTimer(ctx.clock.now() + 1, 'restep');

    const atEnd = (ctx: StrategyContext, t: Target): StrategyResult => {
      const open = ctx.openOrders().filter((o) => o.tokenId === t.tokenId);
      if (open.length > 0) {
        if (p.exitAtEnd) restepSoon(ctx); // sell once the cancels are confirmed
        return open.map((o) => cancel(o, 'cancel_before_end'));
      }
      const held = ctx.position(t.tokenId).sizeMicros;
      const bid = ctx.book(t.tokenId)?.bestBid()?.priceMicros;
      if (ended || !p.exitAtEnd || held < SIZE_STEP_MICROS) return;
      if (bid === undefined)
        return latch.report('no_bids', `exitAtEnd: holding ${formatMicros(held)} shares but nobody is bidding`, { sizeMicros: held });
      ended = true;
      return {
        kind: 'order',
        intent: {
          tokenId: t.tokenId,
          side: 'SELL',
          type: 'FAK',
          limitPriceMicros: bid,
          sizeMicros: held,
          note: 'maker-wave exit before the end',
        },
      };
    };

    const order = (t: Target, side: 'BUY' | 'SELL', priceMicros: Micros, sizeMicros: Micros, note: string): StrategyAction => ({
      kind: 'order',
      intent: {
        tokenId: t.tokenId,
        side,
        type: 'GTC',
        limitPriceMicros: priceMicros,
        sizeMicros,
        postOnly: true,
        note: `maker-wave ${note}`,
      },
    });

    return {
      onBook: (tokenId, ctx) => step(ctx, tokenId),
      onTimer: (tag, ctx) => (tag === 'cancel-before-end' || tag === 'restep' ? step(ctx) : undefined),
      onFill(fill, ctx) {
        if (fill.side === 'BUY') {
          askStale = true;
          bidOut = ctx.openOrders().some((o) => o.side === 'BUY' && o.tokenId === fill.tokenId);
          if (!holding) {
            holding = true;
            rounds++;
          }
        } else if (ctx.position(fill.tokenId).sizeMicros < SIZE_STEP_MICROS) {
          holding = false;
          askOut = false;
          quotedRef = undefined;
        }
        // Quote the next leg now (the ask after a bid fill), not at the next book update.
        return step(ctx);
      },
    };
  },
});

function cancel(o: Order, reason: ReasonCode): StrategyAction {
  return { kind: 'cancel', clientOrderId: o.clientOrderId, reason };
}
