/** Gamma API (`/markets`, `/events`) with the real JSON-in-string fields. */
import type { SandboxContext } from '../context.ts';
import { tickText } from '../exchange/exchange-rules.ts';
import type { SandboxMarket } from '../exchange/types.ts';
import { currentPrice } from './data-api.ts';
import { type Req, type Router, error, json } from './router.ts';

const enc = (xs: string[]) => JSON.stringify(xs).replace(/","/g, '", "');
const num = (micros: number) => Math.round(micros) / 1e6;

export function gammaMarket(ctx: SandboxContext, m: SandboxMarket): Record<string, unknown> {
  const ex = ctx.exchange;
  const prices = [currentPrice(ctx, m, 0), currentPrice(ctx, m, 1)].map((p) => String(num(p)));
  const book = ex.books.get(m.tokenIds[0]);
  const bid = book?.best('BUY');
  const ask = book?.best('SELL');
  let volume = 0;
  for (const f of ex.ledger) if (f.conditionId === m.conditionId) volume += (f.sizeMicros * f.priceMicros) / 1e12;
  const last = ex.lastTrade.get(m.tokenIds[0]);
  const resolved = m.status === 'resolved';
  return {
    id: m.id,
    question: m.question,
    conditionId: m.conditionId,
    slug: m.slug,
    resolutionSource: '',
    endDate: m.endDateIso,
    liquidity: '0',
    startDate: new Date(m.createdAtMs).toISOString(),
    image: '',
    icon: '',
    description: `Sandbox market: ${m.question}`,
    outcomes: enc(m.outcomes),
    outcomePrices: enc(prices),
    volume: String(volume),
    active: m.status === 'open',
    closed: m.status !== 'open',
    marketMakerAddress: '',
    createdAt: new Date(m.createdAtMs).toISOString(),
    updatedAt: new Date(ctx.now()).toISOString(),
    archived: false,
    restricted: true,
    questionID: m.questionId,
    enableOrderBook: m.tradable,
    orderPriceMinTickSize: Number(tickText(m.tickMicros)),
    orderMinSize: m.minOrderSizeMicros / 1e6,
    volumeNum: volume,
    liquidityNum: 0,
    endDateIso: m.endDateIso.slice(0, 10),
    startDateIso: new Date(m.createdAtMs).toISOString().slice(0, 10),
    clobTokenIds: enc(m.tokenIds),
    acceptingOrders: m.status === 'open',
    negRisk: m.negRisk,
    negRiskMarketID: '',
    negRiskRequestID: '',
    bestBid: bid !== undefined ? num(bid) : 0,
    bestAsk: ask !== undefined ? num(ask) : 1,
    spread: bid !== undefined && ask !== undefined ? num(ask - bid) : 1,
    lastTradePrice: last ? num(last.priceMicros) : 0,
    umaResolutionStatus: resolved ? 'resolved' : '',
    closedTime: m.closedAtMs ? new Date(m.closedAtMs).toISOString() : null,
    feesEnabled: m.feeRate > 0,
    feeSchedule: { exponent: m.feeExponent, rate: m.feeRate, takerOnly: true, rebateRate: 0 },
    events: [{ id: m.eventId, ticker: m.eventSlug, slug: m.eventSlug, title: m.eventTitle }],
    version: 'v1',
  };
}

export function registerGamma(r: Router, ctx: SandboxContext): void {
  const ex = ctx.exchange;
  const all = (q: Req, key: string) =>
    q.query
      .getAll(key)
      .flatMap((v) => v.split(','))
      .filter(Boolean);
  const bool = (q: Req, key: string) => (q.query.has(key) ? q.query.get(key) === 'true' : undefined);
  const page = <T>(q: Req, list: T[]) => {
    const offset = Math.max(0, Number(q.query.get('offset') ?? 0) || 0);
    const limit = Math.max(1, Math.min(500, Number(q.query.get('limit') ?? 100) || 100));
    return list.slice(offset, offset + limit);
  };
  const events = () => {
    const byEvent = new Map<string, SandboxMarket[]>();
    for (const m of ex.markets.values()) byEvent.set(m.eventId, [...(byEvent.get(m.eventId) ?? []), m]);
    return [...byEvent.values()].map((ms) => {
      const m0 = ms[0]!;
      const open = ms.some((m) => m.status === 'open');
      return {
        id: m0.eventId,
        ticker: m0.eventSlug,
        slug: m0.eventSlug,
        title: m0.eventTitle,
        description: '',
        startDate: new Date(m0.createdAtMs).toISOString(),
        endDate: m0.endDateIso,
        active: open,
        closed: !open,
        archived: false,
        liquidity: 0,
        volume: 0,
        openInterest: 0,
        negRisk: m0.negRisk,
        enableNegRisk: m0.negRisk,
        negRiskMarketID: '',
        markets: ms.map((m) => gammaMarket(ctx, m)),
        tags: [],
      };
    });
  };

  r.add('GET', '/markets', (q) => {
    const slugs = all(q, 'slug');
    const ids = all(q, 'id');
    const cids = all(q, 'condition_ids');
    const tokens = all(q, 'clob_token_ids');
    const closed = bool(q, 'closed');
    const active = bool(q, 'active');
    const list = [...ex.markets.values()].filter(
      (m) =>
        (slugs.length === 0 || slugs.includes(m.slug)) &&
        (ids.length === 0 || ids.includes(m.id)) &&
        (cids.length === 0 || cids.includes(m.conditionId)) &&
        (tokens.length === 0 || m.tokenIds.some((t) => tokens.includes(t))) &&
        (closed === undefined || (m.status !== 'open') === closed) &&
        (active === undefined || (m.status === 'open') === active),
    );
    return json(
      200,
      page(q, list).map((m) => gammaMarket(ctx, m)),
    );
  })
    .add('GET', '/markets/slug/:slug', (q) => {
      const m = [...ex.markets.values()].find((x) => x.slug === q.params.slug);
      return m ? json(200, gammaMarket(ctx, m)) : error(404, 'not found');
    })
    .add('GET', '/markets/:id', (q) => {
      const m = [...ex.markets.values()].find((x) => x.id === q.params.id || x.conditionId === q.params.id);
      return m ? json(200, gammaMarket(ctx, m)) : error(404, 'not found');
    })
    .add('GET', '/events', (q) => {
      const slugs = all(q, 'slug');
      const closed = bool(q, 'closed');
      const list = events().filter((e) => (slugs.length === 0 || slugs.includes(e.slug)) && (closed === undefined || e.closed === closed));
      return json(200, page(q, list));
    })
    .add('GET', '/events/slug/:slug', (q) => {
      const e = events().find((x) => x.slug === q.params.slug);
      return e ? json(200, e) : error(404, 'not found');
    })
    .add('GET', '/events/:id', (q) => {
      const e = events().find((x) => x.id === q.params.id);
      return e ? json(200, e) : error(404, 'not found');
    });
}
