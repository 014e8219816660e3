/**
 * The target trade an order or a decision answers, as far as its dedup key goes. The engine carries the
 * trade event itself, not its key: a recorded trade keeps its key in the DuckDB chunk until something
 * reads it (src/store/recorded-trade.ts), and a headless replay or a sweep never does — only the TUI,
 * the store, a report or live code, which read `causeKey` and get the same text as before.
 */
export interface TradeCause {
  /** The dedup key; on a recorded trade, a getter that decodes it on first read. */
  readonly key?: string;
  /** True when `key` is known to be present without reading it (a recorded trade whose recording has every key). */
  readonly hasKey?: boolean;
}

/** A cause as text (a key held on its own: a strategy's explicit `causeKey`, a copy found unsent after a restart) or as its trade. */
export type CauseRef = string | TradeCause | undefined;

export function keyOfCause(cause: CauseRef): string | undefined {
  return typeof cause === 'object' ? cause.key : cause;
}

/** Whether the cause names a key (a copy rather than a strategy's own order), without decoding one still in its chunk. */
export function causeNamesKey(cause: CauseRef): boolean {
  if (typeof cause !== 'object') return cause !== undefined && cause !== '';
  return cause.hasKey === true || (cause.key !== undefined && cause.key !== '');
}
