import { z } from 'zod';
import type { TargetTradeSeen } from '../../core/events.ts';
import { formatMicros, formatUsd, toMicros } from '../../core/money.ts';
import { defineStrategy, type Skip, type StrategyContext } from '../api.ts';
import { copyKnobs } from '../copy-knobs.ts';
import { copyParamsShape } from '../copy-params.ts';
import { precheckTrade, sizingModeSizer, tailTrade } from '../copy-trade.ts';
import { skip } from '../sizing.ts';

const price = z.number().gt(0).lt(1);

const params = z
  .strictObject({
    ...copyParamsShape,
    maxTargetUsdc: z.number().positive().optional().describe('ignore target BUYs larger than this (USDC)'),
    markets: z.array(z.string()).default([]).describe('only these markets (condition id, market slug or event slug); empty = all'),
    blockedMarkets: z.array(z.string()).default([]).describe('never these markets (condition id, market slug or event slug)'),
    tokens: z.array(z.string()).default([]).describe('only these token ids; empty = all'),
    blockedTokens: z.array(z.string()).default([]).describe('never these token ids'),
    minPrice: price.optional().describe('copy BUYs only at or above this price (minimum confidence)'),
    maxPrice: price.optional().describe('copy BUYs only at or below this price'),
    sides: z
      .array(z.enum(['BUY', 'SELL']))
      .min(1)
      .default(['BUY', 'SELL'])
      .describe('which target sides to copy'),
  })
  .refine((p) => p.minPrice === undefined || p.maxPrice === undefined || p.minPrice <= p.maxPrice, {
    message: 'minPrice must not exceed maxPrice',
    path: ['minPrice'],
  });

type SelectiveParams = z.infer<typeof params>;

/** Names a trade answers to in market lists: condition id, market slug, event slug. */
function marketNames(event: TargetTradeSeen, ctx: StrategyContext): string[] {
  const t = event.trade;
  const names = [t.conditionId, t.slug, t.eventSlug, ctx.market(t.conditionId)?.slug];
  return names.filter((n): n is string => typeof n === 'string' && n !== '').map((n) => n.toLowerCase());
}

/**
 * The first filter the trade fails, or undefined. Side and market/token filters apply to both sides;
 * size and price filters apply to BUYs only, so a position we hold can always be exited.
 */
function failedFilter(event: TargetTradeSeen, ctx: StrategyContext, p: SelectiveParams): Skip | undefined {
  const t = event.trade;
  if (!p.sides.includes(t.side)) {
    return skip('side_filtered', `target ${t.side}s are not copied (sides: ${p.sides.join(', ')})`, { side: t.side });
  }
  const names = marketNames(event, ctx);
  const listed = (list: string[]) => list.some((m) => names.includes(m.toLowerCase()));
  if (p.markets.length > 0 && !listed(p.markets)) {
    return skip('market_not_allowed', `market ${t.slug ?? t.conditionId} is not in markets`, {
      conditionId: t.conditionId,
      slug: t.slug ?? null,
    });
  }
  if (listed(p.blockedMarkets)) {
    return skip('market_blocked', `market ${t.slug ?? t.conditionId} is in blockedMarkets`, {
      conditionId: t.conditionId,
      slug: t.slug ?? null,
    });
  }
  if (p.tokens.length > 0 && !p.tokens.includes(t.tokenId)) {
    return skip('token_not_allowed', `token ${t.tokenId} is not in tokens`, { tokenId: t.tokenId });
  }
  if (p.blockedTokens.includes(t.tokenId)) {
    return skip('token_blocked', `token ${t.tokenId} is in blockedTokens`, { tokenId: t.tokenId });
  }
  if (t.side !== 'BUY') return undefined;
  if (p.maxTargetUsdc !== undefined && t.usdcMicros > toMicros(p.maxTargetUsdc)) {
    const max = toMicros(p.maxTargetUsdc);
    return skip('above_max_target_usdc', `target BUY ${formatUsd(t.usdcMicros)} is above maxTargetUsdc ${formatUsd(max)}`, {
      targetUsdcMicros: t.usdcMicros,
      maxTargetUsdcMicros: max,
    });
  }
  if (p.minPrice !== undefined && t.priceMicros < toMicros(p.minPrice)) {
    return skip('below_min_price', `target BUY price ${formatMicros(t.priceMicros, 3)} is below minPrice ${p.minPrice}`, {
      priceMicros: t.priceMicros,
      minPriceMicros: toMicros(p.minPrice),
    });
  }
  if (p.maxPrice !== undefined && t.priceMicros > toMicros(p.maxPrice)) {
    return skip('above_max_price', `target BUY price ${formatMicros(t.priceMicros, 3)} is above maxPrice ${p.maxPrice}`, {
      priceMicros: t.priceMicros,
      maxPriceMicros: toMicros(p.maxPrice),
    });
  }
  return undefined;
}

/** Copies only the trades that pass every filter; each failing filter skips with its own reason code. */
export const selective = defineStrategy({
  apiVersion: 1,
  name: 'selective',
  description: 'Copy trades that pass filters: target size, markets, tokens, price band (minimum confidence), sides',
  kind: 'copy',
  params,
  subscriptions: (p) => ({ wallets: p.wallets }),
  knobs: copyKnobs,
  create(p) {
    const sizer = sizingModeSizer(p);
    return {
      // Wallet and sanity checks come first so a junk trade is not reported as "filtered".
      onTargetTrade: (event, ctx) => precheckTrade(event, p) ?? failedFilter(event, ctx, p) ?? tailTrade(event, ctx, p, sizer),
    };
  },
});

export default selective;
