/**
 * Signing orders for the live venue. A burst of copies used to start signing all at once: each looked
 * up its token's tick size / neg-risk flag / fees (the SDK caches them, but only after the first
 * answer lands, so N orders made N look-ups) and then signed on the one thread, behind all the others,
 * so under load the whole burst could pass the signing deadline together and be refused. Here each
 * token's market is read once (shared), signing runs a few at a time with the deadline counted from an
 * order's own turn, and an attempt that times out or fails to look something up is tried again
 * (nothing is sent while signing). An order that still runs out of time is refused `sign_timeout`.
 */
import type { ClobClient } from '@polymarket/clob-client-v2';
import { VenueError } from '../../core/errors.ts';
import { withTimeout } from '../../core/timeout.ts';
import type { Order } from '../../core/types.ts';
import { classifyError } from './clob-errors.ts';
import { signOrder, type SignOutcome } from './order-signing.ts';
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

  constructor(
    private readonly client: ClobClient,
    private readonly o: OrderSignerOptions,
  ) {
    this.queue = new TurnQueue(o.concurrency, 'sign');
  }

  /**
   * The SDK caches a token's tick size, neg-risk flag and fees, but a burst of orders on a new token
   * would each fetch them before the first answer lands: one fetch per token (and one of the CLOB's
   * version), shared, before signing.
   */
  private warmMarketInfo(order: Order): Promise<void> {
    let p = this.marketInfo.get(order.tokenId);
    if (!p) {
      const client = this.client as unknown as { resolveVersion(): Promise<number> };
      p = Promise.all([
        client.resolveVersion(),
        order.conditionId
          ? this.client.getClobMarketInfo(order.conditionId)
          : Promise.all([this.client.getTickSize(order.tokenId), this.client.getNegRisk(order.tokenId)]),
      ]).then(() => undefined);
      this.marketInfo.set(order.tokenId, p);
      p.catch(() => this.marketInfo.delete(order.tokenId));
    }
    return p;
  }

  async sign(order: Order): Promise<SignOutcome> {
    const limitMs = this.o.timeoutMs;
    // Best effort: if the shared look-up fails, the SDK looks the market up itself while signing.
    await withTimeout(this.warmMarketInfo(order), this.o.lookupTimeoutMs, `reading the market of token ${order.tokenId}`).catch(
      () => undefined,
    );
    const once = () =>
      this.queue.run(async () => {
        const started = this.o.now();
        const r = await withTimeout(signOrder(this.client, order), limitMs, 'signing an order');
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
      return run();
    }
  }
}
