/**
 * One way to turn anything thrown (or handed to an `error` callback) into text a user can act on.
 * Node's fetch throws `TypeError: fetch failed` with the real reason in `cause`; WebSocket clients
 * hand over `ErrorEvent`s whose `String()` is `[object Object]`; AggregateErrors hide every attempt.
 * Each of those is unwrapped here, and the result is redacted (a secret never reaches a log line).
 */
import { redact } from './redact.ts';

const MAX_DEPTH = 4;

export function describeError(err: unknown): string {
  return redact(describe(err, 0) || 'unknown error');
}

function describe(err: unknown, depth: number): string {
  if (err === null || err === undefined) return String(err);
  if (typeof err === 'string') return err;
  if (typeof err !== 'object') return String(err);
  if (depth > MAX_DEPTH) return '…';
  const o = err as { message?: unknown; cause?: unknown; code?: unknown; error?: unknown; errors?: unknown; reason?: unknown };
  // An ErrorEvent (ws, undici, the browser API): the Error is inside.
  if (!(err instanceof Error) && o.error !== undefined && o.error !== err) {
    const inner = describe(o.error, depth + 1);
    if (inner) return inner;
  }
  let text = typeof o.message === 'string' ? o.message.trim() : '';
  if (err instanceof AggregateError || (Array.isArray(o.errors) && o.errors.length > 0)) {
    const parts = [...new Set((o.errors as unknown[]).map((e) => describe(e, depth + 1)).filter(Boolean))];
    if (parts.length > 0) text = text ? `${text} (${parts.join('; ')})` : parts.join('; ');
  }
  if (!text && typeof o.reason === 'string') text = o.reason;
  const code = typeof o.code === 'string' || typeof o.code === 'number' ? String(o.code) : '';
  if (!text && code) text = code;
  if (o.cause !== undefined && o.cause !== err) {
    const cause = describe(o.cause, depth + 1);
    if (cause && !text.includes(cause)) text = text ? `${text}: ${cause}` : cause;
  }
  if (text) return text;
  if (err instanceof Error) return err.name;
  return plainObject(err);
}

function plainObject(value: object): string {
  try {
    const json = JSON.stringify(value);
    if (json && json !== '{}') return json.length > 200 ? json.slice(0, 197) + '...' : json;
  } catch {
    // circular: fall through to the constructor's name
  }
  const name = (value as { constructor?: { name?: string } }).constructor?.name;
  return name && name !== 'Object' ? name : 'an error without a message';
}
