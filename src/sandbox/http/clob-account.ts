/** Authenticated CLOB endpoints: API keys (L1), orders, cancels, trades, balances, heartbeats (L2). */
import type { SandboxContext } from '../context.ts';
import { CLOB_ERRORS } from '../exchange/exchange-rules.ts';
import type { ApiCreds, LedgerFill } from '../exchange/types.ts';
import { verifyL1, verifyL2 } from './auth.ts';
import { postOrder, postOrders } from './clob-orders.ts';
import { type Reply, type Req, type Router, error, json, text } from './router.ts';
import { openOrderJson, paginate, tradeJson } from './views.ts';

const MAX_ALLOWANCE = '115792089237316195423570985008687907853269984665640564039457584007913129639935';
const SPENDERS = [
  '0xE111180000d2663C0091e4f400237545B87B996B',
  '0xe2222d279d744050d28e00520010520000310F59',
  '0xd91E80cF2E7be2e162c6513ceD06f1dD0dA35296',
];

export function registerClobAccount(r: Router, ctx: SandboxContext): void {
  const ex = ctx.exchange;
  const l2 =
    (fn: (req: Req, creds: ApiCreds) => Reply | Promise<Reply>) =>
    (req: Req): Reply | Promise<Reply> => {
      const creds = ctx.faults.badCredentials() ? undefined : verifyL2(req.headers, ex.accounts, req.method, req.path, req.rawBody);
      return creds ? fn(req, creds) : error(401, CLOB_ERRORS.unauthorized);
    };
  const bodyJson = (req: Req): unknown => {
    try {
      return req.rawBody ? JSON.parse(req.rawBody) : undefined;
    } catch {
      return undefined;
    }
  };
  const keyJson = (c: ApiCreds) => ({ apiKey: c.key, secret: c.secret, passphrase: c.passphrase });
  const fund = (address: string) => {
    const acct = ex.accounts.get(address);
    if (!acct.unlimited && acct.usdcMicros === 0 && acct.tokens.size === 0 && ex.accounts.keysOf(address).length === 1) {
      acct.usdcMicros = Math.round(ctx.scenario.defaultUsdc * 1e6);
      ctx.chain?.credit(address, acct.usdcMicros);
    }
  };
  const tradesOf = (creds: ApiCreds): LedgerFill[][] => {
    const me = ex.accounts.funderOf(creds.address);
    const groups = new Map<string, LedgerFill[]>();
    for (const f of ex.ledger) {
      if (f.takerAddress !== me && f.makerAddress !== me) continue;
      const list = groups.get(f.tradeId) ?? [];
      list.push(f);
      groups.set(f.tradeId, list);
    }
    return [...groups.values()];
  };

  r.add('POST', '/auth/api-key', (req) => {
    if (ctx.faults.badCredentials()) return error(401, CLOB_ERRORS.invalidL1);
    const who = verifyL1(req.headers, ctx.chainId);
    if (!who) return error(401, CLOB_ERRORS.invalidL1);
    const creds = ex.accounts.createKey(who.address, who.nonce);
    if (!creds) return error(400, 'Could not create api key');
    fund(who.address);
    return json(200, keyJson(creds));
  })
    .add('GET', '/auth/derive-api-key', (req) => {
      if (ctx.faults.badCredentials()) return error(401, CLOB_ERRORS.invalidL1);
      const who = verifyL1(req.headers, ctx.chainId);
      if (!who) return error(401, CLOB_ERRORS.invalidL1);
      const creds = ex.accounts.deriveKey(who.address, who.nonce);
      return creds ? json(200, keyJson(creds)) : error(400, 'Could not derive api key!');
    })
    .add(
      'GET',
      '/auth/api-keys',
      l2((_q, c) => json(200, { apiKeys: ex.accounts.keysOf(c.address).map((k) => k.key) })),
    )
    .add(
      'DELETE',
      '/auth/api-key',
      l2((_q, c) => (ex.accounts.deleteKey(c.key), json(200, 'OK'))),
    )
    .add(
      'GET',
      '/auth/ban-status/closed-only',
      l2(() => json(200, { closed_only: false })),
    )
    .add(
      'POST',
      '/order',
      l2((q, c) => postOrder(ctx, c, q.rawBody)),
    )
    .add(
      'POST',
      '/orders',
      l2((q, c) => postOrders(ctx, c, q.rawBody)),
    )
    .add(
      'DELETE',
      '/order',
      l2((q, c) => {
        const b = bodyJson(q) as { orderID?: unknown } | undefined;
        if (!b || typeof b.orderID !== 'string') return error(400, 'Invalid orderID');
        return json(200, ex.cancel([b.orderID], c.key));
      }),
    )
    .add(
      'DELETE',
      '/orders',
      l2((q, c) => {
        const b = bodyJson(q);
        if (!Array.isArray(b) || !b.every((x) => typeof x === 'string')) return error(400, CLOB_ERRORS.payload);
        if (b.length > 1000) return error(400, 'Too many orders in payload, max allowed: 1000');
        return json(200, ex.cancel(b as string[], c.key));
      }),
    )
    .add(
      'DELETE',
      '/cancel-all',
      l2((_q, c) =>
        json(
          200,
          ex.cancel(
            ex.liveOrders((o) => o.owner === c.key).map((o) => o.id),
            c.key,
          ),
        ),
      ),
    )
    .add(
      'DELETE',
      '/cancel-market-orders',
      l2((q, c) => {
        const b = (bodyJson(q) ?? {}) as { market?: string; asset_id?: string };
        const ids = ex
          .liveOrders((o) => o.owner === c.key && (!b.market || o.conditionId === b.market) && (!b.asset_id || o.tokenId === b.asset_id))
          .map((o) => o.id);
        return json(200, ex.cancel(ids, c.key));
      }),
    )
    .add(
      'GET',
      '/data/orders',
      l2((q, c) => {
        const id = q.query.get('id');
        const market = q.query.get('market');
        const asset = q.query.get('asset_id');
        const list = ex.liveOrders(
          (o) => o.owner === c.key && (!id || o.id === id) && (!market || o.conditionId === market) && (!asset || o.tokenId === asset),
        );
        return json(200, paginate(list.map(openOrderJson), q.query.get('next_cursor'), 500));
      }),
    )
    .add(
      'GET',
      '/data/order/:id',
      l2((q, c) => {
        const o = ex.orders.get(q.params.id!);
        // The real CLOB answers an unknown id with an empty body (null); keep that.
        return json(200, o && o.owner === c.key ? openOrderJson(o) : null);
      }),
    )
    .add(
      'GET',
      '/data/trades',
      l2((q, c) => {
        const id = q.query.get('id');
        const market = q.query.get('market');
        const asset = q.query.get('asset_id');
        const before = Number(q.query.get('before') ?? Infinity);
        const after = Number(q.query.get('after') ?? -Infinity);
        const viewer = { address: ex.accounts.funderOf(c.address), key: c.key };
        const list = tradesOf(c)
          .filter((g) => {
            const f = g[0]!;
            const sec = f.tsMs / 1000;
            return (
              (!id || f.tradeId === id) &&
              (!market || f.conditionId === market) &&
              (!asset || f.tokenId === asset) &&
              sec < before &&
              sec > after
            );
          })
          .reverse()
          .map((g) => tradeJson(g, viewer, ctx.now()));
        return json(200, paginate(list, q.query.get('next_cursor'), 500));
      }),
    )
    .add(
      'GET',
      '/data/pre-migration-orders',
      l2((q) => json(200, paginate([], q.query.get('next_cursor'), 500))),
    )
    .add(
      'GET',
      '/balance-allowance',
      l2((q, c) => balance(q, c)),
    )
    .add(
      'GET',
      '/balance-allowance/update',
      l2(async (q, c) => {
        if (ctx.chain) await ctx.chain.refresh(ex.accounts.funderOf(c.address));
        return balance(q, c);
      }),
    )
    .add(
      'POST',
      '/v1/heartbeats',
      l2((_q, c) => {
        ctx.heartbeats.set(c.key, ctx.now());
        return json(200, { heartbeat_id: ex.uuid('heartbeat') });
      }),
    )
    .add(
      'GET',
      '/order-scoring',
      l2(() => json(200, { scoring: false })),
    )
    .add(
      'GET',
      '/notifications',
      l2(() => json(200, [])),
    )
    .add(
      'DELETE',
      '/notifications',
      l2(() => text(200, 'OK')),
    );

  function balance(q: Req, c: ApiCreds): Reply {
    const type = (q.query.get('asset_type') ?? '').toUpperCase();
    const holder = ex.accounts.funderOf(c.address);
    const zero = ctx.faults.zeroBalance(holder);
    let micros: number;
    if (type === 'COLLATERAL') micros = ex.accounts.get(holder).usdcMicros;
    else if (type === 'CONDITIONAL') {
      const token = q.query.get('token_id') ?? '';
      if (!ex.market(token)) return error(400, 'Invalid token id');
      micros = ex.accounts.tokenBalance(holder, token);
    } else return error(400, 'Invalid asset type');
    const allowance = zero ? '0' : MAX_ALLOWANCE;
    let allowances = Object.fromEntries(SPENDERS.map((s) => [s, allowance]));
    if (ctx.chain) {
      // The chain's own contracts, as cached at the wallet's last /balance-allowance/update.
      const a = ctx.chain.allowancesOf(holder);
      const spenders = [ctx.chain.contracts.exchange, ctx.chain.contracts.negRiskExchange, ctx.chain.contracts.negRiskAdapter];
      allowances = Object.fromEntries(
        spenders.map((s) => [s, type === 'COLLATERAL' ? String(a.collateral.get(s) ?? 0n) : a.operators.get(s) ? MAX_ALLOWANCE : '0']),
      );
    }
    return json(200, {
      balance: String(zero ? 0 : Math.max(0, micros)),
      allowances,
    });
  }
}
