/**
 * RTDS `activity` / `trades` (and `orders_matched`) messages → a TargetTrade. `payload.timestamp`
 * is unix seconds (trade time); the message's top-level `timestamp` is delivery time in ms.
 */
import { z } from 'zod';
import { notional } from '../../core/money.ts';
import type { TargetTrade } from '../../core/types.ts';
import { address, nonEmpty, optionalInteger, optionalText, parseWire, probability, shares, side, unixTimeMs } from './fields.ts';

const payloadSchema = z.object({
  proxyWallet: address,
  asset: nonEmpty,
  conditionId: nonEmpty,
  side,
  price: probability,
  size: shares,
  timestamp: unixTimeMs,
  transactionHash: nonEmpty,
  outcome: z
    .string()
    .optional()
    .transform((v) => v ?? ''),
  outcomeIndex: optionalInteger,
  slug: optionalText,
  eventSlug: optionalText,
  title: optionalText,
});

export interface RtdsTrade {
  tsEvent: number;
  tsRecv: number;
  trade: TargetTrade;
}

/**
 * A whole RTDS message (`{topic, type, timestamp, payload}`) or just its payload. `tsRecvMs` is when we
 * received it; without it the message's delivery time, else the trade time, is used.
 */
export function parseRtdsTrade(message: unknown, tsRecvMs?: number): RtdsTrade {
  const isEnvelope = message !== null && typeof message === 'object' && 'payload' in message;
  const payload = isEnvelope ? (message as { payload: unknown }).payload : message;
  const delivered = isEnvelope ? (message as { timestamp?: unknown }).timestamp : undefined;
  const p = parseWire(payloadSchema, payload, 'RTDS trade payload');
  const tsEvent = p.timestamp;
  return {
    tsEvent,
    tsRecv: tsRecvMs ?? (typeof delivered === 'number' ? delivered : tsEvent),
    trade: {
      wallet: p.proxyWallet,
      txHash: p.transactionHash,
      tokenId: p.asset,
      conditionId: p.conditionId,
      side: p.side,
      sizeMicros: p.size,
      priceMicros: p.price,
      usdcMicros: notional(p.size, p.price),
      outcome: p.outcome,
      outcomeIndex: p.outcomeIndex,
      slug: p.slug,
      eventSlug: p.eventSlug,
      title: p.title,
    },
  };
}
