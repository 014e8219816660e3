/**
 * A sliding-window request budget: at most `requests` starts in any `perMs`. Polymarket's limits are
 * Cloudflare sliding windows that delay or reject the excess (the Data API about 200 per 10 s), so a
 * poller of hundreds of wallets spreads its requests under the limit instead of bursting into it.
 */
export interface RequestBudgetOptions {
  requests: number;
  perMs: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Told of every start, with the time the budget counted it (its own clock): stats and audits. */
  onStart?: (atMs: number) => void;
}

export class RequestBudget {
  private readonly starts: number[] = [];
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private chain: Promise<void> = Promise.resolve();
  /** Total time callers spent waiting for the budget. */
  waitedMs = 0;

  constructor(private readonly o: RequestBudgetOptions) {
    if (!(o.requests >= 1) || !(o.perMs > 0)) throw new Error('request budget: requests ≥ 1 per a positive window');
    this.now = o.now ?? Date.now;
    this.sleep = o.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  /** Resolves when one more request may start (callers are served in order). */
  take(): Promise<void> {
    const turn = this.chain.then(() => this.acquire());
    this.chain = turn.catch(() => {});
    return turn;
  }

  private async acquire(): Promise<void> {
    for (;;) {
      const t = this.now();
      while (this.starts.length > 0 && this.starts[0]! <= t - this.o.perMs) this.starts.shift();
      if (this.starts.length < this.o.requests) {
        this.starts.push(t);
        this.o.onStart?.(t);
        return;
      }
      const waitMs = this.starts[0]! + this.o.perMs - t;
      this.waitedMs += waitMs;
      await this.sleep(waitMs);
    }
  }
}
