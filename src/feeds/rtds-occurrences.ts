/**
 * Occurrence numbers for RTDS fills. Two genuine fills can be identical in content (one transaction
 * matching several equal maker orders), so each identical payload seen on a connection gets the next
 * number. A frame delivered twice — same top-level delivery `timestamp` and same payload — is one
 * fill, not two, and gets the number it had the first time. Reset on every new connection.
 */
import { contentKey } from '../core/dedup.ts';
import type { TargetTrade } from '../core/types.ts';

export class RtdsOccurrences {
  /** contentKey → delivery fingerprints in the order they were first seen (index + 1 = occurrence). */
  private seen = new Map<string, string[]>();

  constructor(private readonly maxKeys = 100_000) {}

  /** `deliveryTs` is the message's top-level timestamp, `payloadText` the payload as received. */
  occurrence(trade: TargetTrade, deliveryTs: unknown, payloadText: string): { occurrence: number; redelivered: boolean } {
    const ck = contentKey(trade);
    const fingerprint = `${String(deliveryTs)}|${payloadText}`;
    let list = this.seen.get(ck);
    if (!list) {
      if (this.seen.size >= this.maxKeys) this.seen.delete(this.seen.keys().next().value!);
      list = [];
      this.seen.set(ck, list);
    }
    const at = list.indexOf(fingerprint);
    if (at >= 0) return { occurrence: at + 1, redelivered: true };
    list.push(fingerprint);
    return { occurrence: list.length, redelivered: false };
  }

  reset(): void {
    this.seen.clear();
  }
}
