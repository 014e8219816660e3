/** Data API (`/activity`, `/trades`, `/positions`, `/value`, `/traded`) over the sandbox ledger. */
import type { SandboxContext } from '../context.ts';
import type { LedgerFill, SandboxMarket } from '../exchange/types.ts';
import { type Req, type Router, error, json } from './router.ts';

export interface Row {
  wallet: string;
  side: 'BUY' | 'SELL';
  taker: boolean;
  fill: LedgerFill;
}

const csv = (v: string | null) =>
  v
    ? v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : [];

/** Current price of a token: payout once resolved, else last trade, else synthetic fair value. */
export function currentPrice(ctx: SandboxContext, m: SandboxMarket, index: 0 | 1): number {
  if (m.payoutMicros) return m.payoutMicros[index];
  const last = ctx.exchange.lastTrade.get(m.tokenIds[index]);
  if (last) return last.priceMicros;
  return index === 0 ? m.fairMicros : 1_000_000 - m.fairMicros;
}

/** Both sides of every settled fill (the Data API shows trades once they are on chain). */
export function settledRows(ctx: SandboxContext): Row[] {
  const now = ctx.now();
  const out: Row[] = [];
  for (const f of ctx.exchange.ledger) {
    if (f.settledAtMs > now || f.forcedStatus === 'FAILED') continue;
    out.push({ wallet: f.takerAddress, side: f.takerSide, taker: true, fill: f });
    out.push({ wallet: f.makerAddress, side: f.takerSide === 'BUY' ? 'SELL' : 'BUY', taker: false, fill: f });
  }
  return out;
}

/** One wallet's side of a fill as a v1 `/trades` row (camelCase). */
export function tradeJson(ctx: SandboxContext, row: Row) {
  const ex = ctx.exchange;
  const f = row.fill;
  const m = ex.markets.get(f.conditionId)!;
  const acct = ex.accounts.get(row.wallet);
  return {
    proxyWallet: row.wallet,
    side: row.side,
    asset: f.tokenId,
    conditionId: f.conditionId,
    size: f.sizeMicros / 1e6,
    price: f.priceMicros / 1e6,
    timestamp: Math.floor(f.tsMs / 1000),
    title: m.question,
    slug: m.slug,
    icon: '',
    eventSlug: m.eventSlug,
    outcome: f.outcome,
    outcomeIndex: f.outcomeIndex,
    name: acct.name,
    pseudonym: acct.pseudonym,
    bio: '',
    profileImage: '',
    profileImageOptimized: '',
    transactionHash: f.txHash,
  };
}

export function registerDataApi(r: Router, ctx: SandboxContext): void {
  const rows = (): Row[] => settledRows(ctx);
  const base = (row: Row) => tradeJson(ctx, row);
  const userParam = (q: Req): string | undefined => {
    const u = q.query.get('user');
    return u && /^0x[0-9a-fA-F]{40}$/.test(u) ? u.toLowerCase() : undefined;
  };
  /** limit/offset with the real caps; offsets past the cap repeat the capped page (or 400, per scenario). */
  const window = (q: Req, defLimit: number, maxLimit: number): { limit: number; offset: number } | string => {
    const limit = Math.min(maxLimit, Math.max(1, Number(q.query.get('limit') ?? defLimit) || defLimit));
    let offset = Math.max(0, Number(q.query.get('offset') ?? 0) || 0);
    const cap = ctx.scenario.dataApi.offsetCap;
    if (offset > cap) {
      if (ctx.scenario.dataApi.offsetCapMode === 'error') return `offset must be <= ${cap}`;
      offset = cap;
    }
    return { limit, offset };
  };

  r.add('GET', '/', () => json(200, { data: 'OK' }))
    .add('GET', '/activity', async (q) => {
      await chainCaughtUp(ctx);
      const user = userParam(q);
      if (!user) return error(400, 'user: invalid or missing address');
      const w = window(q, 100, 500);
      if (typeof w === 'string') return error(400, w);
      const markets = csv(q.query.get('market'));
      const types = csv(q.query.get('type')).map((t) => t.toUpperCase());
      const side = q.query.get('side')?.toUpperCase();
      const start = Number(q.query.get('start') ?? 0);
      const end = Number(q.query.get('end') ?? Number.MAX_SAFE_INTEGER);
      let list = rows()
        .filter((x) => x.wallet === user && (markets.length === 0 || markets.includes(x.fill.conditionId)))
        .filter((x) => (types.length === 0 || types.includes('TRADE')) && (!side || x.side === side))
        .filter((x) => x.fill.tsMs / 1000 >= start && x.fill.tsMs / 1000 <= end)
        .map((x) => {
          const b = base(x);
          return { ...b, type: 'TRADE', usdcSize: Math.round((x.fill.sizeMicros * x.fill.priceMicros) / 1e6) / 1e6 };
        });
      const sortBy = (q.query.get('sortBy') ?? 'TIMESTAMP').toUpperCase();
      const key = (a: (typeof list)[number]) => (sortBy === 'TOKENS' ? a.size : sortBy === 'CASH' ? a.usdcSize : a.timestamp);
      const asc = (q.query.get('sortDirection') ?? 'DESC').toUpperCase() === 'ASC';
      // Stable sort on ledger order keeps equal timestamps in a repeatable order.
      list = list
        .map((a, i) => ({ a, i }))
        .sort((x, y) => (asc ? key(x.a) - key(y.a) || x.i - y.i : key(y.a) - key(x.a) || y.i - x.i))
        .map((x) => x.a);
      const withRedeems: unknown[] =
        ctx.chain && (types.length === 0 || types.includes('REDEEM')) ? [...redeemRows(ctx, user), ...list] : list;
      return json(200, withRedeems.slice(w.offset, w.offset + w.limit));
    })
    .add('GET', '/trades', (q) => {
      const user = q.query.get('user') ? userParam(q) : undefined;
      if (q.query.get('user') && !user) return error(400, 'user: invalid address');
      const w = window(q, 100, 10_000);
      if (typeof w === 'string') return error(400, w);
      const takerOnly = (q.query.get('takerOnly') ?? 'true') !== 'false';
      const markets = csv(q.query.get('market'));
      const side = q.query.get('side')?.toUpperCase();
      const list = rows()
        .filter(
          (x) =>
            (!user || x.wallet === user) &&
            (!takerOnly || x.taker) &&
            (markets.length === 0 || markets.includes(x.fill.conditionId)) &&
            (!side || x.side === side),
        )
        .reverse()
        .map(base);
      return json(200, list.slice(w.offset, w.offset + w.limit));
    })
    .add('GET', '/positions', async (q) => {
      await chainCaughtUp(ctx);
      const user = userParam(q);
      if (!user) return error(400, 'user: invalid or missing address');
      const threshold = Number(q.query.get('sizeThreshold') ?? 1);
      const onlyRedeemable = q.query.get('redeemable') === 'true';
      const markets = csv(q.query.get('market'));
      const list = positionsOf(ctx, user).filter(
        (p) => p.size >= threshold && (!onlyRedeemable || p.redeemable) && (markets.length === 0 || markets.includes(p.conditionId)),
      );
      const w = window(q, 100, 500);
      if (typeof w === 'string') return error(400, w);
      return json(200, list.slice(w.offset, w.offset + w.limit));
    })
    .add('GET', '/value', async (q) => {
      await chainCaughtUp(ctx);
      const user = userParam(q);
      if (!user) return error(400, 'user: invalid or missing address');
      const value = positionsOf(ctx, user).reduce((s, p) => s + p.currentValue, 0);
      return json(200, [{ user, value: Math.round(value * 1e6) / 1e6 }]);
    })
    .add('GET', '/traded', (q) => {
      const user = userParam(q);
      if (!user) return error(400, 'user: invalid or missing address');
      const markets = new Set(
        rows()
          .filter((x) => x.wallet === user)
          .map((x) => x.fill.conditionId),
      );
      return json(200, { user, traded: markets.size });
    });
}

/**
 * Redemptions mined up to the chain's head are booked before positions or activity are answered: a
 * redeemed position is never listed as redeemable once its receipt is out. Bounded, so a stalled node
 * answers from what was read (the timed watch catches up later).
 */
async function chainCaughtUp(ctx: SandboxContext): Promise<void> {
  if (!ctx.chain) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([ctx.chain.catchUp().catch(() => undefined), new Promise<void>((resolve) => (timer = setTimeout(resolve, 2000)))]);
  clearTimeout(timer);
}

/** Positions of a wallet rebuilt from its fills (average cost on buys, realized PnL on sells). */
export function positionsOf(ctx: SandboxContext, user: string) {
  const ex = ctx.exchange;
  const byToken = new Map<string, { size: number; cost: number; bought: number; realized: number }>();
  for (const f of ex.ledger) {
    if (f.forcedStatus === 'FAILED') continue;
    const isTaker = f.takerAddress === user;
    if (!isTaker && f.makerAddress !== user) continue;
    const side = isTaker ? f.takerSide : f.takerSide === 'BUY' ? 'SELL' : 'BUY';
    const p = byToken.get(f.tokenId) ?? { size: 0, cost: 0, bought: 0, realized: 0 };
    const usdc = (f.sizeMicros * f.priceMicros) / 1e12;
    const size = f.sizeMicros / 1e6;
    if (side === 'BUY') {
      p.size += size;
      p.cost += usdc;
      p.bought += size;
    } else if (p.size > 0) {
      const avg = p.cost / p.size;
      const sold = Math.min(size, p.size);
      p.realized += sold * (f.priceMicros / 1e6 - avg);
      p.cost -= avg * sold;
      p.size -= sold;
    }
    byToken.set(f.tokenId, p);
  }
  const r6 = (x: number) => Math.round(x * 1e6) / 1e6;
  const out = [];
  for (const [tokenId, p] of byToken) {
    if (p.size <= 1e-9) continue;
    const { market: m, index } = ex.market(tokenId)!;
    // Redeemed on the sandbox chain: the position is gone (the Data API lists REDEEM activity instead).
    if (ctx.chain?.redeemed.has(`${user}:${m.conditionId.toLowerCase()}`)) continue;
    const cur = currentPrice(ctx, m, index) / 1e6;
    const avg = p.cost / p.size;
    const currentValue = p.size * cur;
    out.push({
      proxyWallet: user,
      asset: tokenId,
      conditionId: m.conditionId,
      size: r6(p.size),
      avgPrice: r6(avg),
      initialValue: r6(p.cost),
      currentValue: r6(currentValue),
      cashPnl: r6(currentValue - p.cost),
      percentPnl: p.cost > 0 ? r6(((currentValue - p.cost) / p.cost) * 100) : 0,
      totalBought: r6(p.bought),
      realizedPnl: r6(p.realized),
      percentRealizedPnl: p.cost > 0 ? r6((p.realized / p.cost) * 100) : 0,
      curPrice: r6(cur),
      redeemable: m.status === 'resolved',
      mergeable: false,
      title: m.question,
      slug: m.slug,
      icon: '',
      eventId: m.eventId,
      eventSlug: m.eventSlug,
      outcome: m.outcomes[index],
      outcomeIndex: index,
      oppositeOutcome: m.outcomes[1 - index],
      oppositeAsset: m.tokenIds[1 - index],
      endDate: m.endDateIso.slice(0, 10),
      negativeRisk: m.negRisk,
    });
  }
  return out;
}

/** REDEEM activity rows for redemptions the sandbox chain saw (one per redemption, usdcSize = payout). */
function redeemRows(ctx: SandboxContext, user: string) {
  const ex = ctx.exchange;
  return (ctx.chain?.redeems ?? [])
    .filter((r) => r.redeemer === user)
    .reverse()
    .map((r) => {
      const m = [...ex.markets.values()].find((x) => x.conditionId.toLowerCase() === r.conditionId);
      return {
        proxyWallet: user,
        timestamp: Math.floor(r.tsMs / 1000),
        conditionId: m?.conditionId ?? r.conditionId,
        type: 'REDEEM',
        size: r.payoutMicros / 1e6,
        usdcSize: r.payoutMicros / 1e6,
        transactionHash: r.txHash,
        price: 0,
        asset: '',
        side: '',
        outcomeIndex: 999,
        title: m?.question ?? '',
        slug: m?.slug ?? '',
        eventSlug: m?.eventSlug ?? '',
        outcome: '',
      };
    });
}
