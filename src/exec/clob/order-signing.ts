/**
 * Turns an engine Order into an SDK-signed CLOB order, and computes its orderID (EIP-712 hash)
 * BEFORE it is posted, so the intent journal and reconciliation can find it by hash.
 *
 * Fine ticks (0.001 / 0.0001): clob-client-v2 signs market orders with a taker amount of 5–6 decimals,
 * which the CLOB rejects ("taker amount a max of 4 decimals"), and no amount/price we could pass fixes
 * that cheaply (measured: stepping a 0.001-tick BUY down until the SDK's output is valid costs 5¢
 * median, 20¢ p90; on 0.0001 ticks 56¢ median and often no valid amount at all). So those orders are
 * signed here from `exchangeAmounts` (the shared rules module: maker ≤ 2 dp, taker ≤ 4 dp, floored)
 * with the SDK's own EIP-712 domain and struct, and posted through the SDK like any other.
 * Deposit-wallet signatures (type 3) need the SDK's ERC-7739 wrapper, so they keep the SDK path with
 * that step-down.
 * Every other order is built exactly as the SDK's createOrder / createMarketOrder builds it (same
 * amounts, struct and domain; our salt) and signed by OrderDigestSigner: the same signature bytes as the
 * SDK's for the same fields (tested against it), without its per-order domain hashing, typed-data
 * encoding and the hash recovered against three domains afterwards. The SDK signs instead when the key
 * is not a local one, a builder code is configured, or the market's tick / neg-risk / the CLOB's
 * version are not cached yet (it fetches them).
 */
import { OrderType, Side, getContractConfig, type ClobClient, type SignedOrder, type TickSize } from '@polymarket/clob-client-v2';
import { utils } from 'ethers';
import { notional, toMicros, type Micros } from '../../core/money.ts';
import type { Order } from '../../core/types.ts';
import { checkOrderForExchange, exchangeAmounts, isMarketType, makerTakerAmounts } from '../../polymarket/order-rules.ts';
import { ORDER_EIP712_TYPES, orderMessage } from '../../polymarket/eip712-order.ts';
import { OrderDigestSigner, type OrderStruct } from './order-digest-signer.ts';

export interface SignedForPost {
  signed: SignedOrder;
  orderHash: string;
  orderType: OrderType;
  postOnly: boolean;
  makerAmountMicros: Micros;
  takerAmountMicros: Micros;
  /** What was actually signed, when pre-rounding changed the engine's amount/size. */
  adjustedQuantityMicros?: Micros;
}

export type SignOutcome = { ok: true; value: SignedForPost } | { ok: false; reason: string; message: string };

const ORDER_TYPES = ORDER_EIP712_TYPES;

const MAX_PREROUND_STEPS = 200;

/** The USDC (market BUY) or shares (everything else) the SDK is asked to sign. */
function quantityOf(order: Order): Micros {
  if (isMarketType(order.type) && order.side === 'BUY') return order.amountMicros ?? notional(order.sizeMicros, order.priceMicros, 'floor');
  return order.sizeMicros;
}

/**
 * The largest quantity ≤ `quantity` whose SDK-signed amounts the CLOB accepts, stepping down by
 * 0.01; undefined when none is found before another rule (a minimum) fails.
 */
export function validSdkQuantity(
  order: Pick<Order, 'side' | 'type' | 'priceMicros'>,
  quantity: Micros,
  tickMicros: Micros,
): { quantity: Micros; maker: Micros; taker: Micros } | { error: string; code: string } {
  const market = isMarketType(order.type);
  let q = quantity - (quantity % 10_000);
  let last: { error: string; code: string } = { error: 'no valid amount', code: 'invalid_amounts' };
  for (let i = 0; i <= MAX_PREROUND_STEPS && q > 0; i++, q -= 10_000) {
    const input = {
      side: order.side,
      type: order.type,
      priceMicros: order.priceMicros,
      tickMicros,
      ...(market && order.side === 'BUY' ? { amountMicros: q } : { sizeMicros: q }),
    };
    const a = makerTakerAmounts(input);
    const v = checkOrderForExchange(
      {
        side: order.side,
        type: order.type,
        makerAmountMicros: a.makerAmountMicros,
        takerAmountMicros: a.takerAmountMicros,
        expirationSec: 0,
      },
      { conditionId: '', tokens: [], negRisk: false, tickMicros, minOrderSizeMicros: 0 },
    );
    if (!v || v.code === 'invalid_expiration') return { quantity: q, maker: a.makerAmountMicros, taker: a.takerAmountMicros };
    last = { error: v.message, code: v.code };
    if (v.code !== 'invalid_amounts' && v.code !== 'invalid_tick') break;
  }
  return last;
}

const ORDER_TYPE_OF = { FOK: OrderType.FOK, FAK: OrderType.FAK, GTC: OrderType.GTC, GTD: OrderType.GTD } as const;
const ZERO32 = '0x' + '0'.repeat(64);

export interface SignOptions {
  /** 'sdk': always through the SDK's createOrder / createMarketOrder (benchmarks, parity tests). */
  via?: 'auto' | 'sdk';
  /** The order's timestamp (ms); default the wall clock, as the SDK does. */
  now?: () => number;
}

/** Signs `order`: fine-tick market orders exactly (see above), everything else as the SDK would. */
export async function signOrder(client: ClobClient, order: Order, options: SignOptions = {}): Promise<SignOutcome> {
  const tick = (await client.getTickSize(order.tokenId)) as TickSize;
  const tickMicros = toMicros(tick);
  const market = isMarketType(order.type);
  const now = options.now ?? Date.now;
  if (market && tickMicros < 10_000 && client.signatureType !== 3) return signExact(client, order, tickMicros, now);
  const wanted = quantityOf(order);
  const fit = validSdkQuantity(order, wanted, tickMicros);
  if ('error' in fit) return { ok: false, reason: fit.code, message: fit.error };
  const direct = options.via === 'sdk' ? undefined : directSigning(client, order.tokenId);
  if (direct) {
    const expiration =
      !market && order.type === 'GTD' && order.expiresAtMs !== undefined ? Math.floor(order.expiresAtMs / 1000) : undefined;
    const outcome = signedDirect(direct, order, fit.maker, fit.taker, now(), order.postOnly && !market, expiration);
    if (fit.quantity !== wanted) outcome.value.adjustedQuantityMicros = fit.quantity;
    return outcome;
  }
  const price = order.priceMicros / 1e6;
  const qty = fit.quantity / 1e6;
  const side = order.side === 'BUY' ? Side.BUY : Side.SELL;
  let signed: SignedOrder;
  if (market) {
    const orderType = order.type === 'FOK' ? OrderType.FOK : OrderType.FAK;
    // orderType inside the user order decides FOK/FAK pricing in the SDK; the post carries it too.
    signed = await client.createMarketOrder({ tokenID: order.tokenId, price, amount: qty, side, orderType });
  } else {
    const expiration = order.type === 'GTD' && order.expiresAtMs !== undefined ? Math.floor(order.expiresAtMs / 1000) : undefined;
    signed = await client.createOrder({
      tokenID: order.tokenId,
      price,
      size: qty,
      side,
      ...(expiration !== undefined ? { expiration } : {}),
    });
  }
  const makerAmountMicros = Number(signed.makerAmount);
  const takerAmountMicros = Number(signed.takerAmount);
  if (makerAmountMicros !== fit.maker || takerAmountMicros !== fit.taker) {
    // The SDK's arithmetic moved; refuse rather than post amounts we did not check.
    return {
      ok: false,
      reason: 'invalid_amounts',
      message: `the SDK signed ${makerAmountMicros}/${takerAmountMicros}, expected ${fit.maker}/${fit.taker}; not posted`,
    };
  }
  const orderType = ORDER_TYPE_OF[order.type];
  return {
    ok: true,
    value: {
      signed,
      orderHash: orderHashOf(signed, client.chainId, client.negRisk[order.tokenId] === true),
      orderType,
      postOnly: order.postOnly && !market,
      makerAmountMicros,
      takerAmountMicros,
      ...(fit.quantity !== wanted ? { adjustedQuantityMicros: fit.quantity } : {}),
    },
  };
}

/** Signs a market order from exchange-valid integer amounts with the SDK's domain and struct. */
async function signExact(client: ClobClient, order: Order, tickMicros: Micros, now: () => number): Promise<SignOutcome> {
  const quantity = quantityOf(order);
  const a = exchangeAmounts({
    side: order.side,
    type: order.type,
    priceMicros: order.priceMicros,
    tickMicros,
    ...(order.side === 'BUY' ? { amountMicros: quantity } : { sizeMicros: quantity }),
  });
  const v = checkOrderForExchange(
    { side: order.side, type: order.type, makerAmountMicros: a.makerAmountMicros, takerAmountMicros: a.takerAmountMicros },
    { conditionId: '', tokens: [], negRisk: false, tickMicros, minOrderSizeMicros: 0 },
  );
  if (v) return { ok: false, reason: v.code, message: v.message };
  const direct = directSigning(client, order.tokenId);
  if (direct) {
    return signedDirect(direct, order, a.makerAmountMicros, a.takerAmountMicros, now(), false);
  }
  const signer = client.signer as unknown as {
    getAddress(): Promise<string>;
    _signTypedData(d: object, t: object, v: object): Promise<string>;
  };
  const signerAddress = await signer.getAddress();
  // The SDK's own cached version (one GET /version per client, shared with createOrder).
  const version = await (client as unknown as { resolveVersion(): Promise<number> }).resolveVersion();
  const negRisk = await client.getNegRisk(order.tokenId);
  const contracts = getContractConfig(client.chainId);
  const verifyingContract = version === 3 ? contracts.exchangeV3 : negRisk ? contracts.negRiskExchangeV2 : contracts.exchangeV2;
  const domain = { name: 'Polymarket CTF Exchange', version: version === 3 ? '3' : '2', chainId: client.chainId, verifyingContract };
  const fields = {
    salt: String(order.salt),
    maker: client.funderAddress ?? signerAddress,
    signer: signerAddress,
    tokenId: order.tokenId,
    makerAmount: String(a.makerAmountMicros),
    takerAmount: String(a.takerAmountMicros),
    signatureType: client.signatureType,
    timestamp: String(now()),
    metadata: ZERO32,
    builder: ZERO32,
  };
  const signature = await signer._signTypedData(domain, ORDER_TYPES, { ...fields, side: order.side === 'BUY' ? 0 : 1 });
  const signed = { ...fields, side: order.side === 'BUY' ? Side.BUY : Side.SELL, expiration: '0', signature } as unknown as SignedOrder;
  return {
    ok: true,
    value: {
      signed,
      orderHash: utils._TypedDataEncoder.hash(domain, ORDER_TYPES, { ...fields, side: order.side === 'BUY' ? 0 : 1 }),
      orderType: ORDER_TYPE_OF[order.type],
      postOnly: false,
      makerAmountMicros: a.makerAmountMicros,
      takerAmountMicros: a.takerAmountMicros,
    },
  };
}

/**
 * The CLOB's orderID for a signed V2/V3 order. The exchange contract is the one whose domain
 * recovers the signer (EOA/proxy/Safe signatures); deposit-wallet signatures use the negRisk hint.
 * The chain's own contracts: Amoy's V3 exchange is not Polygon's.
 */
export function orderHashOf(signed: SignedOrder, chainId: number, negRiskHint: boolean): string {
  const o = signed as unknown as Record<string, string | number>;
  const msg = orderMessage(o);
  const c = getContractConfig(chainId);
  const candidates: [string, string][] = negRiskHint
    ? [
        ['2', c.negRiskExchangeV2],
        ['2', c.exchangeV2],
        ['3', c.exchangeV3],
      ]
    : [
        ['2', c.exchangeV2],
        ['2', c.negRiskExchangeV2],
        ['3', c.exchangeV3],
      ];
  const hashes = candidates.map(([version, verifyingContract]) =>
    utils._TypedDataEncoder.hash({ name: 'Polymarket CTF Exchange', version, chainId, verifyingContract }, ORDER_TYPES, msg),
  );
  const sig = String(o.signature);
  if (sig.length === 132) {
    for (const h of hashes) {
      try {
        if (utils.recoverAddress(h, sig).toLowerCase() === String(o.signer).toLowerCase()) return h;
      } catch {
        // not this domain
      }
    }
  }
  return hashes[0]!;
}

/** What the direct path needs from the client, all cached: the key, the CLOB's version, the market's neg-risk flag. */
interface DirectSigning {
  sign(
    order: Order,
    makerAmount: Micros,
    takerAmount: Micros,
    timestampMs: number,
    expirationSec?: number,
  ): { signed: SignedOrder; orderHash: string };
}

const digestSigners = new WeakMap<ClobClient, OrderDigestSigner | null>();

/** The client's local key as an OrderDigestSigner; null for a signer without one (a remote or viem signer). */
function digestSignerOf(client: ClobClient): OrderDigestSigner | null {
  let s = digestSigners.get(client);
  if (s === undefined) {
    const key = (client.signer as unknown as { privateKey?: unknown } | undefined)?.privateKey;
    s = typeof key === 'string' && /^0x[0-9a-fA-F]{64}$/.test(key) ? new OrderDigestSigner(key, client.chainId) : null;
    digestSigners.set(client, s);
  }
  return s;
}

/**
 * Readies the direct signer of this client now (the curve's precomputed tables are built on the first
 * signature: tens of ms that would otherwise land on the first copy's path). No-op without a local key.
 */
export function prepareSigning(client: ClobClient): void {
  digestSignerOf(client)?.prepare();
}

/** An order signed by the direct signer, as the venue posts it. */
function signedDirect(
  direct: DirectSigning,
  order: Order,
  makerAmountMicros: Micros,
  takerAmountMicros: Micros,
  timestampMs: number,
  postOnly: boolean,
  expirationSec?: number,
): { ok: true; value: SignedForPost } {
  const { signed, orderHash } = direct.sign(order, makerAmountMicros, takerAmountMicros, timestampMs, expirationSec);
  return { ok: true, value: { signed, orderHash, orderType: ORDER_TYPE_OF[order.type], postOnly, makerAmountMicros, takerAmountMicros } };
}

/**
 * The direct signer for this client and token, or undefined when the SDK must sign: no local key, a
 * deposit wallet (type 3: ERC-7739 wrapper), a builder code, or anything not cached yet (tick,
 * neg-risk, the CLOB's order version), which the SDK then fetches.
 */
function directSigning(client: ClobClient, tokenId: string): DirectSigning | undefined {
  const internals = client as unknown as {
    cachedVersion?: number;
    builderConfig?: { builderCode?: string };
    negRisk: Record<string, boolean>;
    tickSizes: Record<string, string>;
  };
  if (client.signatureType === 3 || internals.builderConfig?.builderCode) return undefined;
  const version = internals.cachedVersion;
  if (version !== 2 && version !== 3) return undefined;
  const negRisk = internals.negRisk[tokenId];
  if (negRisk === undefined || !(tokenId in internals.tickSizes)) return undefined;
  const digest = digestSignerOf(client);
  const address = (client.signer as unknown as { address?: unknown }).address;
  if (!digest || typeof address !== 'string') return undefined;
  const contracts = getContractConfig(client.chainId);
  const contract = version === 3 ? contracts.exchangeV3 : negRisk ? contracts.negRiskExchangeV2 : contracts.exchangeV2;
  // As the SDK: the funder (proxy/Safe) makes the order when set, the key's address signs it.
  const maker = client.funderAddress === undefined ? address : client.funderAddress;
  return {
    sign(order, makerAmount, takerAmount, timestampMs, expirationSec) {
      const struct: OrderStruct = {
        salt: String(order.salt),
        maker,
        signer: address,
        tokenId: order.tokenId,
        makerAmount: String(makerAmount),
        takerAmount: String(takerAmount),
        side: order.side === 'BUY' ? 0 : 1,
        signatureType: client.signatureType,
        timestamp: String(timestampMs),
        metadata: ZERO32,
        builder: ZERO32,
      };
      const { signature, orderHash } = digest.sign(version === 3 ? '3' : '2', contract, struct);
      // Field for field what the SDK's buildSignedOrder returns (and orderToJsonV2 posts).
      const signed = {
        salt: struct.salt,
        maker,
        signer: address,
        tokenId: struct.tokenId,
        makerAmount: struct.makerAmount,
        takerAmount: struct.takerAmount,
        side: order.side === 'BUY' ? Side.BUY : Side.SELL,
        signatureType: struct.signatureType,
        metadata: ZERO32,
        builder: ZERO32,
        timestamp: struct.timestamp,
        expiration: expirationSec !== undefined ? String(expirationSec) : '0',
        signature,
      } as unknown as SignedOrder;
      return { signed, orderHash };
    },
  };
}
