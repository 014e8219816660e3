/**
 * One event per target fill, whatever the number of sources. A fill's identity is its content
 * (transactionHash, asset, side, size, price) plus its occurrence number among identical rows of the
 * same source: one transaction can carry several byte-identical genuine fills, so the hash alone is
 * not unique. Sources that see whole pages (the Data API poller, an import) number identical rows
 * themselves and pass `occurrence`; a streaming source without it is numbered here by counting.
 *
 * Live sources also report one transaction in different granularities (the chain totals a taker's match,
 * the Data API and RTDS list it per maker fill): `TxCoverage` passes on only what no source reported
 * before, so a multi-level taker fill is copied once whichever source is first.
 */
import type { TargetTradeSeen } from './events.ts';
import { TxCoverage } from './tx-coverage.ts';
import type { TargetTrade } from './types.ts';

export function contentKey(trade: TargetTrade): string {
  return `${trade.txHash.toLowerCase()}:${trade.tokenId}:${trade.side}:${trade.sizeMicros}:${trade.priceMicros}`;
}

export function fillKey(trade: TargetTrade, occurrence: number): string {
  return `${contentKey(trade)}#${occurrence}`;
}

export interface DedupOptions {
  /** How long a key is remembered, in event time. Keys older than newest − windowMs are forgotten. */
  windowMs: number;
}

export class FillDedup {
  private seen = new Map<string, number>(); // key → tsEvent
  private counters = new Map<string, Map<string, number>>(); // source → contentKey → count
  private readonly coverage = new TxCoverage();
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
    if (event.key !== undefined) return this.remember(event, event.key);
    const ck = contentKey(event.trade);
    let key = `${ck}#${occurrence ?? this.count(event.source, ck)}`;
    const seen = this.coverage.note(event.source, key, event.trade, event.tsEvent, this.seen.has(key), event.orderTotal === true);
    if (seen.kind === 'covered') {
      this.duplicates++;
      if (!this.seen.has(key)) this.covered++;
      return undefined;
    }
    if (seen.trade === event.trade) return this.remember(event, key);
    // Only the part no other source reported: its own identity, numbered past any identical one.
    const partCk = contentKey(seen.trade);
    let n = 1;
    while (this.seen.has(`${partCk}#${n}`)) n++;
    key = `${partCk}#${n}`;
    return this.remember({ ...event, trade: seen.trade }, key);
  }

  private remember(event: TargetTradeSeen, key: string): TargetTradeSeen | undefined {
    if (this.seen.has(key)) {
      this.duplicates++;
      return undefined;
    }
    this.seen.set(key, event.tsEvent);
    if (event.tsEvent > this.newestMs) {
      this.newestMs = event.tsEvent;
      // Forget old keys a few times per window: often enough to bound memory, rarely enough to be cheap.
      if (this.newestMs - this.lastPruneMs > this.options.windowMs / 4) this.prune();
    }
    return event.key === key ? event : { ...event, key };
  }

  has(key: string): boolean {
    return this.seen.has(key);
  }

  /** Marks keys as already handled (restored from durable state after a restart). */
  restore(keys: Iterable<[string, number]>): void {
    for (const [key, ts] of keys) {
      this.seen.set(key, ts);
      this.coverage.restore(key);
      if (ts > this.newestMs) this.newestMs = ts;
    }
  }

  size(): number {
    return this.seen.size;
  }

  private count(source: string, ck: string): number {
    let perSource = this.counters.get(source);
    if (!perSource) {
      perSource = new Map();
      this.counters.set(source, perSource);
    }
    const n = (perSource.get(ck) ?? 0) + 1;
    perSource.set(ck, n);
    return n;
  }

  private prune(): void {
    this.lastPruneMs = this.newestMs;
    const cutoff = this.newestMs - this.options.windowMs;
    for (const [key, ts] of this.seen) if (ts < cutoff) this.seen.delete(key);
    this.coverage.prune(cutoff);
    for (const perSource of this.counters.values()) {
      for (const ck of perSource.keys()) if (!this.seen.has(`${ck}#1`)) perSource.delete(ck);
    }
  }
}
