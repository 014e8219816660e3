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
 * Keys are `<content key>#<occurrence>`. They are kept split — one entry per content key holding the
 * occurrences seen (with the event time of each) and each source's count — so a fill costs one map
 * lookup of its content key, not separate lookups of the counter and of the full key.
 */
import type { TargetTradeSeen } from './events.ts';
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

/** What is known of one content key: occurrences seen (→ their tsEvent) and how many each source numbered. */
class Entry {
  /** tsEvent of occurrence 1, NaN when not seen. */
  ts1 = Number.NaN;
  /** Other occurrences. */
  more: Map<number, number> | undefined;
  /** The first source that counted this content key, and its count (most keys have one source). */
  source: string | undefined;
  counted = 0;
  /** Counts of further sources. */
  otherSources: Map<string, number> | undefined;

  tsOf(n: number): number | undefined {
    if (n === 1) return Number.isNaN(this.ts1) ? undefined : this.ts1;
    return this.more?.get(n);
  }

  /** Records occurrence n; false when it was already there. */
  set(n: number, ts: number): void {
    if (n === 1) this.ts1 = ts;
    else (this.more ??= new Map()).set(n, ts);
  }

  /** The next number for `source` (1, 2, …). */
  count(source: string): number {
    if (this.source === undefined || this.source === source) {
      this.source = source;
      return ++this.counted;
    }
    const others = (this.otherSources ??= new Map());
    const n = (others.get(source) ?? 0) + 1;
    others.set(source, n);
    return n;
  }

  /** Forgets occurrences older than `cutoff` (and the counts once occurrence 1 is gone); returns how many were dropped. */
  prune(cutoff: number): number {
    let dropped = 0;
    if (this.ts1 < cutoff) {
      this.ts1 = Number.NaN;
      dropped++;
    }
    if (this.more) for (const [n, ts] of this.more) if (ts < cutoff) (this.more.delete(n), dropped++);
    if (Number.isNaN(this.ts1)) {
      this.source = undefined;
      this.counted = 0;
      this.otherSources = undefined;
    }
    return dropped;
  }

  empty(): boolean {
    return Number.isNaN(this.ts1) && (this.more === undefined || this.more.size === 0) && this.source === undefined;
  }
}

/** `ck#n` → [ck, n] when n is a plain non-negative integer; undefined for any other key (kept whole). */
function splitKey(key: string): [string, number] | undefined {
  const at = key.lastIndexOf('#');
  if (at < 0) return undefined;
  const suffix = key.slice(at + 1);
  const n = Number(suffix);
  if (!Number.isSafeInteger(n) || n < 0 || String(n) !== suffix) return undefined;
  return [key.slice(0, at), n];
}

export class FillDedup {
  private entries = new Map<string, Entry>();
  /** Keys given whole that are not `<content key>#<n>` (kept as they are). */
  private whole = new Map<string, number>();
  private keys = 0;
  private readonly coverage = new TxCoverage();
  /** Keys to pass on whole when read again (see `reread`). */
  private readonly rereads = new Set<string>();
  /** Restored keys without a wallet (`legacyContentKey#n`), from a journal written before keys named it. */
  private readonly legacy = new Set<string>();
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
    const given = event.key;
    if (given !== undefined) {
      const split = splitKey(given);
      if (!split) return this.acceptWhole(event, given);
      return this.remember(event, this.entry(split[0]), split[0], split[1]);
    }
    const ck = contentKey(event.trade);
    const entry = this.entry(ck);
    const n = occurrence ?? entry.count(event.source);
    const known = entry.tsOf(n) !== undefined || (this.legacy.size > 0 && this.legacy.has(`${legacyContentKey(event.trade)}#${n}`));
    if (this.rereads.delete(`${ck}#${n}`)) {
      // Measured against its transaction when an earlier process accepted it: passed on whole again.
      this.coverage.note(event.source, `${ck}#${n}`, event.trade, event.tsEvent, true, event.orderTotal === true);
      return this.remember(event, entry, ck, n);
    }
    const seen = this.coverage.note(event.source, `${ck}#${n}`, event.trade, event.tsEvent, known, event.orderTotal === true);
    if (seen.kind === 'covered') {
      this.duplicates++;
      if (!known) this.covered++;
      return undefined;
    }
    if (seen.trade === event.trade) return this.remember(event, entry, ck, n);
    // Only the part no other source reported: its own identity, numbered past any identical one.
    const partCk = contentKey(seen.trade);
    const partEntry = this.entry(partCk);
    let m = 1;
    while (partEntry.tsOf(m) !== undefined) m++;
    return this.remember({ ...event, trade: seen.trade, partial: true }, partEntry, partCk, m);
  }

  private remember(event: TargetTradeSeen, entry: Entry, ck: string, n: number): TargetTradeSeen | undefined {
    if (entry.tsOf(n) !== undefined) {
      this.duplicates++;
      return undefined;
    }
    entry.set(n, event.tsEvent);
    this.keys++;
    this.noteTime(event.tsEvent);
    return event.key !== undefined ? event : { ...event, key: `${ck}#${n}` };
  }

  has(key: string): boolean {
    const split = splitKey(key);
    if (!split) return this.whole.has(key);
    return this.entries.get(split[0])?.tsOf(split[1]) !== undefined;
  }

  /**
   * Marks keys as already handled (restored from durable state after a restart). `aggregates` are the keys
   * that name no single reported fill (a chain total, or the rest of a report passed on as a part): see
   * `TxCoverage.restore`.
   */
  restore(keys: Iterable<[string, number]>, aggregates: ReadonlySet<string> = new Set()): void {
    for (const [key, ts] of keys) {
      this.coverage.restore(key, aggregates.has(key));
      // Numbered across wallets then: two wallets' identical fills were #1 and #2, and both now match #1 (errs toward not copying).
      if (isLegacyKey(key)) this.legacy.add(key);
      const split = splitKey(key);
      if (!split) {
        if (!this.whole.has(key)) this.keys++;
        this.whole.set(key, ts);
      } else {
        const entry = this.entry(split[0]);
        if (entry.tsOf(split[1]) === undefined) this.keys++;
        entry.set(split[1], ts);
      }
      if (ts > this.newestMs) this.newestMs = ts;
    }
  }

  /**
   * Keys of single reported fills that an earlier process accepted but never decided or never sent (the
   * restart reads them again): they count toward their transaction's coverage like restored keys, so the
   * transaction's other reports stay covered, and pass on whole under the same key when read again.
   */
  reread(keys: Iterable<string>): void {
    for (const key of keys) {
      // A legacy key never matches a fill read again (its new key names the wallet): left out, the fill is decided as new.
      if (splitKey(key) === undefined || this.has(key) || isLegacyKey(key)) continue;
      this.coverage.restore(key);
      this.rereads.add(key);
    }
  }

  size(): number {
    return this.keys;
  }

  private entry(ck: string): Entry {
    let entry = this.entries.get(ck);
    if (!entry) this.entries.set(ck, (entry = new Entry()));
    return entry;
  }

  private acceptWhole(event: TargetTradeSeen, key: string): TargetTradeSeen | undefined {
    if (this.whole.has(key)) {
      this.duplicates++;
      return undefined;
    }
    this.whole.set(key, event.tsEvent);
    this.keys++;
    this.noteTime(event.tsEvent);
    return event;
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
    for (const [key, ts] of this.whole) if (ts < cutoff) (this.whole.delete(key), this.keys--);
    this.coverage.prune(cutoff);
    for (const [ck, entry] of this.entries) {
      this.keys -= entry.prune(cutoff);
      if (entry.empty()) this.entries.delete(ck);
    }
  }
}
