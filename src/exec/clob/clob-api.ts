/**
 * A thin, safe wrapper over the SDK client: every call gets a deadline (the SDK has none) and every
 * failure becomes a redacted VenueError. Also the account reads used for position sync and by
 * `polytail doctor`: balances/allowances, open orders and trades.
 */
import { AssetType, ClobClient, type OpenOrder, type Trade, type TradeParams } from '@polymarket/clob-client-v2';
import type { LiveAccount } from '../../wallet/live-account.ts';
import { registerCreds, type ApiCreds } from '../../wallet/api-creds.ts';
import { withTimeout } from '../../core/timeout.ts';
import { toMicros, type Micros } from '../../core/money.ts';
import { classifyError } from './clob-errors.ts';
import { watchRetryAfter } from './retry-after.ts';

export interface BalanceInfo {
  /** pUSD (collateral) or token shares, in micros. */
  balanceMicros: Micros;
  /** Allowance per spender contract (base units; MAX_UINT256 when unlimited). */
  allowances: Record<string, bigint>;
}

/** An open order as the CLOB lists it, amounts in micros. */
export interface VenueOpenOrder {
  id: string;
  tokenId: string;
  conditionId: string;
  side: 'BUY' | 'SELL';
  priceMicros: Micros;
  originalSizeMicros: Micros;
  matchedMicros: Micros;
  type: string;
  status: string;
  createdAtSec: number;
  expirationSec: number;
}

export interface ClientOptions {
  host?: string;
  /** Sign each authed request with the CLOB's clock (an extra GET /time each); for skewed clocks. */
  useServerTime?: boolean;
}

/** The SDK client for a live account: ethers@5 signer, errors thrown, never its own POST retry. */
export function createClobClient(account: LiveAccount, creds: ApiCreds, options: ClientOptions = {}): ClobClient {
  registerCreds(creds);
  const host = (options.host ?? account.clobHost).replace(/\/$/, '');
  watchRetryAfter(host);
  return new ClobClient({
    host,
    chain: account.chainId,
    signer: account.signer,
    creds,
    signatureType: account.signatureType,
    funderAddress: account.funderAddress,
    throwOnError: true,
    // A retried POST /order can place the order twice; unknown outcomes are reconciled instead.
    retryOnError: false,
    useServerTime: options.useServerTime === true,
  });
}

const DECIMAL = /^-?\d+(\.\d+)?$/;
function decimalMicros(text: string | undefined): Micros {
  return text && DECIMAL.test(text) ? toMicros(text) : 0;
}

export class ClobApi {
  constructor(
    readonly client: ClobClient,
    readonly timeoutMs = 15_000,
  ) {}

  /** Runs an SDK call with a deadline; failures become VenueErrors (redacted). */
  async call<T>(what: string, fn: () => Promise<T>, timeoutMs = this.timeoutMs): Promise<T> {
    try {
      return await withTimeout(fn(), timeoutMs, what);
    } catch (err) {
      const c = classifyError(err, false);
      throw Object.assign(c.error, { reason: c.reason, status: c.status });
    }
  }

  async collateral(): Promise<BalanceInfo> {
    return this.balance({ asset_type: AssetType.COLLATERAL });
  }

  async tokenBalance(tokenId: string): Promise<BalanceInfo> {
    return this.balance({ asset_type: AssetType.CONDITIONAL, token_id: tokenId });
  }

  /** Asks the CLOB to re-read balances/allowances from chain (after a deposit or an approval). */
  async refreshBalance(tokenId?: string): Promise<void> {
    const params = tokenId ? { asset_type: AssetType.CONDITIONAL, token_id: tokenId } : { asset_type: AssetType.COLLATERAL };
    await this.call('refreshing balance/allowance', () => this.client.updateBalanceAllowance(params));
  }

  private async balance(params: { asset_type: AssetType; token_id?: string }): Promise<BalanceInfo> {
    const r = await this.call('reading balance/allowance', () => this.client.getBalanceAllowance(params));
    const allowances: Record<string, bigint> = {};
    const raw = (r.allowances ?? {}) as Record<string, string>;
    for (const [spender, amount] of Object.entries(raw)) allowances[spender] = /^\d+$/.test(String(amount)) ? BigInt(amount) : 0n;
    // V1-shaped replies carry one `allowance`.
    const single = (r as unknown as { allowance?: string }).allowance;
    if (single !== undefined && Object.keys(allowances).length === 0) allowances['*'] = /^\d+$/.test(single) ? BigInt(single) : 0n;
    return { balanceMicros: /^\d+$/.test(String(r.balance)) ? Number(r.balance) : 0, allowances };
  }

  /** Every open order of this API key (all pages). */
  async fetchOpenOrders(params: { market?: string; tokenId?: string; id?: string } = {}): Promise<VenueOpenOrder[]> {
    const q = {
      ...(params.market ? { market: params.market } : {}),
      ...(params.tokenId ? { asset_id: params.tokenId } : {}),
      ...(params.id ? { id: params.id } : {}),
    };
    const list = await this.call('listing open orders', () => this.client.getOpenOrders(q));
    return (Array.isArray(list) ? list : []).map(parseOpenOrder);
  }

  /** Our trades (all pages), newest first as the CLOB lists them. */
  async fetchTrades(params: TradeParams = {}): Promise<Trade[]> {
    const list = await this.call('listing trades', () => this.client.getTrades(params));
    return Array.isArray(list) ? list : [];
  }

  /** One order by id, or undefined when the CLOB does not know it. */
  async fetchOrder(orderId: string): Promise<VenueOpenOrder | undefined> {
    try {
      const o = await this.call('reading an order', () => this.client.getOrder(orderId));
      return o && typeof o === 'object' && o.id ? parseOpenOrder(o) : undefined;
    } catch (err) {
      const status = (err as { status?: number }).status;
      if (status === 404 || status === 400) return undefined;
      throw err;
    }
  }
}

export function parseOpenOrder(o: OpenOrder): VenueOpenOrder {
  return {
    id: o.id,
    tokenId: o.asset_id,
    conditionId: o.market,
    side: o.side === 'SELL' ? 'SELL' : 'BUY',
    priceMicros: decimalMicros(o.price),
    originalSizeMicros: decimalMicros(o.original_size),
    matchedMicros: decimalMicros(o.size_matched),
    type: o.order_type,
    status: o.status,
    createdAtSec: Number(o.created_at) || 0,
    expirationSec: Number(o.expiration) || 0,
  };
}
