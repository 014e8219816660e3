import { z } from 'zod';
import { formatUsd, mulDiv, type Micros } from '../../core/money.ts';
import { defineStrategy } from '../api.ts';
import { copyParamsShape } from '../copy-params.ts';
import { MAX_RUNTIME_MULTIPLIER } from '../copy-knobs.ts';
import { tailTrade, type BuySizer } from '../copy-trade.ts';
import { scaledShares, skip } from '../sizing.ts';

const { sizing: _sizing, ...baseShape } = copyParamsShape;

const params = z.strictObject({
  ...baseShape,
  multiplier: z.number().positive().default(1).describe('extra factor on top of my equity ÷ target value'),
});

type ProportionalParams = z.infer<typeof params>;

/** Target shares × (my equity ÷ target portfolio value) × multiplier. */
function proportionalSizer(p: ProportionalParams): BuySizer {
  return (event, ctx, refPriceMicros) => {
    const targetValue: Micros | undefined = ctx.targetPortfolioValue(event.trade.wallet);
    if (targetValue === undefined || targetValue <= 0) {
      return skip('target_value_unknown', `portfolio value of ${event.trade.wallet} is unknown; cannot scale proportionally`, {
        targetValueMicros: targetValue ?? null,
      });
    }
    const equity = ctx.equityMicros();
    if (equity <= 0)
      return skip('no_equity', `proportional sizing needs positive equity, have ${formatUsd(equity)}`, { equityMicros: equity });
    const scaledTarget = mulDiv(event.trade.sizeMicros, equity, targetValue, 'floor');
    const sized = scaledShares(scaledTarget, p.multiplier, refPriceMicros);
    if (sized.kind === 'skip') return { ...sized, details: { ...sized.details, equityMicros: equity, targetValueMicros: targetValue } };
    return { ...sized, note: `${sized.note} (equity ${formatUsd(equity)} ÷ target ${formatUsd(targetValue)} × ${p.multiplier})` };
  };
}

export const proportional = defineStrategy({
  apiVersion: 1,
  name: 'proportional',
  description: "Copy every trade scaled by my equity ÷ the target's portfolio value (× multiplier); SELLs as the same fraction",
  kind: 'copy',
  params,
  subscriptions: (p) => ({ wallets: p.wallets }),
  knobs: {
    multiplier: {
      description: 'extra factor on top of my equity ÷ target value',
      max: MAX_RUNTIME_MULTIPLIER,
      get: (p) => p.multiplier,
      set: (p, value) => {
        p.multiplier = value;
      },
    },
  },
  create(p) {
    const sizer = proportionalSizer(p);
    return {
      onTargetTrade: (event, ctx) => tailTrade(event, ctx, p, sizer),
    };
  },
});

export default proportional;
