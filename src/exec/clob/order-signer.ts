/**
 * Signing orders for the live venue. A burst of copies used to start signing all at once: each looked
 * up its token's tick size / neg-risk flag / fees (the SDK caches them, but only after the first
 * answer lands, so N orders made N look-ups) and then signed on the one thread, behind all the others,
 * so under load the whole burst could pass the signing deadline together and be refused. Here each
 * token's market is read once (shared), signing runs a few at a time with the deadline counted from an
 * order's own turn, and an attempt that times out or fails to look something up is tried again
 * (nothing is sent while signing). An order that still runs out of time is refused `sign_timeout`.
 * Markets can be warmed ahead (a target's held tokens, see live/market-prefetch.ts): an order on a
 * warmed token signs without waiting for anything; one on a cold token waits for the look-up, counted
 * as a market-info miss.
 */
import type { ClobClient } from '@polymarket/clob-client-v2';
import { VenueError } from '../../core/errors.ts';
import { withTimeout } from '../../core/timeout.ts';
import type { Order } from '../../core/types.ts';
import { classifyError } from './clob-errors.ts';
import { prepareSigning, signOrder, type SignOutcome } from './order-signing.ts';
import { SignTimes, TurnQueue } from './turn-queue.ts';

export interface OrderSignerOptions {
  /** Orders signed at once. */
  concurrency: number;
  /** Attempts after a failed one (timeout or failed look-up). */
  retries: number;
  /** Deadline of one signing attempt, from its turn. */
  timeoutMs: number;
  /** Deadline of the market look-up. */
  lookupTimeoutMs: number;
  backoffMs: number;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  report: (error: VenueError, clientOrderId: string) => void;
}

/** Signing ran out of time on every attempt: nothing was signed in time, nothing was sent. */
export class SignTimeout extends Error {}

export class OrderSigner {
  private readonly queue: TurnQueue;
  /** How long signing took (from an order's turn), and how often it ran out of time. */
  readonly times = new SignTimes();
  /** Per token: its tick size, neg-risk flag and fees fetched once, however many orders sign at once. */
  private readonly marketInfo = new Map<string, Promise<void>>();
  /** Tokens whose market facts are in the SDK's caches (warm look-up finished), with their condition id if known. */
  private readonly warmed = new Map<string, string | undefined>();
  /** Orders that found their market warm vs. had to wait for its look-up. */
  readonly marketInfoStats = { hits: 0, misses: 0 };
  /** The signing step itself (tests slow it down to starve the deadline). */
  signStep: (client: ClobClient, order: Order) => Promise<SignOutcome> = signOrder;

  constructor(
    private readonly client: ClobClient,
    private readonly o: OrderSignerOptions,
  ) {
    this.queue = new TurnQueue(o.concurrency, 'sign');
    prepareSigning(client);
  }

  /**
   * The SDK caches a token's tick size, neg-risk flag and fees, but a burst of orders on a new token
   * would each fetch them before the first answer lands: one fetch per token (and one of the CLOB's
   * version), shared, before signing.
   */
  warm(tokenId: string, conditionId?: string): Promise<void> {
    let p = this.marketInfo.get(tokenId);
    if (!p) {
      const cid = conditionId || undefined;
      p = this.lookUp(tokenId, cid).then(() => void this.warmed.set(tokenId, cid));
      this.marketInfo.set(tokenId, p);
      p.catch(() => this.marketInfo.delete(tokenId));
    }
    return p;
  }

  private lookUp(tokenId: string, conditionId: string | undefined): Promise<void> {
    const client = this.client as unknown as { resolveVersion(): Promise<number> };
    return Promise.all([
      client.resolveVersion(),
      conditionId
        ? this.client.getClobMarketInfo(conditionId)
        : Promise.all([this.client.getTickSize(tokenId), this.client.getNegRisk(tokenId)]),
    ]).then(() => undefined);
  }

  /**
   * Reads every warmed market's facts again (a tick size may have changed), overwriting the SDK's
   * caches in place: signing keeps using the old facts until the new ones land, never an empty cache.
   */
  async refresh(): Promise<void> {
    // Tokens warmed without a condition id (rare: engine orders carry one) keep what they have.
    const conditions = new Set([...this.warmed.values()].filter((c): c is string => c !== undefined));
    const results = await Promise.allSettled([...conditions].map((cid) => this.client.getClobMarketInfo(cid)));
    const failed = results.filter((r) => r.status === 'rejected').length;
    if (failed > 0) throw new Error(`${failed} of ${results.length} market look-ups failed`);
  }

  async sign(order: Order): Promise<SignOutcome> {
    const limitMs = this.o.timeoutMs;
    if (this.warmed.has(order.tokenId)) this.marketInfoStats.hits++;
    else {
      this.marketInfoStats.misses++;
      // Best effort: if the shared look-up fails, the SDK looks the market up itself while signing.
      await withTimeout(
        this.warm(order.tokenId, order.conditionId),
        this.o.lookupTimeoutMs,
        `reading the market of token ${order.tokenId}`,
      ).catch(() => undefined);
    }
    const once = () =>
      this.queue.run(async () => {
        const started = this.o.now();
        const r = await withTimeout(this.signStep(this.client, order), limitMs, 'signing an order');
        this.times.add(this.o.now() - started);
        return r;
      });
    const run = async () => {
      for (let attempt = 0; ; attempt++) {
        try {
          return await once();
        } catch (err) {
          const timedOut = err instanceof VenueError && err.kind === 'timeout';
          // Nothing is sent while signing, so a timeout or a failed look-up can simply be tried again.
          const retryable = timedOut || classifyError(err, false).error.retryable;
          if (!retryable) throw err;
          if (timedOut) this.times.timeouts++;
          this.o.report(classifyError(err, false).error, order.clientOrderId);
          if (attempt >= this.o.retries) {
            if (timedOut)
              throw new SignTimeout(`signing did not finish within ${limitMs} ms (${attempt + 1} attempt(s)); the order was not sent`);
            throw err;
          }
          if (!timedOut) await this.o.sleep(this.o.backoffMs * 2 ** attempt);
        }
      }
    };
    try {
      return await run();
    } catch (err) {
      // The SDK caches tick sizes forever; after a tick change it refuses valid prices locally.
      if (!/invalid (price|tick size)/i.test(String((err as Error)?.message))) throw err;
      delete (this.client.tickSizes as Record<string, unknown>)[order.tokenId];
      this.warmed.delete(order.tokenId);
      this.marketInfo.delete(order.tokenId);
      return run();
    }
  }
}
