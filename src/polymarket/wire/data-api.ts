/**
 * Data API rows (`/activity`, `/trades`, `/positions`) → core types. The same schemas read the JSON
 * responses and the CSV exports (where every value is a string). Non-TRADE activity (REWARD, REDEEM,
 * MAKER_REBATE, ...) is returned as `ActivityOther`: recorded, never a target trade.
 */
import { z } from 'zod';
import { notional, type Micros } from '../../core/money.ts';
import type { Side, TargetTrade } from '../../core/types.ts';
import {
  address,
  nonEmpty,
  optionalAmount,
  optionalInteger,
  optionalMicros,
  optionalText,
  parseWire,
  probability,
  shares,
  side,
  unixTimeMs,
  micros,
} from './fields.ts';

export interface ActivityTrade {
  kind: 'trade';
  /** Trade time in ms (the API gives unix seconds). */
  tsMs: number;
  trade: TargetTrade;
}

/** A non-TRADE activity row: kept for the record and for cash accounting, never copied. */
export interface ActivityOther {
  kind: 'other';
  type: string;
  tsMs: number;
  wallet: string;
  txHash: string;
  conditionId?: string;
  tokenId?: string;
  side?: Side;
  sizeMicros: Micros;
  usdcMicros: Micros;
  priceMicros: Micros;
  outcome?: string;
  outcomeIndex?: number;
  slug?: string;
  title?: string;
}

export type ActivityRecord = ActivityTrade | ActivityOther;

const tradeFields = {
  proxyWallet: address,
  timestamp: unixTimeMs,
  conditionId: nonEmpty,
  asset: nonEmpty,
  side,
  size: shares,
  price: probability,
  transactionHash: nonEmpty,
  outcome: z
    .union([z.string(), z.null()])
    .optional()
    .transform((v) => v ?? ''),
  outcomeIndex: optionalInteger,
  slug: optionalText,
  eventSlug: optionalText,
  title: optionalText,
};

const tradeRow = z.object({ ...tradeFields, usdcSize: optionalAmount });

const otherRow = z.object({
  proxyWallet: address,
  timestamp: unixTimeMs,
  type: nonEmpty,
  transactionHash: z
    .string()
    .optional()
    .transform((v) => v ?? ''),
  conditionId: optionalText,
  asset: optionalText,
  side: optionalText,
  size: optionalAmount,
  usdcSize: optionalAmount,
  price: optionalAmount,
  outcome: optionalText,
  outcomeIndex: optionalInteger,
  slug: optionalText,
  title: optionalText,
});

const typeOnly = z.object({ type: nonEmpty.transform((s) => s.toUpperCase()) });

/** One `/activity` row (JSON or CSV export). */
export function parseActivityRow(row: unknown): ActivityRecord {
  const { type } = parseWire(typeOnly, row, 'activity row');
  if (type === 'TRADE') return { kind: 'trade', ...toTrade(parseWire(tradeRow, row, 'activity TRADE row')) };
  const r = parseWire(otherRow, row, `activity ${type} row`);
  const s = r.side?.toUpperCase();
  return {
    kind: 'other',
    type,
    tsMs: r.timestamp,
    wallet: r.proxyWallet,
    txHash: r.transactionHash,
    conditionId: r.conditionId,
    tokenId: r.asset,
    side: s === 'BUY' || s === 'SELL' ? s : undefined,
    sizeMicros: r.size ?? 0,
    usdcMicros: r.usdcSize ?? 0,
    priceMicros: r.price ?? 0,
    outcome: r.outcome,
    // 999 means "undetermined" on REDEEM/REWARD rows.
    outcomeIndex: r.outcomeIndex === 999 ? undefined : r.outcomeIndex,
    slug: r.slug,
    title: r.title,
  };
}

/** One `/trades` row (market tape; no `type`, no `usdcSize`). */
export function parseTradesRow(row: unknown): ActivityTrade {
  return { kind: 'trade', ...toTrade(parseWire(tradeRow, row, 'trades row')) };
}

function toTrade(r: z.output<typeof tradeRow>): { tsMs: number; trade: TargetTrade } {
  return {
    tsMs: r.timestamp,
    trade: {
      wallet: r.proxyWallet,
      txHash: r.transactionHash,
      tokenId: r.asset,
      conditionId: r.conditionId,
      side: r.side,
      sizeMicros: r.size,
      priceMicros: r.price,
      usdcMicros: r.usdcSize ?? notional(r.size, r.price),
      outcome: r.outcome,
      outcomeIndex: r.outcomeIndex,
      slug: r.slug,
      eventSlug: r.eventSlug,
      title: r.title,
    },
  };
}

/** A target's holding from `/positions` (or `/closed-positions`, where `size` is absent → 0). */
export interface TargetPosition {
  wallet: string;
  tokenId: string;
  conditionId: string;
  sizeMicros: Micros;
  avgPriceMicros: Micros;
  curPriceMicros?: Micros;
  realizedPnlMicros?: Micros;
  outcome?: string;
  outcomeIndex?: number;
  oppositeTokenId?: string;
  oppositeOutcome?: string;
  redeemable?: boolean;
  negRisk?: boolean;
  slug?: string;
  title?: string;
}

/** A position's average or current price: 0 to 1 (a resolved loser is worth 0). */
const positionPrice = micros.refine((v) => v >= 0 && v <= 1_000_000, { message: 'expected a price from 0 to 1' });

const positionRow = z.object({
  proxyWallet: address,
  asset: nonEmpty,
  conditionId: nonEmpty,
  size: optionalAmount,
  avgPrice: positionPrice,
  curPrice: optionalMicros.refine((v) => v === undefined || (v >= 0 && v <= 1_000_000), { message: 'expected a price from 0 to 1' }),
  realizedPnl: optionalAmount,
  outcome: optionalText,
  outcomeIndex: optionalInteger,
  oppositeAsset: optionalText,
  oppositeOutcome: optionalText,
  redeemable: z.boolean().optional(),
  negativeRisk: z.boolean().optional(),
  slug: optionalText,
  title: optionalText,
});

export function parsePositionRow(row: unknown): TargetPosition {
  const r = parseWire(positionRow, row, 'positions row');
  return {
    wallet: r.proxyWallet,
    tokenId: r.asset,
    conditionId: r.conditionId,
    sizeMicros: r.size ?? 0,
    avgPriceMicros: r.avgPrice,
    curPriceMicros: r.curPrice,
    realizedPnlMicros: r.realizedPnl,
    outcome: r.outcome,
    outcomeIndex: r.outcomeIndex,
    oppositeTokenId: r.oppositeAsset,
    oppositeOutcome: r.oppositeOutcome,
    redeemable: r.redeemable,
    negRisk: r.negativeRisk,
    slug: r.slug,
    title: r.title,
  };
}
