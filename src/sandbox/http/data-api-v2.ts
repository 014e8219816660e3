/**
 * The Data API's leaderboard (`/v1/leaderboard`) and its 2026 `/v2` family as the sandbox serves them:
 * v2 answers are wrapped as `{data, pagination: {next_cursor, has_more}}` with snake_case fields and
 * cursor paging (the cursor is an opaque token, here the next offset in base64url).
 */
import type { SandboxContext } from '../context.ts';
import { currentPrice, settledRows, tradeJson, type Row } from './data-api.ts';
import { type Req, type Router, error, json } from './router.ts';

const PERIOD_MS: Record<string, number> = { DAY: 86_400_000, WEEK: 7 * 86_400_000, MONTH: 30 * 86_400_000, ALL: Number.POSITIVE_INFINITY };

interface Standing {
  wallet: string;
  volumeMicros: number;
  pnlMicros: number;
}

/** Every wallet's volume and PnL (realized + open positions at the current price) over the period. */
export function standings(ctx: SandboxContext, periodMs: number): Standing[] {
  const ex = ctx.exchange;
  const since = ctx.now() - periodMs;
  const byWallet = new Map<string, { volume: number; cash: number; tokens: Map<string, number> }>();
  for (const row of settledRows(ctx)) {
    const f = row.fill;
    if (f.tsMs < since) continue;
    const w = byWallet.get(row.wallet) ?? { volume: 0, cash: 0, tokens: new Map<string, number>() };
    const usdc = (f.sizeMicros * f.priceMicros) / 1e6;
    w.volume += usdc;
    w.cash += row.side === 'BUY' ? -usdc : usdc;
    w.tokens.set(f.tokenId, (w.tokens.get(f.tokenId) ?? 0) + (row.side === 'BUY' ? f.sizeMicros : -f.sizeMicros));
    byWallet.set(row.wallet, w);
  }
  const out: Standing[] = [];
  for (const [wallet, w] of byWallet) {
    let value = 0;
    for (const [token, size] of w.tokens) {
      const found = ex.market(token);
      if (found) value += (size * currentPrice(ctx, found.market, found.index)) / 1e6;
    }
    out.push({ wallet, volumeMicros: Math.round(w.volume), pnlMicros: Math.round(w.cash + value) });
  }
  return out;
}

function ranked(ctx: SandboxContext, period: string, orderBy: string): Standing[] | string {
  const ms = PERIOD_MS[period.toUpperCase()];
  if (ms === undefined) return `timePeriod: expected one of DAY, WEEK, MONTH, ALL`;
  const key = orderBy.toUpperCase();
  if (key !== 'PNL' && key !== 'VOL' && key !== 'VOLUME') return `orderBy: expected PNL or VOL`;
  const by = (s: Standing) => (key === 'PNL' ? s.pnlMicros : s.volumeMicros);
  return standings(ctx, ms).sort((a, b) => by(b) - by(a) || (a.wallet < b.wallet ? -1 : 1));
}

const cursorOf = (offset: number) => Buffer.from(`o:${offset}`).toString('base64url');
function offsetOf(cursor: string | null): number | undefined {
  if (!cursor) return 0;
  const m = /^o:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString());
  return m ? Number(m[1]) : undefined;
}

function page<T>(q: Req, list: T[], maxLimit: number) {
  const limit = Math.min(maxLimit, Math.max(1, Number(q.query.get('limit') ?? 100) || 100));
  const offset = offsetOf(q.query.get('cursor'));
  if (offset === undefined) return undefined;
  const data = list.slice(offset, offset + limit);
  const more = offset + limit < list.length;
  return { data, pagination: { next_cursor: more ? cursorOf(offset + limit) : null, has_more: more } };
}

const snake = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), v]));

export function registerDataApiV2(r: Router, ctx: SandboxContext): void {
  const name = (wallet: string) => ctx.exchange.accounts.get(wallet).pseudonym;
  r.add('GET', '/v1/leaderboard', (q) => {
    const list = ranked(ctx, q.query.get('timePeriod') ?? 'DAY', q.query.get('orderBy') ?? 'PNL');
    if (typeof list === 'string') return error(400, list);
    const limit = Math.min(50, Math.max(1, Number(q.query.get('limit') ?? 25) || 25));
    const offset = Math.max(0, Number(q.query.get('offset') ?? 0) || 0);
    if (offset > 1000) return error(400, 'offset must be <= 1000');
    return json(
      200,
      list.slice(offset, offset + limit).map((s, i) => ({
        rank: String(offset + i + 1),
        proxyWallet: s.wallet,
        userName: name(s.wallet),
        vol: s.volumeMicros / 1e6,
        pnl: s.pnlMicros / 1e6,
        profileImage: '',
        xUsername: '',
        verifiedBadge: false,
      })),
    );
  })
    .add('GET', '/v2/leaderboard', (q) => {
      const list = ranked(ctx, q.query.get('time_period') ?? 'day', q.query.get('sort_by') ?? 'PNL');
      if (typeof list === 'string') return error(400, list.replace('timePeriod', 'time_period').replace('orderBy', 'sort_by'));
      const rows = list.map((s, i) => ({
        rank: i + 1,
        proxy_wallet: s.wallet,
        user_name: name(s.wallet),
        volume: s.volumeMicros / 1e6,
        pnl: s.pnlMicros / 1e6,
      }));
      const body = page(q, rows, 100);
      return body ? json(200, body) : error(400, 'cursor: invalid');
    })
    .add('GET', '/v2/activity', (q) => {
      const user = q.query.get('user')?.toLowerCase();
      if (!user || !/^0x[0-9a-f]{40}$/.test(user)) return error(400, 'user: invalid or missing address');
      const start = Number(q.query.get('start') ?? 0);
      const end = Number(q.query.get('end') ?? Number.MAX_SAFE_INTEGER);
      const asc = (q.query.get('sort_direction') ?? 'DESC').toUpperCase() === 'ASC';
      const mine: Row[] = settledRows(ctx).filter((x) => x.wallet === user && x.fill.tsMs / 1000 >= start && x.fill.tsMs / 1000 <= end);
      if (!asc) mine.reverse();
      const rows = mine.map((x) =>
        snake({ ...tradeJson(ctx, x), type: 'TRADE', usdcSize: Math.round((x.fill.sizeMicros * x.fill.priceMicros) / 1e6) / 1e6 }),
      );
      const body = page(q, rows, 500);
      return body ? json(200, body) : error(400, 'cursor: invalid');
    });
}
