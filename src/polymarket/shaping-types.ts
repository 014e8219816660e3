/** The contract between the engine and the exchange-rules module (order-rules.ts). */
import type { ReasonCode } from '../core/reason-codes.ts';
import type { Order } from '../core/types.ts';

/** An order that satisfies every exchange rule; the engine adds ids, salt and time. */
export type ShapedOrder = Pick<
  Order,
  'tokenId' | 'side' | 'type' | 'priceMicros' | 'sizeMicros' | 'amountMicros' | 'postOnly' | 'expiresAtMs'
>;

export type ShapeResult =
  | { ok: true; order: ShapedOrder; /** What rounding did, for the decision's details. */ adjustments: string[] }
  | { ok: false; reason: ReasonCode; message: string; details: Record<string, number | string | boolean | null> };
