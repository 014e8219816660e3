/**
 * Skips that a user would ask about ("why didn't it buy?") without one per book tick: a reason is
 * reported when it starts blocking, again only after it cleared or another reason took its place.
 */
import type { Skip } from '../../src/strategy/api.ts';

export type SkipDetails = NonNullable<Skip['details']>;

export class SkipLatch {
  private last: string | undefined;
  private readonly lastMs = new Map<string, number>();

  /** `quietMs`: a reason is not repeated within this long even when it cleared in between (flickering books). */
  constructor(private readonly quietMs = 0) {}

  /** A skip the first time `reason` blocks in a row of blocked evaluations; undefined while it repeats. */
  report(reason: string, message: string, details: SkipDetails = {}, nowMs?: number): Skip | undefined {
    if (this.last === reason) return undefined;
    this.last = reason;
    if (nowMs !== undefined) {
      const before = this.lastMs.get(reason);
      if (before !== undefined && nowMs - before < this.quietMs) return undefined;
      this.lastMs.set(reason, nowMs);
    }
    return { kind: 'skip', reason, message, details };
  }

  /** Nothing is blocked any more: the next block is news again. */
  clear(): void {
    this.last = undefined;
  }
}
