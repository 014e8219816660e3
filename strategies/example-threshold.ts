/**
 * Example strategy file: copy only target BUYs at or above a price (the market agrees with them at
 * least that much), and mirror their SELLs so we exit with them. The loader finds it by its file
 * name, `example-threshold`. Copy this file, rename it and its `name`, and change the rule.
 */
import { copyKnobs, copyParamsShape, defineStrategy, formatMicros, sizingModeSizer, tailTrade, toMicros, z } from 'polytail/strategy';

export default defineStrategy({
  apiVersion: 1,
  name: 'example-threshold',
  description: 'Copy target BUYs priced at or above minPrice; mirror their SELLs',
  kind: 'copy',
  // The shared copy params (wallets, sizing, orderType, maxSlippageBps, copySells, ...) plus our own.
  params: z.strictObject({
    ...copyParamsShape,
    minPrice: z.number().gt(0).lt(1).default(0.6).describe('copy BUYs only at or above this price'),
  }),
  subscriptions: (params) => ({ wallets: params.wallets }),
  // The TUI's +/- turn `multiplier`: sizing.multiplier, or the tiers' scale.
  knobs: copyKnobs,
  create(params) {
    const sizer = sizingModeSizer(params);
    return {
      onTargetTrade(event, ctx) {
        const { side, priceMicros } = event.trade;
        // Read params here, not in create(): a knob turned while running changes them.
        const minPriceMicros = toMicros(params.minPrice);
        if (side === 'BUY' && priceMicros < minPriceMicros) {
          // Every target trade gets an answer: an order, or a skip with a reason code and the numbers.
          return {
            kind: 'skip',
            reason: 'below_threshold',
            message: `target bought at ${formatMicros(priceMicros, 3)}, below minPrice ${params.minPrice}`,
            details: { priceMicros, minPriceMicros },
          };
        }
        return tailTrade(event, ctx, params, sizer);
      },
    };
  },
});
