/** Sandbox-only control endpoints under /_sandbox, plus the polymarket.com geoblock check. */
import { toMicros } from '../../core/money.ts';
import type { SandboxContext } from '../context.ts';
import type { SandboxMarket } from '../exchange/types.ts';
import { type Req, type Router, error, json } from './router.ts';
import { dec, tradeStatus } from './views.ts';

export interface AdminHooks {
  reset(): void;
  stats(): Record<string, unknown>;
}

export function ledgerJson(ctx: SandboxContext, sinceSeq = 0) {
  return ctx.exchange.ledger
    .filter((f) => f.seq > sinceSeq)
    .map((f) => ({
      seq: f.seq,
      tradeId: f.tradeId,
      tsMs: f.tsMs,
      conditionId: f.conditionId,
      tokenId: f.tokenId,
      outcome: f.outcome,
      price: dec(f.priceMicros),
      size: dec(f.sizeMicros),
      priceMicros: f.priceMicros,
      sizeMicros: f.sizeMicros,
      takerSide: f.takerSide,
      taker: f.takerAddress,
      takerOrderId: f.takerOrderId,
      maker: f.makerAddress,
      makerOrderId: f.makerOrderId,
      feeMicros: f.feeMicros,
      txHash: f.txHash,
      status: tradeStatus(f, ctx.now()),
      source: f.source,
    }));
}

export function registerAdmin(r: Router, ctx: SandboxContext, hooks: AdminHooks): void {
  const body = (q: Req): Record<string, unknown> => {
    try {
      const v = JSON.parse(q.rawBody || '{}');
      return v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
    } catch {
      return {};
    }
  };
  const findMarket = (b: Record<string, unknown>): SandboxMarket | undefined =>
    [...ctx.exchange.markets.values()].find((m) => m.conditionId === b.conditionId || m.slug === b.slug);

  r.add('GET', '/_sandbox/state', () => {
    const ex = ctx.exchange;
    return json(200, {
      nowMs: ctx.now(),
      markets: [...ex.markets.values()].map((m) => ({
        slug: m.slug,
        conditionId: m.conditionId,
        tokenIds: m.tokenIds,
        outcomes: m.outcomes,
        status: m.status,
        tickSize: dec(m.tickMicros),
        negRisk: m.negRisk,
        fair: dec(m.fairMicros),
        bestBid: ex.books.get(m.tokenIds[0])?.best('BUY') ?? null,
        bestAsk: ex.books.get(m.tokenIds[0])?.best('SELL') ?? null,
        payout: m.payoutMicros?.map(dec) ?? null,
      })),
      accounts: ex.accounts.all().map((a) => ({
        address: a.address,
        name: a.name,
        usdc: dec(a.usdcMicros),
        synthetic: a.unlimited,
        tokens: Object.fromEntries([...a.tokens].filter(([, v]) => v !== 0).map(([k, v]) => [k, dec(v)])),
      })),
      openOrders: ex.liveOrders(() => true).length,
      fills: ex.ledger.length,
      faults: ctx.faults.list(),
      ...hooks.stats(),
    });
  })
    .add('GET', '/_sandbox/ledger', (q) => json(200, ledgerJson(ctx, Number(q.query.get('since') ?? 0) || 0)))
    .add('GET', '/_sandbox/faults', () => json(200, ctx.faults.list()))
    // What a session needs to use the local chain (config `chain`): endpoints, chain id and contracts.
    .add('GET', '/_sandbox/chain', () => {
      if (!ctx.chain) return error(404, 'this sandbox runs without a chain (start it with --chain)');
      const { rpcUrl, wsUrl, chainId, contracts } = ctx.chain.info;
      // The relayer's path on this sandbox's port, when there is one (proxy/Safe wallets use it).
      return json(200, { rpcUrl, wsUrl, chainId, contracts, ...(ctx.chain.relayer ? { relayerPath: '/relayer' } : {}) });
    })
    .add('POST', '/_sandbox/faults', (q) => {
      let input: unknown;
      try {
        input = JSON.parse(q.rawBody);
      } catch {
        return error(400, 'body must be a fault object or an array of them');
      }
      try {
        const added = (Array.isArray(input) ? input : [input]).map((f) => ctx.faults.add(f));
        return json(200, { added, active: ctx.faults.list() });
      } catch (err) {
        return error(400, (err as Error).message);
      }
    })
    .add('DELETE', '/_sandbox/faults', (q) => {
      const kind = q.query.get('kind') ?? undefined;
      ctx.faults.clear(kind as never);
      return json(200, { active: ctx.faults.list() });
    })
    .add('POST', '/_sandbox/reset', () => {
      hooks.reset();
      return json(200, { ok: true });
    })
    .add('POST', '/_sandbox/fund', (q) => {
      const b = body(q);
      if (typeof b.address !== 'string' || !/^0x[0-9a-fA-F]{40}$/.test(b.address)) return error(400, 'address: a 0x address is required');
      const acct = ctx.exchange.accounts.get(b.address);
      if (b.usdc !== undefined) acct.usdcMicros = toMicros(b.usdc as number);
      for (const [token, shares] of Object.entries((b.tokens ?? {}) as Record<string, number>)) {
        acct.tokens.set(token, toMicros(shares));
      }
      return json(200, { address: acct.address, usdc: dec(acct.usdcMicros) });
    })
    .add('POST', '/_sandbox/close', (q) => {
      const m = findMarket(body(q));
      if (!m) return error(404, 'market not found (give conditionId or slug)');
      ctx.exchange.closeMarket(m.conditionId);
      return json(200, { ok: true });
    })
    .add('POST', '/_sandbox/resolve', (q) => {
      const b = body(q);
      const m = findMarket(b);
      if (!m) return error(404, 'market not found (give conditionId or slug)');
      if (b.winner !== 0 && b.winner !== 1 && b.winner !== '50-50') return error(400, 'winner: 0, 1 or "50-50"');
      ctx.exchange.resolveMarket(m.conditionId, b.winner === '50-50' ? null : b.winner);
      return json(200, { ok: true });
    })
    .add('POST', '/_sandbox/tick-size', (q) => {
      const b = body(q);
      const m = findMarket(b);
      if (!m) return error(404, 'market not found (give conditionId or slug)');
      ctx.exchange.setTickSize(m.conditionId, toMicros(String(b.tickSize)));
      return json(200, { ok: true });
    })
    .add('POST', '/_sandbox/trade-status', (q) => {
      const b = body(q);
      const fills = ctx.exchange.ledger.filter((f) => f.tradeId === b.tradeId);
      if (fills.length === 0) return error(404, 'trade not found');
      for (const f of fills) f.forcedStatus = typeof b.status === 'string' ? b.status : undefined;
      return json(200, { ok: true });
    });
}

/** polymarket.com/api/geoblock (served on the same port under /api). */
export function registerWeb(r: Router, ctx: SandboxContext): void {
  r.add('GET', '/api/geoblock', () => {
    const g = ctx.faults.geoblock();
    return json(
      200,
      g?.blocked
        ? { blocked: true, ip: '127.0.0.1', country: g.country, region: g.region }
        : { blocked: false, ip: '127.0.0.1', country: 'PT', region: '11' },
    );
  });
}
