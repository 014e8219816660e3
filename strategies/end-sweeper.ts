/**
 * end-sweeper: in the last `windowMs` of a market, buy the outcome the book already prices near
 * certain (best ask in [minPrice, maxPrice], e.g. 0.95–0.99) for up to `sizeUsdc`, and hold it to
 * resolution. Only when the spread is at most `maxSpread` and the asks up to maxPrice hold at least
 * `minDepthUsdc`. Without `outcome` it sweeps whichever outcome is in range. The market end comes from
 * its metadata, or for `btc-updown-5m-<start>` / `-15m-` slugs from the start in the slug.
 */
import {
  defineStrategy,
  findMarket,
  formatMicros,
  formatUsd,
  marketEndMs,
  marketRefShape,
  MIN_MARKET_BUY_MICROS,
  notional,
  parseMarketRef,
  resolveMarketRef,
  subscribedTokens,
  toMicros,
  z,
  type MarketInfo,
  type Micros,
  type StrategyContext,
  type StrategyResult,
} from 'polytail/strategy';
import { askDepthUsdc, onTick } from './lib/book-math.ts';
import { SkipLatch } from './lib/skip-latch.ts';

const params = z
  .strictObject({
    ...marketRefShape,
    sizeUsdc: z.number().min(1).default(20).describe('USDC to spend in total on this market'),
    minPrice: z.number().gt(0).lt(1).default(0.95).describe('buy only an outcome whose best ask is at least this'),
    maxPrice: z.number().gt(0).lt(1).default(0.99).describe('and at most this (also the limit price)'),
    maxSpread: z.number().gt(0).lt(1).default(0.02).describe('skip when best ask − best bid is wider'),
    minDepthUsdc: z.number().min(0).default(20).describe('skip when the asks up to maxPrice hold less USDC'),
    windowMs: z.number().int().positive().default(60_000).describe('act only in this last stretch before the market end'),
    orderType: z.enum(['FAK', 'FOK']).default('FAK').describe('FAK fills what it can, FOK all or nothing'),
  })
  .refine((p) => p.minPrice <= p.maxPrice, { message: 'minPrice must not exceed maxPrice', path: ['minPrice'] });

export default defineStrategy({
  apiVersion: 1,
  name: 'end-sweeper',
  description: 'In the last minute(s), buy the outcome priced 0.95–0.99 and hold it to resolution',
  kind: 'market',
  params,
  subscriptions: (p) => ({ tokens: subscribedTokens(p) }),
  create(p) {
    const latch = new SkipLatch();
    let spentMicros = 0;
    let windowTimerArmed = false;
    let market: MarketInfo | undefined;

    const tokensOf = (ctx: StrategyContext): string[] | undefined => {
      const ref = parseMarketRef(p.market);
      market = findMarket(ref, {
        byId: (id) => ctx.market(id),
        candidates: () => (p.tokenIds ?? []).map((t) => ctx.market(t)).filter((m): m is MarketInfo => !!m),
      });
      if (!market) return undefined;
      if (p.outcome) {
        const r = resolveMarketRef(ref, p.outcome, { byId: () => market, candidates: () => [market!] });
        return r.ok ? [r.tokenId] : [];
      }
      return ref.kind === 'token' ? [ref.tokenId] : market.tokens.map((t) => t.tokenId);
    };

    const step = (ctx: StrategyContext): StrategyResult => {
      const tokens = tokensOf(ctx);
      if (!tokens || !market)
        return latch.report('market_unknown', `no metadata yet for market ${p.market} (waiting for it)`, { market: p.market });
      if (tokens.length === 0)
        return latch.report('outcome_unknown', `market ${market.slug ?? market.conditionId} has no outcome "${p.outcome}"`, {
          outcome: p.outcome ?? null,
        });
      const endMs = marketEndMs(market);
      if (endMs === undefined)
        return latch.report(
          'end_unknown',
          `market ${market.slug ?? market.conditionId} has no end time (endMs) and its slug does not tell`,
          {},
        );
      const now = ctx.clock.now();
      const openMs = endMs - p.windowMs;
      if (now < openMs) {
        if (!windowTimerArmed) {
          windowTimerArmed = true;
          ctx.setTimer(openMs, 'window-open');
        }
        return;
      }
      const budgetLeft = toMicros(p.sizeUsdc) - spentMicros;
      if (now >= endMs || budgetLeft < MIN_MARKET_BUY_MICROS) return;
      if (ctx.openOrders().length > 0) return;
      return sweep(ctx, tokens, endMs - now, budgetLeft);
    };

    const sweep = (ctx: StrategyContext, tokens: string[], msToEnd: number, budgetLeft: Micros): StrategyResult => {
      const m = market!;
      const minPrice = toMicros(p.minPrice);
      const maxPrice = toMicros(p.maxPrice);
      const quotes = tokens.map((tokenId) => {
        const book = ctx.book(tokenId);
        return { tokenId, book, ask: book?.bestAsk()?.priceMicros, bid: book?.bestBid()?.priceMicros };
      });
      const inRange = quotes
        .filter((q) => q.ask !== undefined && q.ask >= minPrice && q.ask <= maxPrice)
        .sort((a, b) => b.ask! - a.ask!)[0];
      const outcome = (tokenId: string) => m.tokens.find((t) => t.tokenId === tokenId)?.outcome ?? tokenId;
      const asks = Object.fromEntries(quotes.map((q) => [`ask:${outcome(q.tokenId)}`, q.ask ?? null]));
      if (!inRange) {
        const above = quotes.find((q) => q.ask !== undefined && q.ask > maxPrice);
        if (above)
          return latch.report(
            'price_above_max',
            `"${outcome(above.tokenId)}" asks ${formatMicros(above.ask!, 3)}, above maxPrice ${p.maxPrice}: too little left to earn`,
            { ...asks, maxPriceMicros: maxPrice, msToEnd },
          );
        return latch.report(
          'no_outcome_in_range',
          `no outcome's best ask is within ${p.minPrice}–${p.maxPrice} ${Math.round(msToEnd / 1000)}s before the end`,
          { ...asks, msToEnd },
        );
      }
      const { tokenId, book, ask, bid } = inRange;
      const name = outcome(tokenId);
      const spread = bid === undefined ? undefined : ask! - bid;
      if (spread === undefined || spread > toMicros(p.maxSpread)) {
        return latch.report(
          'spread_too_wide',
          `"${name}" asks ${formatMicros(ask!, 3)} but the spread is ${spread === undefined ? 'one-sided (no bids)' : formatMicros(spread, 3)}, wider than maxSpread ${p.maxSpread}`,
          { askMicros: ask!, bidMicros: bid ?? null, spreadMicros: spread ?? null, maxSpreadMicros: toMicros(p.maxSpread), msToEnd },
        );
      }
      const depth = askDepthUsdc(book!, maxPrice);
      if (depth < toMicros(p.minDepthUsdc)) {
        return latch.report(
          'too_thin',
          `"${name}" has only ${formatUsd(depth)} of asks up to ${p.maxPrice}, below minDepthUsdc ${p.minDepthUsdc}`,
          { askMicros: ask!, depthMicros: depth, minDepthMicros: toMicros(p.minDepthUsdc), msToEnd },
        );
      }
      if (m.closed) return latch.report('market_closed', `"${name}" is in range but the market is closed`, { askMicros: ask!, msToEnd });
      latch.clear();
      return {
        kind: 'order',
        intent: {
          tokenId,
          side: 'BUY',
          type: p.orderType,
          limitPriceMicros: onTick(maxPrice, m.tickMicros, 'down'),
          amountMicros: budgetLeft,
          note: `end-sweeper: "${name}" asks ${formatMicros(ask!, 3)}, spread ${formatMicros(spread, 3)}, ${formatUsd(depth)} deep, ${Math.round(msToEnd / 1000)}s to the end`,
        },
      };
    };

    return {
      onBook: (_tokenId, ctx) => step(ctx),
      onTimer: (tag, ctx) => (tag === 'window-open' ? step(ctx) : undefined),
      onFill(fill) {
        if (fill.side === 'BUY') spentMicros += notional(fill.sizeMicros, fill.priceMicros, 'ceil');
      },
      onResolution(event, ctx) {
        if (!market || event.conditionId !== market.conditionId || spentMicros === 0) return;
        const winner = market.tokens.find((t) => event.payouts[t.tokenId] === 1_000_000)?.outcome ?? 'none (split)';
        ctx.log(`${market.slug ?? market.conditionId} resolved to ${winner}; swept ${formatUsd(spentMicros)}`);
      },
    };
  },
});
