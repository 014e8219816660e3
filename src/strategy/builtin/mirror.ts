import { defineStrategy } from '../api.ts';
import { copyKnobs } from '../copy-knobs.ts';
import { copyParamsSchema } from '../copy-params.ts';
import { sizingModeSizer, tailTrade } from '../copy-trade.ts';

/** Copies each target trade: BUYs sized by `sizing` (target shares × 1 by default), SELLs as the same fraction. */
export const mirror = defineStrategy({
  apiVersion: 1,
  name: 'mirror',
  description:
    'Copy every trade of the target wallets: BUYs sized by multiplier/fixed/percent/tiers, SELLs as the same fraction of our position',
  kind: 'copy',
  params: copyParamsSchema,
  subscriptions: (params) => ({ wallets: params.wallets }),
  knobs: copyKnobs,
  create(params) {
    const sizer = sizingModeSizer(params);
    return {
      onTargetTrade: (event, ctx) => tailTrade(event, ctx, params, sizer),
    };
  },
});

export default mirror;
