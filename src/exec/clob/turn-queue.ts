/**
 * A few at a time, in arrival order. Signing is CPU work (an EIP-712 signature, then the order hash
 * checked against up to three exchange domains) and POST /order is a request the CLOB answers slower
 * when flooded: a burst of copies started all at once would wait behind each other, so under load every
 * one of them could pass its deadline together. Through a queue an order's deadline starts when its
 * own turn does, not while it waits.
 */
export class TurnQueue {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly limit: number,
    what: string,
  ) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`${what} concurrency must be a whole number ≥ 1, got ${limit}`);
  }

  /** Jobs waiting for a turn (not counting those running). */
  get queued(): number {
    return this.waiting.length;
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.running < this.limit) this.running++;
    // A finishing job hands its slot straight to the next waiter, so nobody can slip in between.
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}

/** Median and maximum of recent sign times, for the session's status and tests. */
export class SignTimes {
  private readonly recent: number[] = [];
  signed = 0;
  timeouts = 0;

  add(ms: number): void {
    this.signed++;
    this.recent.push(ms);
    if (this.recent.length > 500) this.recent.shift();
  }

  stats(): { signed: number; timeouts: number; medianMs: number; maxMs: number } {
    const sorted = [...this.recent].sort((a, b) => a - b);
    return {
      signed: this.signed,
      timeouts: this.timeouts,
      medianMs: sorted.length ? sorted[Math.floor(sorted.length / 2)]! : 0,
      maxMs: sorted.length ? sorted[sorted.length - 1]! : 0,
    };
  }
}
