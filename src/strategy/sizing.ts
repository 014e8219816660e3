/**
 * How big a copy is. BUYs are sized by one of four modes (params speak dollars and plain numbers;
 * everything is turned into integer micros here). SELLs are never sized by mode: a target SELL is
 * mirrored as the same FRACTION of our position as it was of the target's.
 *
 * Engine contract (the SELL fraction depends on it): the engine calls `onTargetTrade` BEFORE it books
 * the trade into the target's tracked position, so `ctx.targetPosition(wallet, token)` inside the
 * handler is the target's position just before this trade.
 */
import { z } from 'zod';
import { lazy, type Text } from '../core/lazy-text.ts';
import { formatMicros, formatUsd, MICROS, mulDiv, notional, sharesFor, toMicros, type Micros } from '../core/money.ts';
import type { StrategyReasonCode } from '../core/reason-codes.ts';
import type { Skip } from './api.ts';

const positive = (what: string) => z.number().positive().describe(what);

const tierSchema = z
  .strictObject({
    minTargetUsdc: z.number().min(0).describe('applies when the target trade is at least this many USDC'),
    multiplier: positive('target shares × this').optional(),
    usdc: positive('fixed USDC per copy').optional(),
  })
  .refine((t) => (t.multiplier === undefined) !== (t.usdc === undefined), {
    message: 'each tier needs exactly one of multiplier or usdc',
  });

export const sizingSchema = z
  .discriminatedUnion('mode', [
    z.strictObject({ mode: z.literal('multiplier'), multiplier: positive('target shares × this') }),
    z.strictObject({ mode: z.literal('fixed'), usdc: positive('USDC per copy') }),
    z.strictObject({ mode: z.literal('percent'), percent: z.number().positive().max(100).describe('% of my equity per copy') }),
    z.strictObject({
      mode: z.literal('tiers'),
      tiers: z.array(tierSchema).min(1).describe('by target trade USDC; the highest tier reached applies'),
      /** Scales every tier's result; the TUI's +/- moves it. */
      scale: positive('scales every tier (the TUI +/- moves it)').default(1),
    }),
  ])
  .describe('how big each copied BUY is: multiplier | fixed | percent | tiers');

export type Sizing = z.infer<typeof sizingSchema>;

/** A BUY size: shares and the USDC they cost at the reference price. `basis` says which one was chosen. */
export interface DesiredSize {
  kind: 'size';
  sizeMicros: Micros;
  usdcMicros: Micros;
  basis: 'shares' | 'usdc';
  /** Human note for logs and the decision row, e.g. "216 sh × 0.5" (lazy text: rendered when read). */
  note: Text;
}

export interface BuySizingInput {
  /** The target's trade, in shares and USDC. */
  targetSizeMicros: Micros;
  targetUsdcMicros: Micros;
  /** The price we expect to pay (the target's price, or 1 − it for a fade). */
  priceMicros: Micros;
  equityMicros: Micros;
}

export function skip(reason: StrategyReasonCode, message: Text, details: Skip['details'] = {}): Skip {
  return { kind: 'skip', reason, message, details };
}

/** Multipliers and percents are floats in params; as parts-per-million they multiply exactly. */
function ppm(x: number): number {
  return Math.round(x * MICROS);
}

const roundsToZeroText = (note: Text) => `copy size rounds to zero (${note})`;
const scaledText = (targetSizeMicros: Micros, multiplier: number) => `${formatMicros(targetSizeMicros, 2)} sh × ${multiplier}`;
const fixedText = (usdc: Micros) => `fixed ${formatUsd(usdc)}`;
const percentText = (percent: number, equity: Micros) => `${percent}% of ${formatUsd(equity)}`;
const noEquityText = (equity: Micros) => `percent sizing needs positive equity, have ${formatUsd(equity)}`;
const tierText = (minTargetUsdc: number, usdc: Micros) => `tier ≥ ${formatUsd(toMicros(minTargetUsdc))}: ${formatUsd(usdc)}`;

function byShares(sizeMicros: Micros, priceMicros: Micros, note: Text): DesiredSize | Skip {
  const usdcMicros = notional(sizeMicros, priceMicros, 'floor');
  if (sizeMicros <= 0 || usdcMicros <= 0) {
    return skip('size_rounds_to_zero', lazy(roundsToZeroText, note), { sizeMicros, usdcMicros, priceMicros });
  }
  return { kind: 'size', sizeMicros, usdcMicros, basis: 'shares', note };
}

function byUsdc(usdcMicros: Micros, priceMicros: Micros, note: Text): DesiredSize | Skip {
  const sizeMicros = priceMicros > 0 ? sharesFor(usdcMicros, priceMicros, 'floor') : 0;
  if (sizeMicros <= 0 || usdcMicros <= 0) {
    return skip('size_rounds_to_zero', lazy(roundsToZeroText, note), { sizeMicros, usdcMicros, priceMicros });
  }
  return { kind: 'size', sizeMicros, usdcMicros, basis: 'usdc', note };
}

/** Target shares × multiplier, priced at `priceMicros`. */
export function scaledShares(targetSizeMicros: Micros, multiplier: number, priceMicros: Micros): DesiredSize | Skip {
  const size = mulDiv(targetSizeMicros, ppm(multiplier), MICROS, 'floor');
  return byShares(size, priceMicros, lazy(scaledText, targetSizeMicros, multiplier));
}

/** The desired size of a copied BUY under `sizing`, or a skip that says why there is none. */
export function sizeBuy(sizing: Sizing, input: BuySizingInput): DesiredSize | Skip {
  const { targetSizeMicros, targetUsdcMicros, priceMicros, equityMicros } = input;
  switch (sizing.mode) {
    case 'multiplier':
      return scaledShares(targetSizeMicros, sizing.multiplier, priceMicros);
    case 'fixed':
      return byUsdc(toMicros(sizing.usdc), priceMicros, lazy(fixedText, toMicros(sizing.usdc)));
    case 'percent': {
      if (equityMicros <= 0) {
        return skip('no_equity', lazy(noEquityText, equityMicros), { equityMicros });
      }
      const usdc = mulDiv(equityMicros, ppm(sizing.percent), 100 * MICROS, 'floor');
      return byUsdc(usdc, priceMicros, lazy(percentText, sizing.percent, equityMicros));
    }
    case 'tiers': {
      const tier = [...sizing.tiers]
        .sort((a, b) => b.minTargetUsdc - a.minTargetUsdc)
        .find((t) => targetUsdcMicros >= toMicros(t.minTargetUsdc));
      if (!tier) {
        const lowest = Math.min(...sizing.tiers.map((t) => t.minTargetUsdc));
        return skip(
          'below_lowest_tier',
          `target trade ${formatUsd(targetUsdcMicros)} is below the lowest tier (${formatUsd(toMicros(lowest))})`,
          { targetUsdcMicros, lowestTierMicros: toMicros(lowest) },
        );
      }
      const scale = sizing.scale ?? 1;
      if (tier.multiplier !== undefined) return scaledShares(targetSizeMicros, tier.multiplier * scale, priceMicros);
      const usdc = mulDiv(toMicros(tier.usdc!), ppm(scale), MICROS, 'floor');
      return byUsdc(usdc, priceMicros, lazy(tierText, tier.minTargetUsdc, usdc));
    }
  }
}

/** A SELL size: shares of our position, and the fraction of it (ppm) that the target sold of theirs. */
export interface SellSize {
  kind: 'size';
  sizeMicros: Micros;
  fractionPpm: number;
  basis: 'fraction' | 'all' | 'all_unknown';
  note: Text;
}

export interface SellSizingInput {
  /** Our (this strategy's) position in the token we would sell. */
  ourSizeMicros: Micros;
  /** Shares the target sold in this trade. */
  targetSellMicros: Micros;
  /** The target's position BEFORE this trade (see the engine contract at the top of this file). */
  targetBeforeMicros: Micros;
  /** When the target's position is unknown (0: e.g. it bought before we watched), sell all of ours. */
  sellAllWhenUnknown: boolean;
}

/**
 * Mirrors a target SELL as a fraction of our position: target sold ÷ target held before. A fraction
 * of 1 or more (the target sold more than we saw it buy) sells everything we hold.
 */
export function sizeSell(input: SellSizingInput): SellSize | Skip {
  const { ourSizeMicros, targetSellMicros, targetBeforeMicros, sellAllWhenUnknown } = input;
  if (ourSizeMicros <= 0) {
    return skip('no_position_to_sell', lazy(holdNoneText, targetSellMicros), { ourSizeMicros, targetSellMicros, targetBeforeMicros });
  }
  if (targetBeforeMicros <= 0) {
    if (!sellAllWhenUnknown) {
      return skip('target_position_unknown', lazy(unknownPositionText, targetSellMicros), {
        ourSizeMicros,
        targetSellMicros,
        targetBeforeMicros,
      });
    }
    return {
      kind: 'size',
      sizeMicros: ourSizeMicros,
      fractionPpm: MICROS,
      basis: 'all_unknown',
      note: 'target position unknown: selling all',
    };
  }
  if (targetSellMicros >= targetBeforeMicros) {
    return { kind: 'size', sizeMicros: ourSizeMicros, fractionPpm: MICROS, basis: 'all', note: 'target sold its whole position' };
  }
  const fractionPpm = mulDiv(targetSellMicros, MICROS, targetBeforeMicros, 'floor');
  // Scale by the exact ratio rather than the rounded ppm so big positions are not off by a share.
  const sizeMicros = mulDiv(ourSizeMicros, targetSellMicros, targetBeforeMicros, 'floor');
  if (sizeMicros <= 0) {
    return skip('size_rounds_to_zero', lazy(fractionRoundsText, fractionPpm, ourSizeMicros), {
      ourSizeMicros,
      targetSellMicros,
      targetBeforeMicros,
      fractionPpm,
    });
  }
  return { kind: 'size', sizeMicros, fractionPpm, basis: 'fraction', note: lazy(fractionText, fractionPpm, targetBeforeMicros) };
}

const pctOf = (fractionPpm: number) => (fractionPpm / 10_000).toFixed(2);
const holdNoneText = (sold: Micros) => `target sold ${formatMicros(sold, 2)} sh but we hold none`;
const unknownPositionText = (sold: Micros) =>
  `target sold ${formatMicros(sold, 2)} sh of a position we never saw; set sellAllWhenUnknown to exit all of ours`;
const fractionRoundsText = (fractionPpm: number, ours: Micros) =>
  `${pctOf(fractionPpm)}% of our ${formatMicros(ours, 2)} sh rounds to zero`;
const fractionText = (fractionPpm: number, before: Micros) => `target sold ${pctOf(fractionPpm)}% of ${formatMicros(before, 2)} sh`;
