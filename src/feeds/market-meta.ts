/**
 * Market metadata the market channel carries (`book` frames have tick size, min order size and
 * neg-risk), so a `tick_size_change` can become a MarketUpdated even without Gamma metadata.
 */
import { z } from 'zod';
import type { MarketUpdated } from '../core/events.ts';
import type { Micros } from '../core/money.ts';
import type { MarketInfo } from '../core/types.ts';
import { bool, integer, micros, nonEmpty, optionalMicros, optionalText, parseWire } from '../polymarket/wire/fields.ts';

export interface BookMeta {
  tokenId: string;
  conditionId?: string;
  tickMicros?: Micros;
  minOrderSizeMicros?: Micros;
  negRisk?: boolean;
}

const metaSchema = z.object({
  asset_id: nonEmpty,
  market: optionalText,
  tick_size: optionalMicros,
  min_order_size: optionalMicros,
  neg_risk: bool.optional(),
});

/** Metadata of a `book` frame or REST `/book` body; undefined if it has none we can read. */
export function readBookMeta(frame: unknown): BookMeta | undefined {
  const r = metaSchema.safeParse(frame);
  if (!r.success) return undefined;
  const m = r.data;
  const out: BookMeta = { tokenId: m.asset_id };
  if (m.market !== undefined) out.conditionId = m.market;
  if (m.tick_size !== undefined) out.tickMicros = m.tick_size;
  if (m.min_order_size !== undefined) out.minOrderSizeMicros = m.min_order_size;
  if (m.neg_risk !== undefined) out.negRisk = m.neg_risk;
  return out;
}

const tickChange = z.object({ asset_id: nonEmpty, market: optionalText, new_tick_size: micros, timestamp: integer });

/**
 * A `tick_size_change` frame → MarketUpdated with the new tick. Uses full metadata when given,
 * else what book frames told us (tokens then lists only this token: the registry merges by market).
 */
export function marketUpdateFor(
  frame: unknown,
  tsRecvMs: number,
  metas: Map<string, BookMeta>,
  marketInfo?: (tokenId: string) => MarketInfo | undefined,
): MarketUpdated | undefined {
  const f = parseWire(tickChange, frame, 'tick_size_change frame');
  const known = marketInfo?.(f.asset_id);
  const stamp = { type: 'market' as const, tsEvent: f.timestamp, tsRecv: tsRecvMs };
  const meta = metas.get(f.asset_id);
  if (meta) meta.tickMicros = f.new_tick_size;
  if (known) return { ...stamp, market: { ...known, tickMicros: f.new_tick_size } };
  const conditionId = f.market ?? meta?.conditionId;
  if (!meta || !conditionId || meta.minOrderSizeMicros === undefined || meta.negRisk === undefined) return undefined;
  return {
    ...stamp,
    market: {
      conditionId,
      tokens: [{ tokenId: f.asset_id, outcome: '' }],
      negRisk: meta.negRisk,
      tickMicros: f.new_tick_size,
      minOrderSizeMicros: meta.minOrderSizeMicros,
    },
  };
}
