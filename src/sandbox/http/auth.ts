/** L1 (EIP-712 ClobAuth), L2 (HMAC) and order-signature checks, exactly as the real CLOB does them. */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { ethers } from 'ethers';
import type { AccountBook } from '../exchange/account-book.ts';
import type { ApiCreds } from '../exchange/types.ts';
import { ORDER_EIP712_TYPES, orderMessage } from '../../polymarket/eip712-order.ts';

export const EXCHANGE = {
  v2: '0xE111180000d2663C0091e4f400237545B87B996B',
  v2NegRisk: '0xe2222d279d744050d28e00520010520000310F59',
} as const;

const CLOB_AUTH_TYPES = {
  ClobAuth: [
    { name: 'address', type: 'address' },
    { name: 'timestamp', type: 'string' },
    { name: 'nonce', type: 'uint256' },
    { name: 'message', type: 'string' },
  ],
};
const CLOB_AUTH_MESSAGE = 'This message attests that I control the given wallet';

const ORDER_TYPES = ORDER_EIP712_TYPES;

type Headers = Record<string, string | string[] | undefined>;
const h = (headers: Headers, name: string): string | undefined => {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
};

/** Recovers the L1 signer; returns its lower-case address and nonce, or undefined when the headers are bad. */
export function verifyL1(headers: Headers, chainId: number): { address: string; nonce: string } | undefined {
  const address = h(headers, 'POLY_ADDRESS');
  const signature = h(headers, 'POLY_SIGNATURE');
  const timestamp = h(headers, 'POLY_TIMESTAMP');
  const nonce = h(headers, 'POLY_NONCE') ?? '0';
  if (!address || !signature || !timestamp || !/^\d+$/.test(nonce)) return undefined;
  try {
    const recovered = ethers.utils.verifyTypedData(
      { name: 'ClobAuthDomain', version: '1', chainId },
      CLOB_AUTH_TYPES,
      { address, timestamp, nonce, message: CLOB_AUTH_MESSAGE },
      signature,
    );
    if (recovered.toLowerCase() !== address.toLowerCase()) return undefined;
    return { address: address.toLowerCase(), nonce };
  } catch {
    return undefined;
  }
}

/** POLY_SIGNATURE of the real CLOB: url-safe base64 HMAC-SHA256, '=' padding kept. */
export function hmacSignature(secret: string, timestamp: string, method: string, path: string, body: string): string {
  const key = Buffer.from(
    secret
      .replace(/-/g, '+')
      .replace(/_/g, '/')
      .replace(/[^A-Za-z0-9+/=]/g, ''),
    'base64',
  );
  const sig = createHmac('sha256', key).update(`${timestamp}${method}${path}${body}`).digest('base64');
  return sig.replace(/\+/g, '-').replace(/\//g, '_');
}

/** Checks the five L2 headers against the stored key; returns the creds when everything matches. */
export function verifyL2(headers: Headers, accounts: AccountBook, method: string, path: string, body: string): ApiCreds | undefined {
  const key = h(headers, 'POLY_API_KEY');
  const creds = key ? accounts.byKey(key) : undefined;
  if (!creds) return undefined;
  if (h(headers, 'POLY_PASSPHRASE') !== creds.passphrase) return undefined;
  if ((h(headers, 'POLY_ADDRESS') ?? '').toLowerCase() !== creds.address) return undefined;
  const ts = h(headers, 'POLY_TIMESTAMP');
  const given = h(headers, 'POLY_SIGNATURE');
  if (!ts || !given) return undefined;
  const expected = hmacSignature(creds.secret, ts, method, path, body);
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b) ? creds : undefined;
}

export interface WireOrder {
  salt: number | string;
  maker: string;
  signer: string;
  tokenId: string;
  makerAmount: string;
  takerAmount: string;
  side: 'BUY' | 'SELL';
  signatureType: number;
  timestamp: string;
  expiration?: string;
  metadata: string;
  builder: string;
  signature: string;
}

/** Recovers the V2 order signer and computes the order hash (the orderID) for the exchange domain. */
export function verifyOrder(o: WireOrder, negRisk: boolean, chainId: number): { ok: boolean; orderHash: string } {
  const domain = { name: 'Polymarket CTF Exchange', version: '2', chainId, verifyingContract: negRisk ? EXCHANGE.v2NegRisk : EXCHANGE.v2 };
  const msg = orderMessage(o as unknown as Record<string, unknown>);
  const orderHash = ethers.utils._TypedDataEncoder.hash(domain, ORDER_TYPES, msg);
  let recovered = '';
  try {
    recovered = ethers.utils.recoverAddress(orderHash, o.signature);
  } catch {
    return { ok: false, orderHash };
  }
  return { ok: recovered.toLowerCase() === o.signer.toLowerCase(), orderHash };
}
