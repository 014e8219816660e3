/**
 * The direct order signer (cached domain separator, one keccak per order, secp256k1 straight on the
 * digest) must produce exactly what clob-client-v2 produces: for random orders the SDK signs first
 * (createOrder / createMarketOrder, its random salt and its clock), then the direct path signs the same
 * order with that salt and timestamp, and the two signed orders (every field, the signature bytes) and
 * order hashes must be identical. The digest signer alone is also checked against ethers' EIP-712 for
 * random structs (the fine-tick market orders it signs have no SDK counterpart).
 */
import { ClobClient } from '@polymarket/clob-client-v2';
import { Wallet, utils } from 'ethers';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Order, OrderType } from '../../src/core/types.ts';
import { OrderDigestSigner, type OrderStruct } from '../../src/exec/clob/order-digest-signer.ts';
import { orderHashOf, signOrder } from '../../src/exec/clob/order-signing.ts';
import { ORDER_EIP712_TYPES } from '../../src/polymarket/eip712-order.ts';

const TOKEN = '71321045679252212594626385532706912750332728571942532289631379312455583992563';
const TICKS = ['0.1', '0.01', '0.001', '0.0001'] as const;
const CHAINS = [137, 80002] as const;

/** A client that needs nothing from the network: the market and the CLOB version are cached up front. */
function clientFor(key: string, chainId: number, tick: string, negRisk: boolean, version: number, signatureType: number, funder?: string) {
  const client = new ClobClient({
    host: 'http://127.0.0.1:9',
    chain: chainId,
    signer: new Wallet(key) as never,
    creds: { key: 'k', secret: 'c2VjcmV0', passphrase: 'p' },
    signatureType,
    ...(funder ? { funderAddress: funder } : {}),
  });
  const c = client as unknown as Record<string, Record<string, unknown> | number>;
  (c['tickSizes'] as Record<string, unknown>)[TOKEN] = tick;
  (c['negRisk'] as Record<string, unknown>)[TOKEN] = negRisk;
  (c['feeInfos'] as Record<string, unknown>)[TOKEN] = { rate: 0, exponent: 0 };
  c['cachedVersion'] = version;
  return client;
}

const hex32 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => utils.hexlify(b));
const key = hex32.filter((k) => BigInt(k) > 0n && BigInt(k) < BigInt('0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141'));
const address = fc.uint8Array({ minLength: 20, maxLength: 20 }).map((b) => utils.getAddress(utils.hexlify(b)));

const orderCase = fc
  .record({
    key,
    chainId: fc.constantFrom(...CHAINS),
    tick: fc.constantFrom(...TICKS),
    negRisk: fc.boolean(),
    version: fc.constantFrom(2, 3),
    signatureType: fc.constantFrom(0, 1, 2),
    funder: address,
    side: fc.constantFrom('BUY' as const, 'SELL' as const),
    type: fc.constantFrom<OrderType>('GTC', 'GTD', 'FOK', 'FAK'),
    priceTicks: fc.integer({ min: 1, max: 9999 }),
    centShares: fc.integer({ min: 500, max: 2_000_000 }),
    expiresSec: fc.integer({ min: 1_800_000_000, max: 1_900_000_000 }),
  })
  // Fine-tick market orders are signed exactly by polytail (no SDK counterpart; see order-signing.ts).
  .filter((c) => !((c.type === 'FOK' || c.type === 'FAK') && (c.tick === '0.001' || c.tick === '0.0001')));

type Case = typeof orderCase extends fc.Arbitrary<infer T> ? T : never;

function orderOf(c: Case): Order {
  const tickMicros = Math.round(Number(c.tick) * 1e6);
  const steps = Math.round(1e6 / tickMicros) - 1;
  const priceMicros = (1 + ((c.priceTicks - 1) % steps)) * tickMicros;
  const sizeMicros = c.centShares * 10_000;
  const market = c.type === 'FOK' || c.type === 'FAK';
  return {
    clientOrderId: 'o-1',
    strategyId: 's',
    tokenId: TOKEN,
    conditionId: '0xc',
    side: c.side,
    type: c.type,
    priceMicros,
    sizeMicros,
    ...(market && c.side === 'BUY' ? { amountMicros: Math.floor((sizeMicros * priceMicros) / 1e6 / 10_000) * 10_000 } : {}),
    postOnly: false,
    ...(c.type === 'GTD' ? { expiresAtMs: c.expiresSec * 1000 } : {}),
    createdMs: 0,
    salt: 1,
  };
}

describe('direct order signing', () => {
  it('signs every order exactly as clob-client-v2 does (same fields, same signature bytes, same hash)', async () => {
    let compared = 0;
    let sdkRefused = 0;
    await fc.assert(
      fc.asyncProperty(orderCase, async (c) => {
        const client = clientFor(
          c.key,
          c.chainId,
          c.tick,
          c.negRisk,
          c.version,
          c.signatureType,
          c.signatureType === 0 ? undefined : c.funder,
        );
        const order = orderOf(c);
        const sdk = await signOrder(client, order, { via: 'sdk' });
        if (!sdk.ok) {
          // The SDK's float arithmetic missed the exchange-valid amounts: polytail refuses such an order.
          sdkRefused++;
          return;
        }
        const s = sdk.value.signed as unknown as Record<string, unknown>;
        const direct = await signOrder(client, { ...order, salt: Number(s['salt']) }, { now: () => Number(s['timestamp']) });
        expect(direct.ok).toBe(true);
        if (!direct.ok) return;
        expect(direct.value.signed).toStrictEqual(sdk.value.signed);
        expect(direct.value.orderHash).toBe(sdk.value.orderHash);
        expect(direct.value.orderHash).toBe(orderHashOf(direct.value.signed, c.chainId, c.negRisk));
        expect(direct.value.makerAmountMicros).toBe(sdk.value.makerAmountMicros);
        expect(direct.value.takerAmountMicros).toBe(sdk.value.takerAmountMicros);
        expect(direct.value.orderType).toBe(sdk.value.orderType);
        compared++;
      }),
      { numRuns: 300 },
    );
    // The comparison is the point: nearly every random order must reach it.
    expect(compared).toBeGreaterThan(250);
    expect(sdkRefused).toBeLessThan(50);
  });

  it('hashes and signs any order struct as ethers EIP-712 does, for every exchange domain', async () => {
    const uint = (max: bigint) => fc.bigInt({ min: 0n, max }).map(String);
    await fc.assert(
      fc.asyncProperty(
        key,
        fc.constantFrom(...CHAINS),
        fc.constantFrom('2', '3'),
        address,
        fc.record({
          salt: uint(2n ** 256n - 1n),
          maker: address,
          signer: address,
          tokenId: uint(2n ** 256n - 1n),
          makerAmount: uint(2n ** 128n),
          takerAmount: uint(2n ** 128n),
          side: fc.constantFrom(0 as const, 1 as const),
          signatureType: fc.integer({ min: 0, max: 255 }),
          timestamp: uint(2n ** 64n),
          metadata: hex32,
          builder: hex32,
        }),
        async (k, chainId, version, contract, struct: OrderStruct) => {
          const wallet = new Wallet(k);
          const domain = { name: 'Polymarket CTF Exchange', version, chainId, verifyingContract: contract };
          const mine = new OrderDigestSigner(k, chainId).sign(version, contract, struct);
          expect(mine.orderHash).toBe(utils._TypedDataEncoder.hash(domain, ORDER_EIP712_TYPES, struct));
          expect(mine.signature).toBe(await wallet._signTypedData(domain, ORDER_EIP712_TYPES, struct));
        },
      ),
      { numRuns: 200 },
    );
  });
});
