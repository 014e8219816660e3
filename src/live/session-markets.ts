/**
 * Market metadata in front of the engine for live and paper. A target trade on a token we know
 * nothing about is held back until its market (tick, neg-risk, min size, fee) is read from Gamma and
 * its book is loaded, so the first copy on a new market is shaped and priced right. Everything that
 * arrives meanwhile queues behind it (target trades keep their arrival order; market data passes).
 * Tokens a target holds are loaded ahead (market-prefetch.ts), so on those the wait never happens;
 * `stats` counts the trades that did wait.
 */
import type { EngineEvent } from '../core/events.ts';
import type { MarketRegistry } from '../core/market-registry.ts';
import { fromMicros } from '../core/money.ts';
import type { MarketInfo } from '../core/types.ts';
import { describeError } from '../core/describe-error.ts';
import { getJson } from '../feeds/http-json.ts';
import type { FeedLog } from '../feeds/feed.ts';
import { DEFAULT_MIN_ORDER_SIZE_MICROS, DEFAULT_TICK_MICROS } from '../polymarket/market-defaults.ts';
import { parseGammaMarket } from '../polymarket/wire/gamma.ts';

export interface MarketGateOptions {
  gammaUrl: string;
  markets: MarketRegistry;
  emit: (event: EngineEvent) => void;
  /** Called for each newly seen token (subscribe its book); awaited before the trade is released. */
  onNewToken?: (tokenId: string) => Promise<void>;
  now: () => number;
  log: FeedLog;
  /** Give up waiting for metadata after this long and let the engine infer the market. Default 3 s. */
  timeoutMs?: number;
}

export class MarketGate {
  private readonly queue: EngineEvent[] = [];
  private readonly loading = new Map<string, Promise<void>>();
  private readonly known = new Set<string>();
  private draining = false;
  /**
   * Target trades that reached the engine at once vs. were held back (their token's market not loaded
   * yet, or queued behind one that was), and how long the held ones waited. A prefetched token's
   * trades pass; a held one is the cache miss on a trade's path.
   */
  readonly stats = { passed: 0, held: 0, heldMsMax: 0, heldMsTotal: 0 };

  constructor(private readonly options: MarketGateOptions) {}

  push(event: EngineEvent): void {
    // Market data never waits: books are state, and the book a held trade waits for arrives this way.
    if (event.type !== 'target_trade' || (this.queue.length === 0 && !this.needsLoad(event))) {
      if (event.type === 'target_trade') this.stats.passed++;
      this.options.emit(event);
      return;
    }
    this.stats.held++;
    this.queue.push(event);
    if (this.needsLoad(event)) void this.load(event.trade.tokenId);
    void this.drain();
  }

  /** Loads metadata (and books) for tokens up front, e.g. positions we already hold. */
  async preload(tokenIds: Iterable<string>): Promise<void> {
    await Promise.all([...tokenIds].map((t) => this.load(t)));
  }

  /** Resolves when nothing is held back. */
  async idle(): Promise<void> {
    while (this.queue.length > 0) await Promise.all([...this.loading.values()]).then(() => this.drain());
  }

  /**
   * Every token's first trade waits for its book, even when its market is already known: the other
   * outcome's trade brought the market in, but only subscribed that outcome's book (paper fills
   * against the books, so a NO copy would otherwise find none).
   */
  private needsLoad(event: EngineEvent): boolean {
    return event.type === 'target_trade' && !this.known.has(event.trade.tokenId);
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.queue.length > 0) {
        const head = this.queue[0]!;
        if (head.type === 'target_trade' && this.needsLoad(head)) await this.load(head.trade.tokenId);
        this.queue.shift();
        // A held trade reaches the engine now, after the book data that passed it: stamp it received
        // now, so the recording orders it where the engine saw it and a replay meets the same book.
        const now = this.options.now();
        if (head.type === 'target_trade') {
          this.stats.heldMsMax = Math.max(this.stats.heldMsMax, now - head.tsRecv);
          this.stats.heldMsTotal += Math.max(0, now - head.tsRecv);
        }
        this.options.emit(head.tsRecv < now ? { ...head, tsRecv: now } : head);
      }
    } finally {
      this.draining = false;
    }
  }

  private load(tokenId: string): Promise<void> {
    let p = this.loading.get(tokenId);
    if (p) return p;
    const timeout = this.options.timeoutMs ?? 3000;
    p = Promise.race([this.fetch(tokenId), new Promise<void>((r) => setTimeout(r, timeout).unref())]).finally(() => {
      this.known.add(tokenId);
      this.loading.delete(tokenId);
    });
    this.loading.set(tokenId, p);
    return p;
  }

  private async fetch(tokenId: string): Promise<void> {
    const [market] = await Promise.all([
      (this.options.markets.byTokenId(tokenId) ? Promise.resolve(undefined) : this.fetchMarket(tokenId)).catch((err: unknown) => {
        this.options.log(
          'warn',
          `market of token ${tokenId.slice(0, 12)}… not read from Gamma (${describeError(err)}); tick ${fromMicros(DEFAULT_TICK_MICROS)} and min size ${fromMicros(DEFAULT_MIN_ORDER_SIZE_MICROS)} are assumed`,
        );
        return undefined;
      }),
      this.options
        .onNewToken?.(tokenId)
        .catch((err: unknown) => this.options.log('warn', `book of token ${tokenId.slice(0, 12)}… not loaded: ${describeError(err)}`)),
    ]);
    if (market && !this.options.markets.byTokenId(tokenId)) {
      const now = this.options.now();
      this.options.emit({ type: 'market', market, tsEvent: now, tsRecv: now });
    }
  }

  private async fetchMarket(tokenId: string): Promise<MarketInfo | undefined> {
    const body = await getJson(`${this.options.gammaUrl.replace(/\/$/, '')}/markets?clob_token_ids=${tokenId}`, {
      attempts: 2,
      timeoutMs: 2500,
    });
    const list = Array.isArray(body) ? body : [];
    for (const row of list) {
      const { market } = parseGammaMarket(row);
      if (market.tokens.some((t) => t.tokenId === tokenId)) return market;
    }
    return undefined;
  }
}
