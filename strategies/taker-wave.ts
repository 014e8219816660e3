/**
 * taker-wave: buy a dip, sell the bounce, taking liquidity both ways. When the watched price (best
 * ask or mid) falls `dropPct` below its rolling reference (max or mean over `referenceWindowMs`) it
 * BUYs `sizeUsdc` with a FAK/FOK; it SELLs everything at `profitPct` above the entry, `stopPct` below
 * it, or `exitBeforeEndMs` before the market ends. No entries within `latestEntryBeforeEndMs` of the
 * end, and `cooldownMs` between one trade and the next entry.
 */
import {
  defineStrategy,
  formatMicros,
  marketRefShape,
  SIZE_STEP_MICROS,
  subscribedTokens,
  toMicros,
  z,
  type BookView,
  type Micros,
  type StrategyAction,
  type StrategyContext,
  type StrategyResult,
} from 'polytail/strategy';
import { bps, changeBps, isCrossed, minusPct, onTick, plusPct, watchedPrice } from './lib/book-math.ts';
import { MarketTarget, type Target } from './lib/market-target.ts';
import { RollingWindow } from './lib/rolling-window.ts';
import { CrossedBookReporter, SkipLatch } from './lib/skip-latch.ts';

/** A thin book can refuse an exit FAK again and again; retry at most this often. */
const EXIT_RETRY_MS = 1_000;

const params = z.strictObject({
  ...marketRefShape,
  sizeUsdc: z.number().min(1).default(10).describe('USDC to spend per entry (market BUYs need at least $1)'),
  dropPct: z.number().gt(0).lt(100).default(5).describe('enter when the price is this % below the reference'),
  profitPct: z.number().gt(0).default(5).describe('sell when the best bid is this % above the entry price'),
  stopPct: z.number().gt(0).lt(100).default(5).describe('sell when the best bid is this % below the entry price'),
  referenceWindowMs: z.number().int().positive().default(300_000).describe('look-back of the rolling reference'),
  reference: z.enum(['max', 'mean']).default('max').describe('reference price: the window max or mean'),
  priceSource: z.enum(['ask', 'mid']).default('ask').describe('the price that must drop: best ask or mid'),
  orderType: z.enum(['FAK', 'FOK']).default('FAK').describe('FAK fills what it can, FOK all or nothing'),
  maxSpreadPct: z
    .number()
    .gt(0)
    .optional()
    .describe('skip entries when (ask − bid) / ask is wider (default: stopPct, or the stop fires at once)'),
  maxSlippagePct: z.number().min(0).max(50).default(1).describe('worst price: this % through the best price'),
  latestEntryBeforeEndMs: z.number().int().min(0).default(120_000).describe('no new entries this close to the market end'),
  exitBeforeEndMs: z.number().int().min(0).default(60_000).describe('sell everything this long before the market end'),
  cooldownMs: z.number().int().min(0).default(60_000).describe('wait this long after a trade before the next entry'),
  maxRounds: z.number().int().min(0).default(0).describe('stop after this many entries (0 = no limit)'),
});
type Params = z.infer<typeof params>;

export default defineStrategy({
  apiVersion: 1,
  name: 'taker-wave',
  description: 'Buy a dip below the rolling max/mean with a FAK, sell at profit, stop or before the end',
  kind: 'market',
  params,
  subscriptions: (p) => ({ tokens: subscribedTokens(p) }),
  create(p) {
    const target = new MarketTarget(p);
    const crossedBook = new CrossedBookReporter(p.referenceWindowMs);
    const window = new RollingWindow(p.referenceWindowMs);
    const entryLatch = new SkipLatch(p.referenceWindowMs);
    const exitLatch = new SkipLatch();
    let lastTradeMs = Number.NEGATIVE_INFINITY;
    let lastExitTryMs = Number.NEGATIVE_INFINITY;
    let rounds = 0;
    let holding = false;
    let exitTimerAt: number | undefined;

    const armExitTimer = (ctx: StrategyContext, t: Target) => {
      if (t.endMs === undefined) return;
      const at = t.endMs - p.exitBeforeEndMs;
      if (exitTimerAt === at || at <= ctx.clock.now()) return;
      exitTimerAt = at;
      ctx.setTimer(at, 'exit-before-end');
    };

    const step = (ctx: StrategyContext, bookToken?: string): StrategyResult => {
      const r = target.resolve(ctx);
      if ('skip' in r) return r.skip;
      const t = r.target;
      armExitTimer(ctx, t);
      const book = ctx.book(t.tokenId);
      if (!book) return;
      if (isCrossed(book)) return crossedBook.report(book, ctx.clock.now());
      crossedBook.clear();
      const now = ctx.clock.now();
      window.evict(now);
      const reference = window.reference(p.reference);
      const warm = window.warm(now);
      const price = watchedPrice(book, p.priceSource);
      if (bookToken === t.tokenId && price !== undefined) window.add(now, price);
      if (ctx.openOrders().some((o) => o.tokenId === t.tokenId)) return; // an order is still in flight
      const held = ctx.position(t.tokenId);
      if (held.sizeMicros >= SIZE_STEP_MICROS) return exit(ctx, t, book, held.sizeMicros, held.avgPriceMicros);
      if (!warm || reference === undefined || price === undefined) return;
      return enter(ctx, t, book, price, reference);
    };

    const enter = (ctx: StrategyContext, t: Target, book: BookView, price: Micros, reference: Micros): StrategyResult => {
      const dropBps = -changeBps(price, reference);
      if (dropBps < bps(p.dropPct)) {
        entryLatch.clear();
        return;
      }
      const now = ctx.clock.now();
      const numbers = { priceMicros: price, referenceMicros: reference, dropBps, dropPctWanted: p.dropPct };
      if (p.maxRounds > 0 && rounds >= p.maxRounds)
        return entryLatch.report('max_rounds', `drop of ${pct(dropBps)} but ${rounds} of ${p.maxRounds} rounds are done`, numbers, now);
      if (t.market.closed) return entryLatch.report('market_closed', `drop of ${pct(dropBps)} but the market is closed`, numbers, now);
      if (t.endMs !== undefined && now > t.endMs - p.latestEntryBeforeEndMs) {
        return entryLatch.report(
          'too_close_to_end',
          `drop of ${pct(dropBps)} but only ${secs(t.endMs - now)} to the market end (no entries in the last ${secs(p.latestEntryBeforeEndMs)})`,
          { ...numbers, msToEnd: t.endMs - now, latestEntryBeforeEndMs: p.latestEntryBeforeEndMs },
          now,
        );
      }
      if (now < lastTradeMs + p.cooldownMs)
        return entryLatch.report(
          'cooldown',
          `drop of ${pct(dropBps)} but cooling down for ${secs(lastTradeMs + p.cooldownMs - now)}`,
          { ...numbers, msLeft: lastTradeMs + p.cooldownMs - now },
          now,
        );
      const ask = book.bestAsk()?.priceMicros;
      if (ask === undefined) return entryLatch.report('no_asks', `drop of ${pct(dropBps)} but nobody is selling`, numbers, now);
      const bid = book.bestBid()?.priceMicros;
      const spreadBps = bid === undefined ? 10_000 : Math.round(((ask - bid) * 10_000) / ask);
      if (spreadBps >= bps(p.maxSpreadPct ?? p.stopPct)) {
        const what =
          bid === undefined
            ? 'nobody is bidding (no way out)'
            : `the spread is ${pct(spreadBps)} of the ask: a buy there would be ${pct(spreadBps)} under water at once (max ${p.maxSpreadPct ?? p.stopPct}%)`;
        return entryLatch.report(
          'spread_too_wide',
          `drop of ${pct(dropBps)} but ${what}`,
          { ...numbers, askMicros: ask, bidMicros: bid ?? null, spreadBps },
          now,
        );
      }
      entryLatch.clear();
      lastTradeMs = now;
      const limit = Math.max(ask, onTick(plusPct(ask, p.maxSlippagePct), t.market.tickMicros, 'up'));
      return order(
        t,
        'BUY',
        limit,
        { amountMicros: toMicros(p.sizeUsdc) },
        `entry: ${label(p)} ${formatMicros(price, 3)} is ${pct(dropBps)} below the ${p.reference} ${formatMicros(reference, 3)}`,
      );
    };

    const exit = (ctx: StrategyContext, t: Target, book: BookView, size: Micros, avg: Micros): StrategyResult => {
      const now = ctx.clock.now();
      const bid = book.bestBid()?.priceMicros;
      const moveBps = bid !== undefined && avg > 0 ? changeBps(bid, avg) : 0;
      let why: string;
      if (t.endMs !== undefined && now >= t.endMs - p.exitBeforeEndMs) why = `time exit ${secs(t.endMs - now)} before the end`;
      else if (bid === undefined) return;
      else if (moveBps >= bps(p.profitPct))
        why = `take profit: bid ${formatMicros(bid, 3)} is ${pct(moveBps)} above the entry ${formatMicros(avg, 3)}`;
      else if (moveBps <= -bps(p.stopPct))
        why = `stop loss: bid ${formatMicros(bid, 3)} is ${pct(-moveBps)} below the entry ${formatMicros(avg, 3)}`;
      else return;
      if (bid === undefined) return exitLatch.report('no_bids', `${why}, but nobody is bidding`, { sizeMicros: size, entryMicros: avg });
      if (now < lastExitTryMs + EXIT_RETRY_MS) return;
      exitLatch.clear();
      lastExitTryMs = now;
      lastTradeMs = now;
      const limit = onTick(minusPct(bid, p.maxSlippagePct), t.market.tickMicros, 'down');
      return order(t, 'SELL', Math.min(bid, limit), { sizeMicros: size }, why);
    };

    const order = (
      t: Target,
      side: 'BUY' | 'SELL',
      limitPriceMicros: Micros,
      size: { amountMicros?: Micros; sizeMicros?: Micros },
      note: string,
    ): StrategyAction => ({
      kind: 'order',
      intent: { tokenId: t.tokenId, side, type: p.orderType, limitPriceMicros, ...size, note: `taker-wave ${note}` },
    });

    return {
      onBook: (tokenId, ctx) => step(ctx, tokenId),
      onTimer: (tag, ctx) => (tag === 'exit-before-end' ? step(ctx) : undefined),
      onFill(fill, ctx) {
        if (fill.side === 'BUY' && !holding) {
          holding = true;
          rounds++;
        }
        if (fill.side === 'SELL' && ctx.position(fill.tokenId).sizeMicros < SIZE_STEP_MICROS) holding = false;
      },
    };
  },
});

function pct(basisPoints: number): string {
  return `${(basisPoints / 100).toFixed(2)}%`;
}

function secs(ms: number): string {
  return `${Math.round(ms / 1000)}s`;
}

function label(p: Params): string {
  return p.priceSource === 'ask' ? 'ask' : 'mid';
}
