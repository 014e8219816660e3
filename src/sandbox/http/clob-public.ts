/** Public CLOB endpoints: server info, market parameters, books and prices. */
import type { SandboxContext } from '../context.ts';
import { tickText } from '../exchange/exchange-rules.ts';
import type { SandboxMarket } from '../exchange/types.ts';
import { type Reply, type Req, type Router, error, json, text } from './router.ts';
import { bookJson, dec, paginate } from './views.ts';

export function clobMarketCompact(m: SandboxMarket): Record<string, unknown> {
  return {
    c: m.conditionId,
    t: m.tokenIds.map((t, i) => ({ t, o: m.outcomes[i] })),
    mts: Number(tickText(m.tickMicros)),
    nr: m.negRisk,
    fd: { r: m.feeRate, e: m.feeExponent, to: true },
    mbf: 0,
    tbf: 0,
    r: null,
    ao: m.status === 'open',
    mos: m.minOrderSizeMicros / 1e6,
    sd: 0,
    gst: null,
    cbos: false,
    aot: new Date(m.createdAtMs).toISOString(),
    rfqe: false,
    itode: false,
    ibce: false,
  };
}

export function clobMarketFull(ctx: SandboxContext, m: SandboxMarket): Record<string, unknown> {
  const ex = ctx.exchange;
  return {
    enable_order_book: m.tradable,
    active: m.status === 'open',
    closed: m.status !== 'open',
    archived: false,
    accepting_orders: m.status === 'open',
    accepting_order_timestamp: new Date(m.createdAtMs).toISOString(),
    minimum_order_size: m.minOrderSizeMicros / 1e6,
    minimum_tick_size: Number(tickText(m.tickMicros)),
    condition_id: m.conditionId,
    question_id: m.questionId,
    question: m.question,
    description: `Sandbox market: ${m.question}`,
    market_slug: m.slug,
    end_date_iso: m.endDateIso,
    game_start_time: null,
    seconds_delay: 0,
    fpmm: '',
    maker_base_fee: 0,
    taker_base_fee: Math.round(m.feeRate * 10_000),
    notifications_enabled: true,
    neg_risk: m.negRisk,
    neg_risk_market_id: '',
    neg_risk_request_id: '',
    icon: '',
    image: '',
    rewards: { rates: null, min_size: 0, max_spread: 0 },
    is_50_50_outcome: false,
    tokens: m.tokenIds.map((t, i) => ({
      token_id: t,
      outcome: m.outcomes[i],
      price: m.payoutMicros
        ? m.payoutMicros[i]! / 1e6
        : (ex.lastTrade.get(t)?.priceMicros ?? (i === 0 ? m.fairMicros : 1e6 - m.fairMicros)) / 1e6,
      winner: m.payoutMicros ? m.payoutMicros[i] === 1_000_000 : false,
    })),
    tags: ['Sandbox'],
  };
}

export function registerClobPublic(r: Router, ctx: SandboxContext): void {
  const ex = ctx.exchange;
  const tokenParam = (req: Req) => req.query.get('token_id') ?? req.params.token ?? '';
  /** Resolves a token to its open book, or the real error reply. */
  const withBook = (token: string, fn: (m: SandboxMarket) => Reply): Reply => {
    if (!/^\d+$/.test(token)) return error(400, 'Invalid token id');
    const where = ex.market(token);
    if (!where || !where.market.tradable || where.market.status === 'resolved')
      return error(404, 'No orderbook exists for the requested token id');
    return fn(where.market);
  };
  const withMarket = (token: string, fn: (m: SandboxMarket) => Reply): Reply => {
    if (!/^\d+$/.test(token)) return error(400, 'Invalid token id');
    const where = ex.market(token);
    return where ? fn(where.market) : error(404, 'market not found');
  };
  const best = (token: string, side: 'BUY' | 'SELL') => ex.books.get(token)?.best(side);
  const bodyTokens = (req: Req): { token_id: string; side?: string }[] => {
    try {
      const v = JSON.parse(req.rawBody) as unknown;
      return Array.isArray(v) ? (v as { token_id: string; side?: string }[]) : [];
    } catch {
      return [];
    }
  };
  const mid = (t: string) => {
    const b = best(t, 'BUY');
    const a = best(t, 'SELL');
    return b !== undefined && a !== undefined ? dec(Math.round((a + b) / 2)) : undefined;
  };
  const spread = (t: string) => {
    const b = best(t, 'BUY');
    const a = best(t, 'SELL');
    return b !== undefined && a !== undefined ? dec(a - b) : undefined;
  };
  const last = (t: string) => {
    const l = ex.lastTrade.get(t);
    return l ? { price: dec(l.priceMicros), side: l.side } : { price: '0.5', side: '' };
  };

  r.add('GET', '/', () => json(200, 'OK'))
    .add('GET', '/ok', () => json(200, 'OK'))
    .add('GET', '/time', () => text(200, String(Math.floor((ctx.now() + ctx.faults.clockSkewMs()) / 1000))))
    .add('GET', '/version', () => json(200, { version: 2 }))
    .add('GET', '/tick-size', (q) => withMarket(tokenParam(q), (m) => json(200, { minimum_tick_size: Number(tickText(m.tickMicros)) })))
    .add('GET', '/tick-size/:token', (q) =>
      withMarket(tokenParam(q), (m) => json(200, { minimum_tick_size: Number(tickText(m.tickMicros)) })),
    )
    .add('GET', '/neg-risk', (q) => withMarket(tokenParam(q), (m) => json(200, { neg_risk: m.negRisk })))
    .add('GET', '/neg-risk/:token', (q) => withMarket(tokenParam(q), (m) => json(200, { neg_risk: m.negRisk })))
    .add('GET', '/fee-rate', (q) => withMarket(tokenParam(q), (m) => json(200, { base_fee: Math.round(m.feeRate * 10_000) })))
    .add('GET', '/fee-rate/:token', (q) => withMarket(tokenParam(q), (m) => json(200, { base_fee: Math.round(m.feeRate * 10_000) })))
    .add('GET', '/markets-by-token/:token', (q) => withMarket(q.params.token!, (m) => json(200, { condition_id: m.conditionId })))
    .add('GET', '/clob-markets/:cid', (q) => {
      const m = ex.markets.get(q.params.cid!);
      return m ? json(200, clobMarketCompact(m)) : error(404, 'market not found');
    })
    .add('GET', '/markets/:cid', (q) => {
      const m = ex.markets.get(q.params.cid!);
      return m ? json(200, clobMarketFull(ctx, m)) : error(404, 'market not found');
    })
    .add('GET', '/markets', (q) =>
      json(
        200,
        paginate(
          [...ex.markets.values()].map((m) => clobMarketFull(ctx, m)),
          q.query.get('next_cursor'),
          500,
        ),
      ),
    )
    .add('GET', '/book', (q) => withBook(tokenParam(q), () => json(200, bookJson(ex, tokenParam(q), ctx.now()))))
    .add('POST', '/books', (q) => {
      const items = bodyTokens(q);
      if (items.length === 0) return error(400, 'Invalid payload');
      return json(
        200,
        items.filter((i) => ex.books.has(String(i.token_id))).map((i) => bookJson(ex, String(i.token_id), ctx.now())),
      );
    })
    .add('GET', '/price', (q) =>
      withBook(tokenParam(q), () => {
        const side = (q.query.get('side') ?? '').toUpperCase();
        if (side !== 'BUY' && side !== 'SELL') return error(400, 'Invalid side');
        // side=BUY → best bid, side=SELL → best ask (the real, surprising convention).
        const p = best(tokenParam(q), side === 'BUY' ? 'BUY' : 'SELL');
        return p === undefined ? error(404, 'No orderbook exists for the requested token id') : json(200, { price: dec(p) });
      }),
    )
    .add('POST', '/prices', (q) => {
      const out: Record<string, Record<string, string>> = {};
      for (const i of bodyTokens(q)) {
        const side = (i.side ?? 'BUY').toUpperCase() as 'BUY' | 'SELL';
        const p = best(String(i.token_id), side);
        if (p !== undefined) (out[i.token_id] ??= {})[side] = dec(p);
      }
      return json(200, out);
    })
    .add('GET', '/midpoint', (q) =>
      withBook(tokenParam(q), () => {
        const m = mid(tokenParam(q));
        return m === undefined ? error(404, 'No orderbook exists for the requested token id') : json(200, { mid: m });
      }),
    )
    .add('POST', '/midpoints', (q) =>
      json(200, Object.fromEntries(bodyTokens(q).flatMap((i) => (mid(i.token_id) ? [[i.token_id, mid(i.token_id)]] : [])))),
    )
    .add('GET', '/spread', (q) =>
      withBook(tokenParam(q), () => {
        const s = spread(tokenParam(q));
        return s === undefined ? error(404, 'No orderbook exists for the requested token id') : json(200, { spread: s });
      }),
    )
    .add('POST', '/spreads', (q) =>
      json(200, Object.fromEntries(bodyTokens(q).flatMap((i) => (spread(i.token_id) ? [[i.token_id, spread(i.token_id)]] : [])))),
    )
    .add('GET', '/last-trade-price', (q) => withMarket(tokenParam(q), () => json(200, last(tokenParam(q)))))
    .add('POST', '/last-trades-prices', (q) =>
      json(
        200,
        bodyTokens(q).map((i) => ({ token_id: i.token_id, ...last(i.token_id) })),
      ),
    )
    .add('GET', '/prices-history', (q) => {
      const token = q.query.get('market') ?? '';
      const start = Number(q.query.get('startTs') ?? 0);
      const end = Number(q.query.get('endTs') ?? Number.MAX_SAFE_INTEGER);
      const history = ex.ledger
        .filter((f) => f.tokenId === token && f.tsMs / 1000 >= start && f.tsMs / 1000 <= end)
        .map((f) => ({ t: Math.floor(f.tsMs / 1000), p: f.priceMicros / 1e6 }));
      return json(200, { history });
    })
    .add('GET', '/fees/builder-fees/:code', () => json(200, { builder_maker_fee_rate_bps: 0, builder_taker_fee_rate_bps: 0 }));
}
