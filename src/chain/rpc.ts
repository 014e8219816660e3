/**
 * JSON-RPC over HTTP with backoff: public Polygon RPCs answer 429 and 5xx under load, and a redeem or an
 * approval must not fail because of one. Retries are safe here: reads are idempotent and a signed raw
 * transaction sent twice is the same transaction (a node answering "already known" means it has it).
 */
import { providers } from 'ethers';

export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

const DEFAULT_RETRY: RetryPolicy = { attempts: 6, baseDelayMs: 200, maxDelayMs: 5_000 };

export function isRetryableRpcError(err: unknown): boolean {
  const e = err as { status?: number; code?: string; serverError?: { code?: string }; message?: string };
  if (e.status === 429 || (e.status !== undefined && e.status >= 500)) return true;
  if (e.code === 'TIMEOUT' || e.serverError?.code === 'ECONNREFUSED' || e.serverError?.code === 'ECONNRESET') return true;
  return /\b(429|502|503|504)\b|rate limit|too many requests/i.test(e.message ?? '');
}

export class RetryingRpcProvider extends providers.StaticJsonRpcProvider {
  /** Retries seen since start (health reporting). */
  retries = 0;

  constructor(
    url: string,
    chainId?: number,
    private readonly retry: RetryPolicy = DEFAULT_RETRY,
    /** Must let a macrotask pass: ethers hands the same in-flight eth_blockNumber to calls within one tick. */
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {
    super({ url, timeout: 20_000 }, chainId);
  }

  override async send(method: string, params: unknown[]): Promise<unknown> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await super.send(method, params);
      } catch (err) {
        if (method === 'eth_sendRawTransaction' && /already known|nonce too low|known transaction/i.test((err as Error).message ?? '')) {
          // The node already has this very transaction (or mined it): sending it again changed nothing.
          if (/already known|known transaction/i.test((err as Error).message)) return undefined;
        }
        if (attempt >= this.retry.attempts || !isRetryableRpcError(err)) throw err;
        this.retries++;
        await this.sleep(Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1)));
      }
    }
  }
}
