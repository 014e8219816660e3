import { MICROS } from '../../core/money.ts';
import { defineStrategy } from '../api.ts';
import { copyKnobs } from '../copy-knobs.ts';
import { copyParamsSchema } from '../copy-params.ts';
import { buyIntent, checkMinTargetUsdc, copySell, precheckTrade, sizingModeSizer } from '../copy-trade.ts';
import { skip } from '../sizing.ts';

/**
 * Bets against the targets: when one BUYs an outcome we BUY the other outcome of the same market at
 * about 1 − its price (equal shares under the default multiplier, so we hold the opposite position);
 * when it SELLs, we unwind the same fraction of our fade position in the other outcome.
 */
export const fade = defineStrategy({
  apiVersion: 1,
  name: 'fade',
  description: 'Bet against the target wallets: buy the opposite outcome of what they buy, unwind it as they sell',
  kind: 'copy',
  params: copyParamsSchema,
  subscriptions: (params) => ({ wallets: params.wallets }),
  knobs: copyKnobs,
  create(params) {
    const sizer = sizingModeSizer(params);
    return {
      onTargetTrade(event, ctx) {
        const rejected = precheckTrade(event, params) ?? checkMinTargetUsdc(event, params.minTargetUsdc);
        if (rejected) return rejected;
        const t = event.trade;
        const other = ctx.oppositeToken(t.tokenId);
        if (!other) {
          return skip('opposite_token_unknown', `no opposite outcome known for token ${t.tokenId} (market ${t.slug ?? t.conditionId})`, {
            tokenId: t.tokenId,
            conditionId: t.conditionId,
          });
        }
        // The other outcome trades near 1 − p in a binary market (the two prices sum to about 1).
        const refPriceMicros = MICROS - t.priceMicros;
        if (t.side === 'SELL') return copySell(event, ctx, params, other, refPriceMicros);
        const size = sizer(event, ctx, refPriceMicros);
        if (size.kind === 'skip') return size;
        return buyIntent(event, ctx, params, other, refPriceMicros, size);
      },
    };
  },
});

export default fade;
