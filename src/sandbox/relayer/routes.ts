/**
 * The sandbox relayer's HTTP side, under /relayer on the sandbox's port: the endpoints
 * @polymarket/builder-relayer-client 0.0.10 calls (dist/endpoints.js). POST /submit and GET /transactions
 * need the builder headers (POLY_BUILDER_API_KEY, _PASSPHRASE, _TIMESTAMP, _SIGNATURE: an HMAC-SHA256 of
 * timestamp + method + path + body with the base64-decoded secret, url-safe base64, as
 * @polymarket/builder-signing-sdk computes it); the reads are public.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { utils } from 'ethers';
import { type Req, type Router, error, json } from '../http/router.ts';
import { SANDBOX_BUILDER_CREDS } from './builder-creds.ts';
import { RelayerError, type SandboxRelayer } from './relayer.ts';

/** The builder key of a correctly signed request, or undefined. */
export function builderOf(q: Req): string | undefined {
  const h = (name: string) => {
    const v = q.headers[name.toLowerCase()];
    return Array.isArray(v) ? v[0] : v;
  };
  const key = h('POLY_BUILDER_API_KEY');
  const ts = h('POLY_BUILDER_TIMESTAMP');
  const sig = h('POLY_BUILDER_SIGNATURE');
  if (key !== SANDBOX_BUILDER_CREDS.key || h('POLY_BUILDER_PASSPHRASE') !== SANDBOX_BUILDER_CREDS.passphrase || !ts || !sig)
    return undefined;
  const want = createHmac('sha256', Buffer.from(SANDBOX_BUILDER_CREDS.secret, 'base64'))
    .update(`${ts}${q.method}${q.path}${q.rawBody || ''}`)
    .digest('base64')
    .replaceAll('+', '-')
    .replaceAll('/', '_');
  const a = Buffer.from(want);
  const b = Buffer.from(sig);
  return a.length === b.length && timingSafeEqual(a, b) ? key : undefined;
}

export function registerRelayer(r: Router, relayer: SandboxRelayer): void {
  const address = (q: Req) => {
    const a = q.query.get('address') ?? '';
    return utils.isAddress(a) ? utils.getAddress(a) : undefined;
  };
  r.add('GET', '/nonce', async (q) => {
    const a = address(q);
    if (!a) return error(400, 'invalid address');
    if (q.query.get('type') !== 'SAFE') return error(400, 'nonce: type SAFE only in the sandbox relayer');
    return json(200, { address: a, nonce: String(await relayer.nonceOf(a)) });
  });
  r.add('GET', '/relay-payload', async (q) => {
    const a = address(q);
    if (!a) return error(400, 'invalid address');
    if (q.query.get('type') !== 'PROXY') return error(400, 'relay-payload: type PROXY only');
    return json(200, await relayer.relayPayload(a));
  });
  r.add('GET', '/deployed', async (q) => {
    const a = address(q);
    if (!a) return error(400, 'invalid address');
    return json(200, { deployed: await relayer.safes.deployed(a) });
  });
  r.add('GET', '/transaction', (q) => {
    const t = relayer.find(q.query.get('id') ?? '');
    return json(200, t ? [t] : []);
  });
  r.add('GET', '/transactions', (q) => {
    const key = builderOf(q);
    return key ? json(200, relayer.ofBuilder(key)) : error(401, 'invalid builder credentials');
  });
  r.add('POST', '/submit', async (q) => {
    const key = builderOf(q);
    if (!key) return error(401, 'invalid builder credentials');
    let body: unknown;
    try {
      body = JSON.parse(q.rawBody);
    } catch {
      return error(400, 'invalid request: body must be JSON');
    }
    try {
      const t = await relayer.submit(body, key);
      return json(200, { transactionID: t.transactionID, transactionHash: t.transactionHash, state: t.state });
    } catch (err) {
      if (err instanceof RelayerError) return error(err.status, err.message);
      throw err;
    }
  });
}
