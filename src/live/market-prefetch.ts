/**
 * Markets of the tokens a target holds, read before the target trades them: when the target is added
 * (its Data API /positions), and again whenever position sync reads its positions. For each token the
 * market gate loads its metadata and book (book kept live by the market WS from then on), and the
 * venue caches what signing needs (tick size, neg-risk flag, fee rate). A copy of the target's next
 * trade on that token then finds everything cached and goes straight from the frame to the signature;
 * a token nobody prefetched still works (the gate and the signer fetch it then), and is counted.
 * Cached venue facts are read again in the background (a tick size can change), never on a trade's path.
 */
import { describeError } from '../core/describe-error.ts';
import type { FeedLog } from '../feeds/feed.ts';

/** A held position as the Data API lists it (only what prefetching needs). */
export interface HeldToken {
  tokenId: string;
  conditionId?: string;
  oppositeTokenId?: string;
  /** A resolved market's position waits for redemption: nothing trades there any more. */
  redeemable?: boolean;
}

export interface MarketPrefetchOptions {
  /** Market metadata and book of a token (the market gate's preload). */
  loadMarket: (tokenId: string) => Promise<void>;
  /** What the venue needs to sign for the token, cached (live only). */
  warmVenue?: (tokenId: string, conditionId?: string) => Promise<void>;
  /** Reads the venue's cached market facts again (live only). */
  refreshVenue?: () => Promise<void>;
  /** Background refresh period; 0 = never. Default 5 minutes. */
  refreshMs?: number;
  /** Tokens loaded at once (each is a Gamma read, a book read and a CLOB read). Default 4. */
  concurrency?: number;
  log: FeedLog;
}

export class MarketPrefetch {
  private readonly seen = new Set<string>();
  private readonly queue: HeldToken[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private running = 0;
  private timer: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> | undefined;
  /** Tokens prefetched (done, whether or not every read succeeded) and failed reads. */
  readonly stats = { queued: 0, done: 0, failed: 0, refreshes: 0 };

  constructor(private readonly o: MarketPrefetchOptions) {}

  /** Queues the markets of `held` not seen yet (and their other outcome's book); returns at once. */
  add(held: Iterable<HeldToken>): void {
    for (const h of held) {
      if (h.redeemable) continue;
      this.enqueue(h);
      if (h.oppositeTokenId) this.enqueue({ tokenId: h.oppositeTokenId, conditionId: h.conditionId });
    }
    this.pump();
  }

  /** Resolves when everything queued so far has been prefetched. */
  async idle(): Promise<void> {
    while (this.queue.length > 0 || this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  /** Starts the background refresh of the venue's cached market facts. */
  start(): void {
    const every = this.o.refreshMs ?? 300_000;
    if (every <= 0 || !this.o.refreshVenue || this.timer) return;
    this.timer = setInterval(() => void this.refresh(), every);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One background refresh (never two at once). */
  refresh(): Promise<void> {
    if (!this.o.refreshVenue) return Promise.resolve();
    this.refreshing ??= this.o
      .refreshVenue()
      .then(() => void this.stats.refreshes++)
      .catch((err: unknown) => this.o.log('warn', `refreshing cached market facts failed (kept the old ones): ${describeError(err)}`))
      .finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private enqueue(h: HeldToken): void {
    if (this.seen.has(h.tokenId)) return;
    this.seen.add(h.tokenId);
    this.queue.push(h);
    this.stats.queued++;
  }

  private pump(): void {
    const limit = this.o.concurrency ?? 4;
    while (this.running < limit && this.queue.length > 0) {
      const h = this.queue.shift()!;
      this.running++;
      const p = this.prefetch(h).finally(() => {
        this.running--;
        this.inFlight.delete(p);
        this.pump();
      });
      this.inFlight.add(p);
    }
  }

  private async prefetch(h: HeldToken): Promise<void> {
    const results = await Promise.allSettled([this.o.loadMarket(h.tokenId), this.o.warmVenue?.(h.tokenId, h.conditionId)]);
    const failed = results.find((r) => r.status === 'rejected');
    this.stats.done++;
    if (failed) {
      this.stats.failed++;
      this.seen.delete(h.tokenId); // tried again when the target's positions are read next
      // Not fatal: the first trade on this token fetches what is missing (a counted cache miss).
      this.o.log('warn', `prefetching the market of token ${h.tokenId.slice(0, 12)}… failed: ${describeError(failed.reason)}`);
    }
  }
}
