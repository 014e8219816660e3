/** What makes an action unusable: the engine pauses a strategy that returns one instead of trading on it. */
import { MICROS } from '../core/money.ts';
import { isStrategyReasonCode } from '../core/reason-codes.ts';
import type { StrategyAction } from './api.ts';

const isMicros = (v: unknown): boolean => typeof v === 'number' && Number.isSafeInteger(v);

function reasonProblem(kind: 'skip' | 'cancel', reason: unknown): string | undefined {
  if (typeof reason !== 'string' || reason === '') return `${kind} without a reason code`;
  if (isStrategyReasonCode(reason)) return undefined;
  return `${kind} reason ${JSON.stringify(reason)} is not a code of docs/reasons.md; a strategy's own code is written "custom:${reason}"`;
}

/** Why an action cannot be used (float sizes, prices outside (0, 1), missing fields), or undefined. */
export function actionProblem(action: unknown): string | undefined {
  const a = action as Partial<StrategyAction> | null;
  if (!a || typeof a !== 'object') return `expected an action object, got ${String(action)}`;
  if (a.kind === 'skip') return reasonProblem('skip', a.reason);
  if (a.kind === 'cancel') return typeof a.clientOrderId === 'string' ? reasonProblem('cancel', a.reason) : 'cancel without clientOrderId';
  if (a.kind !== 'order') return `unknown action kind ${JSON.stringify((a as { kind?: unknown }).kind)}`;
  const i = a.intent;
  if (!i || typeof i.tokenId !== 'string' || i.tokenId === '') return 'order without tokenId';
  if (i.side !== 'BUY' && i.side !== 'SELL') return `order side must be BUY or SELL, got ${JSON.stringify(i.side)}`;
  const type = i.type;
  if (type !== 'FOK' && type !== 'FAK' && type !== 'GTC' && type !== 'GTD')
    return `order type must be FOK, FAK, GTC or GTD, got ${JSON.stringify(type)}`;
  if (!isMicros(i.limitPriceMicros) || i.limitPriceMicros <= 0 || i.limitPriceMicros >= MICROS) {
    return `limitPriceMicros must be an integer in (0, 1000000), got ${i.limitPriceMicros}`;
  }
  if (i.causeKey !== undefined && typeof i.causeKey !== 'string')
    return `causeKey must be the trade's key as text, got ${typeof i.causeKey}`;
  if (i.cause !== undefined && (i.cause === null || typeof i.cause !== 'object'))
    return 'cause must be the target trade event the order copies';
  const hasSize = i.sizeMicros !== undefined;
  const hasAmount = i.amountMicros !== undefined;
  if (!hasSize && !hasAmount) return 'order needs sizeMicros (shares) or amountMicros (USDC)';
  return quantityProblem('sizeMicros', i.sizeMicros) ?? quantityProblem('amountMicros', i.amountMicros);
}

function quantityProblem(name: string, v: number | undefined): string | undefined {
  if (v !== undefined && (!isMicros(v) || v <= 0)) return `${name} must be a positive integer of micro-units, got ${v}`;
  return undefined;
}
