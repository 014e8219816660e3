/**
 * Gamma market and event objects → MarketInfo (+ a resolution for closed markets whose outcome
 * prices are final). `outcomes`, `outcomePrices` and `clobTokenIds` are JSON inside strings.
 */
import { z } from 'zod';
import type { Micros } from '../../core/money.ts';
import type { MarketInfo } from '../../core/types.ts';
import { MAX_AMOUNT_MICROS, WireError, bool, micros, nonEmpty, optionalMicros, optionalText, parseWire, stringList } from './fields.ts';
import { DEFAULT_MIN_ORDER_SIZE_MICROS, DEFAULT_TICK_MICROS } from '../market-defaults.ts';

export interface GammaMarket {
  market: MarketInfo;
  /** Present when the market is closed and its prices are final (each 0, 0.5 or 1). tokenId → payout. */
  payouts?: Record<string, Micros>;
  /** When it resolved (closedTime, else umaEndDate, else endDate), ms. */
  resolvedMs?: number;
  /** When the market was created or opened, ms, if given. */
  startMs?: number;
}

const optionalDate = z
  .union([z.string(), z.null()])
  .optional()
  .transform((v, ctx) => {
    if (v === null || v === undefined || v.trim() === '') return undefined;
    const ms = parseDateMs(v);
    if (ms === undefined) {
      ctx.issues.push({ code: 'custom', message: 'expected a date', input: v });
      return z.NEVER;
    }
    return ms;
  });

const feeSchedule = z
  .object({ rate: z.number().min(0).max(1), exponent: z.number().min(0).max(100).optional() })
  .optional()
  .nullable();

/** A tick size: above 0 and below 1 (0.1, 0.01, 0.001, 0.0001 on Polymarket). */
const tickSize = optionalMicros.refine((v) => v === undefined || (v > 0 && v < 1_000_000), {
  message: 'expected a tick size between 0 and 1',
});
const minSize = optionalMicros.refine((v) => v === undefined || (v >= 0 && v <= MAX_AMOUNT_MICROS), {
  message: 'expected a minimum order size of 0 or more',
});
const tokenIds = stringList.refine((ids) => ids.length > 0 && ids.every((id) => id.trim() !== '') && new Set(ids).size === ids.length, {
  message: 'expected distinct, non-empty token ids',
});

const marketSchema = z.object({
  conditionId: nonEmpty,
  slug: optionalText,
  question: optionalText,
  outcomes: stringList,
  outcomePrices: stringList.optional(),
  clobTokenIds: tokenIds,
  negRisk: bool.optional(),
  orderPriceMinTickSize: tickSize,
  orderMinSize: minSize,
  closed: bool.optional(),
  umaResolutionStatus: optionalText.nullable(),
  endDate: optionalDate,
  startDate: optionalDate,
  createdAt: optionalDate,
  closedTime: optionalDate,
  umaEndDate: optionalDate,
  feesEnabled: bool.optional(),
  feeSchedule,
});

/** One Gamma market object. `defaults` fills fields an event gives its markets (e.g. negRisk). */
export function parseGammaMarket(obj: unknown, defaults: { negRisk?: boolean } = {}): GammaMarket {
  const m = parseWire(marketSchema, obj, 'gamma market');
  if (m.clobTokenIds.length !== m.outcomes.length) {
    throw new WireError(
      `gamma market ${m.conditionId}: field "clobTokenIds": ${m.clobTokenIds.length} token ids for ${m.outcomes.length} outcomes`,
      'clobTokenIds',
    );
  }
  const tokens = m.clobTokenIds.map((tokenId, i) => ({ tokenId, outcome: m.outcomes[i]! }));
  const feeOn = m.feeSchedule && m.feesEnabled !== false;
  const market: MarketInfo = {
    conditionId: m.conditionId,
    slug: m.slug,
    question: m.question,
    tokens,
    negRisk: m.negRisk ?? defaults.negRisk ?? false,
    tickMicros: m.orderPriceMinTickSize ?? DEFAULT_TICK_MICROS,
    minOrderSizeMicros: m.orderMinSize ?? DEFAULT_MIN_ORDER_SIZE_MICROS,
    endMs: m.endDate,
    closed: m.closed,
    ...(feeOn ? { feeRate: m.feeSchedule!.rate, feeExponent: m.feeSchedule!.exponent ?? 1 } : {}),
  };
  const result: GammaMarket = { market, startMs: m.startDate ?? m.createdAt };
  const payouts =
    m.closed && m.outcomePrices
      ? finalPayouts(
          tokens.map((t) => t.tokenId),
          m.outcomePrices,
        )
      : undefined;
  if (payouts && (m.umaResolutionStatus === undefined || m.umaResolutionStatus === null || m.umaResolutionStatus === 'resolved')) {
    result.payouts = payouts;
    result.resolvedMs = m.closedTime ?? m.umaEndDate ?? m.endDate;
  }
  return result;
}

/** Payouts if every price is final (0, 0.5 or 1) and they sum to 1; otherwise undefined. */
export function finalPayouts(tokenIds: string[], prices: string[]): Record<string, Micros> | undefined {
  if (prices.length !== tokenIds.length) return undefined;
  const values: number[] = prices.map((p) => parseWire(micros, p, 'outcome price'));
  if (!values.every((v) => v === 0 || v === 500_000 || v === 1_000_000)) return undefined;
  if (values.reduce<number>((a, b) => a + b, 0) !== 1_000_000) return undefined;
  return Object.fromEntries(tokenIds.map((t, i) => [t, values[i]!]));
}

const eventSchema = z.object({ slug: optionalText, negRisk: bool.optional(), markets: z.array(z.unknown()) });

/** A Gamma event: its markets, each parsed as above (markets without token ids are skipped). */
export function parseGammaEvent(obj: unknown): GammaMarket[] {
  const e = parseWire(eventSchema, obj, 'gamma event');
  const out: GammaMarket[] = [];
  e.markets.forEach((m, i) => {
    const ids = (m as { clobTokenIds?: unknown } | null)?.clobTokenIds;
    if (ids === undefined || ids === null || ids === '') return; // placeholder markets have no tokens
    try {
      out.push(parseGammaMarket(m, { negRisk: e.negRisk }));
    } catch (err) {
      if (err instanceof WireError)
        throw new WireError(`gamma event ${e.slug ?? ''} markets[${i}]: ${err.message}`, `markets.${i}.${err.field}`);
      throw err;
    }
  });
  return out;
}

/** ISO dates, "2026-07-24 00:00:16+00", plain dates (midnight UTC) → ms. */
export function parseDateMs(text: string): number | undefined {
  let t = text.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) t += 'T00:00:00Z';
  t = t.replace(/^(\d{4}-\d{2}-\d{2}) /, '$1T').replace(/([+-]\d{2})$/, '$1:00');
  const ms = Date.parse(t);
  return Number.isFinite(ms) ? ms : undefined;
}
