/**
 * One event per target fill, whatever the number of sources. A fill's identity is its content
 * (transactionHash, the target's wallet, asset, side, size, price) plus its occurrence number among
 * identical rows of the same source: one transaction can carry several byte-identical genuine fills, so
 * the hash alone is not unique, and two followed wallets can each trade the same amounts in one
 * transaction (two makers filled by one taker), which are two fills to copy, not one. Sources that see whole pages (the Data API poller, an import) number identical rows
 * themselves and pass `occurrence`; a streaming source without it is numbered here by counting.
 *
 * Live sources also report one transaction in different granularities (the chain totals a taker's match,
 * the Data API and RTDS list it per maker fill): `TxCoverage` passes on only what no source reported
 * before, so a multi-level taker fill is copied once whichever source is first.
 *
 * Keys are `<content key>#<occurrence>`, kept whole in one map (key → event time): an event that carries
 * its key (every replay and sweep) costs a lookup of that string (and an insert when new) and no object,
 * and a fill numbered here builds its key once. Only a source that gives no number keeps a counter per content key. Keys leave
 * through a heap ordered by event time, so pruning touches only the keys it forgets.
 *
 * A recording's stream also numbers its keys (`keyCode`: equal codes exactly when the keys are equal). While
 * every fill seen carries one, keys are kept by code in a flat array (code → event time) instead of by string:
 * no hashing of a long key and no heap. A key kept there is forgotten at the same prune as in the map: every
 * prune forgets all keys older than its cutoff, so a kept code is still remembered exactly when its time is
 * at or past the last prune's cutoff.
 */
import type { TargetTradeSeen } from './events.ts';
import { TimeHeap } from './time-heap.ts';
import { isLegacyKey, TxCoverage } from './tx-coverage.ts';
import type { TargetTrade } from './types.ts';

/** `tx:wallet:token:side:size:price`, hash and wallet in lower case. */
export function contentKey(trade: TargetTrade): string {
  return `${trade.txHash.toLowerCase()}:${trade.wallet.toLowerCase()}:${trade.tokenId}:${trade.side}:${trade.sizeMicros}:${trade.priceMicros}`;
}

/**
 * The content key without the wallet, as keys were written before they named it (`tx:token:side:size:price`):
 * a journal from that version restores keys of this shape, and a fill they name must not be copied again.
 */
export function legacyContentKey(trade: TargetTrade): string {
  return `${trade.txHash.toLowerCase()}:${trade.tokenId}:${trade.side}:${trade.sizeMicros}:${trade.priceMicros}`;
}

/**
 * `key` in today's shape for a fill of `wallet`: a key written before keys named the wallet (`tx:token:side:
 * size:price#n`, also with a `no-tx:<ms>` hash) gets the wallet inserted before its token; a key that names
 * it already, or of any other shape, is returned as it is.
 */
export function withWallet(key: string, wallet: string): string {
  const at = key.lastIndexOf('#');
  if (at < 0) return key;
  const parts = key.slice(0, at).split(':');
  const w = wallet.toLowerCase();
  if (parts.length < 5 || parts.at(-5) === w || !/^(BUY|SELL)$/.test(parts.at(-3)!)) return key;
  parts.splice(parts.length - 4, 0, w);
  return `${parts.join(':')}${key.slice(at)}`;
}

/** The key dedup gave this event names a sum of fills (a chain total or a part), not one reported fill. */
export function namesAggregate(event: TargetTradeSeen): boolean {
  return event.orderTotal === true || event.partial === true;
}

export function fillKey(trade: TargetTrade, occurrence: number): string {
  return `${contentKey(trade)}#${occurrence}`;
}

export interface DedupOptions {
  /** How long a key is remembered, in event time. Keys older than newest − windowMs are forgotten. */
  windowMs: number;
}

export class FillDedup {
  /** Every key kept (`<content key>#<n>` or a key given in another shape), with its tsEvent. */
  private readonly seen = new Map<string, number>();
  /** The same keys by tsEvent, oldest first, for pruning (may hold stale pairs: see `forget`). */
  private readonly byTime = new TimeHeap();
  /** Per source, per content key: how many identical fills it reported without numbering them. */
  private readonly counters = new Map<string, Map<string, number>>();
  /** Content keys whose counter started since the last prune: dropped then unless their `#1` is kept. */
  private freshCounters: string[] = [];
  private readonly coverage = new TxCoverage();
  /** Keys to pass on whole when read again (see `reread`). */
  private readonly rereads = new Set<string>();
  /** Restored keys without a wallet (`legacyContentKey#n`), from a journal written before keys named it. */
  private readonly legacy = new Set<string>();
  /** Keys kept by their stream's code (see `keyCode`): pages of code → tsEvent, NaN where none is kept. */
  private readonly codes = new CodeTimes();
  /** Keys kept by code are remembered while their time is at or past this (the last prune's cutoff). */
  private codeCutoff = -Infinity;
  private newestMs = 0;
  private lastPruneMs = 0;
  duplicates = 0;
  /** Of the duplicates: fills another source had already reported as part of the same transaction. */
  covered = 0;
  /** Events older than the window: their twin may already be forgotten, so they are dropped, not copied. */
  stale = 0;

  constructor(private readonly options: DedupOptions = { windowMs: 6 * 3600_000 }) {}

  /**
   * Returns the event with its `key` set if it is new, or undefined for a duplicate.
   * An event that already carries `key` (from a recording) is checked as is.
   */
  accept(event: TargetTradeSeen, occurrence?: number): TargetTradeSeen | undefined {
    if (event.tsEvent < this.newestMs - this.options.windowMs) {
      this.stale++;
      return undefined;
    }
    // The code first: a recording's trade decodes its key only when read (src/store/recorded-trade.ts).
    if (event.keyCode !== undefined && this.byCode()) return this.rememberCode(event, event.keyCode);
    if (event.key !== undefined) {
      if (event.keyCode === undefined) this.noCodes('a fill whose key has no code');
      return this.remember(event, event.key);
    }
    this.noCodes('a fill without a recorded key');
    const ck = contentKey(event.trade);
    const n = occurrence ?? this.count(event.source, ck);
    const key = `${ck}#${n}`;
    const known = this.seen.has(key) || (this.legacy.size > 0 && this.legacy.has(`${legacyContentKey(event.trade)}#${n}`));
    if (this.rereads.size > 0 && this.rereads.delete(key)) {
      // Measured against its transaction when an earlier process accepted it: passed on whole again.
      this.coverage.note(event.source, key, event.trade, event.tsEvent, true, event.orderTotal === true);
      return this.remember(event, key);
    }
    const seen = this.coverage.note(event.source, key, event.trade, event.tsEvent, known, event.orderTotal === true);
    if (seen.kind === 'covered') {
      this.duplicates++;
      if (!known) this.covered++;
      return undefined;
    }
    if (seen.trade === event.trade) return this.remember(event, key);
    // Only the part no other source reported: its own identity, numbered past any identical one.
    const partCk = contentKey(seen.trade);
    let m = 1;
    while (this.seen.has(`${partCk}#${m}`)) m++;
    return this.remember({ ...event, trade: seen.trade, partial: true }, `${partCk}#${m}`);
  }

  /**
   * Codes stand for keys only while no key is kept as a string (restored, read again, or of a fill that came
   * without a code): a string and a code of the same key could not be told equal.
   */
  private byCode(): boolean {
    return this.seen.size === 0 && this.rereads.size === 0 && this.legacy.size === 0;
  }

  /** Fails loudly where a key would have to be compared with keys kept only by code. */
  private noCodes(what: string): void {
    if (this.codes.used)
      throw new Error(
        `FillDedup: ${what} after fills kept by recorded key code; feed one dedup either coded fills only (a recording's stream) or none`,
      );
  }

  private rememberCode(event: TargetTradeSeen, code: number): TargetTradeSeen | undefined {
    if (this.codes.get(code) >= this.codeCutoff) {
      this.duplicates++;
      return undefined;
    }
    this.codes.set(code, event.tsEvent);
    this.noteTime(event.tsEvent);
    return event;
  }

  private remember(event: TargetTradeSeen, key: string): TargetTradeSeen | undefined {
    if (this.seen.has(key)) {
      this.duplicates++;
      return undefined;
    }
    this.keep(key, event.tsEvent);
    this.noteTime(event.tsEvent);
    return event.key === key ? event : { ...event, key };
  }

  private keep(key: string, ts: number): void {
    this.seen.set(key, ts);
    this.byTime.push(key, ts);
  }

  /** The next number for `source` among identical fills of content key `ck` (1, 2, …). */
  private count(source: string, ck: string): number {
    let perSource = this.counters.get(source);
    if (!perSource) this.counters.set(source, (perSource = new Map()));
    const n = (perSource.get(ck) ?? 0) + 1;
    perSource.set(ck, n);
    if (n === 1) this.freshCounters.push(ck);
    return n;
  }

  /** Whether `key` is kept as a string (keys kept by code are not seen here). */
  has(key: string): boolean {
    return this.seen.has(key);
  }

  /**
   * Marks keys as already handled (restored from durable state after a restart). `aggregates` are the keys
   * that name no single reported fill (a chain total, or the rest of a report passed on as a part): see
   * `TxCoverage.restore`.
   */
  restore(keys: Iterable<[string, number]>, aggregates: ReadonlySet<string> = new Set()): void {
    this.noCodes('restoring keys');
    for (const [key, ts] of keys) {
      this.coverage.restore(key, aggregates.has(key));
      // Numbered across wallets then: two wallets' identical fills were #1 and #2, and both now match #1 (errs toward not copying).
      if (isLegacyKey(key)) this.legacy.add(key);
      this.keep(key, ts);
      if (ts > this.newestMs) this.newestMs = ts;
    }
  }

  /**
   * Keys of single reported fills that an earlier process accepted but never decided or never sent (the
   * restart reads them again): they count toward their transaction's coverage like restored keys, so the
   * transaction's other reports stay covered, and pass on whole under the same key when read again.
   */
  reread(keys: Iterable<string>): void {
    this.noCodes('reading keys again');
    for (const key of keys) {
      // A legacy key never matches a fill read again (its new key names the wallet): left out, the fill is decided as new.
      if (!isOccurrenceKey(key) || this.has(key) || isLegacyKey(key)) continue;
      this.coverage.restore(key);
      this.rereads.add(key);
    }
  }

  /** Keys kept as strings (keys kept by code are not counted). */
  size(): number {
    return this.seen.size;
  }

  private noteTime(tsEvent: number): void {
    if (tsEvent > this.newestMs) {
      this.newestMs = tsEvent;
      // Forget old keys a few times per window: often enough to bound memory, rarely enough to be cheap.
      if (this.newestMs - this.lastPruneMs > this.options.windowMs / 4) this.prune();
    }
  }

  private prune(): void {
    this.lastPruneMs = this.newestMs;
    const cutoff = this.newestMs - this.options.windowMs;
    this.codeCutoff = cutoff;
    this.byTime.drainOlderThan(cutoff, this.forget);
    this.coverage.prune(cutoff);
    // A counter lives while occurrence 1 of its content key is kept (numbering restarts once it is forgotten).
    for (const ck of this.freshCounters) if (!this.seen.has(`${ck}#1`)) this.dropCounters(ck);
    this.freshCounters = [];
  }

  /** A pair the heap gives up: the key goes unless it was kept again since under another time. */
  private readonly forget = (key: string, ts: number): void => {
    if (this.seen.get(key) !== ts) return;
    this.seen.delete(key);
    if (this.counters.size > 0 && key.endsWith('#1')) this.dropCounters(key.slice(0, -2));
  };

  private dropCounters(ck: string): void {
    for (const perSource of this.counters.values()) perSource.delete(ck);
  }
}

/** `ck#n` with n a plain non-negative integer (the shape of a numbered fill's key). */
function isOccurrenceKey(key: string): boolean {
  const at = key.lastIndexOf('#');
  if (at < 0) return false;
  const suffix = key.slice(at + 1);
  const n = Number(suffix);
  return Number.isSafeInteger(n) && n >= 0 && String(n) === suffix;
}

const PAGE_BITS = 16;
const PAGE = 1 << PAGE_BITS;

/**
 * code → time for non-negative integer codes, in pages of 65,536 allocated when first written (8 bytes per
 * code in a touched page; a recording's codes are its row numbers, so pages fill densely). NaN: none.
 */
class CodeTimes {
  private readonly pages: Float64Array[] = [];
  used = false;

  get(code: number): number {
    const page = this.pages[code >>> PAGE_BITS];
    return page === undefined ? NaN : page[code & (PAGE - 1)]!;
  }

  set(code: number, time: number): void {
    if (!Number.isSafeInteger(code) || code < 0 || code >= 2 ** 32)
      throw new Error(`FillDedup: key code ${code} is not an integer in [0, 2^32)`);
    const at = code >>> PAGE_BITS;
    let page = this.pages[at];
    if (page === undefined) this.pages[at] = page = new Float64Array(PAGE).fill(NaN);
    page[code & (PAGE - 1)] = time;
    this.used = true;
  }
}
