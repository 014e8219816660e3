/**
 * Which `markets` rows an import writes, and when. Gamma metadata is used as given; a market seen
 * only in trades (or a resolutions file) gets a minimal row marked `inferred`: the tokens seen with
 * their outcomes, min size 5, tick 0.01 (0.001 when a trade price has a third decimal, as
 * Polymarket allows near 0 and 1). A market row is stamped with its first event's time, so replay
 * meets the metadata right before the market's first trade.
 */
import type { MarketInfo, TokenInfo } from '../core/types.ts';
import { DEFAULT_MIN_ORDER_SIZE_MICROS, DEFAULT_TICK_MICROS } from '../polymarket/market-defaults.ts';
import type { Collected, CollectedTrade } from './collect.ts';

export interface PlannedMarket {
  market: MarketInfo;
  tsMs: number;
  inferred: boolean;
  source: string;
  raw?: string;
}

export interface MarketPlan {
  markets: PlannedMarket[];
  tokensByCondition: Map<string, TokenInfo[]>;
  lastEventMs: Map<string, number>;
  recordingEndMs: number | undefined;
}

interface SeenToken extends TokenInfo {
  index?: number;
}

export function planMarkets(collected: Collected[], trades: CollectedTrade[], existing: Set<string>): MarketPlan {
  const gamma = new Map<string, { c: Collected; m: Collected['markets'][number] }>();
  for (const c of collected) for (const m of c.markets) gamma.set(m.gamma.market.conditionId, { c, m });

  const tokens = new Map<string, SeenToken[]>();
  const tokenCondition = new Map<string, string>();
  const addToken = (conditionId: string, t: SeenToken) => {
    tokenCondition.set(t.tokenId, conditionId);
    const list = tokens.get(conditionId) ?? [];
    if (!tokens.has(conditionId)) tokens.set(conditionId, list);
    const known = list.find((x) => x.tokenId === t.tokenId);
    if (!known) list.push({ ...t });
    else if (known.index === undefined && t.index !== undefined) known.index = t.index;
  };
  for (const { m } of gamma.values()) m.gamma.market.tokens.forEach((t, i) => addToken(m.gamma.market.conditionId, { ...t, index: i }));
  for (const t of trades)
    addToken(t.trade.conditionId, { tokenId: t.trade.tokenId, outcome: t.trade.outcome, index: t.trade.outcomeIndex });
  for (const c of collected)
    for (const r of c.resolutions) for (const t of r.tokens) addToken(r.conditionId, { tokenId: t.tokenId, outcome: t.outcome });
  for (const c of collected)
    for (const s of c.snapshots) if (s.conditionId && !tokenCondition.has(s.tokenId)) tokenCondition.set(s.tokenId, s.conditionId);

  const first = new Map<string, number>();
  const last = new Map<string, number>();
  let start: number | undefined;
  let end: number | undefined;
  const see = (conditionId: string | undefined, ts: number) => {
    start = start === undefined ? ts : Math.min(start, ts);
    end = end === undefined ? ts : Math.max(end, ts);
    if (conditionId === undefined) return;
    first.set(conditionId, Math.min(first.get(conditionId) ?? ts, ts));
    last.set(conditionId, Math.max(last.get(conditionId) ?? ts, ts));
  };
  for (const t of trades) see(t.trade.conditionId, t.tsMs);
  for (const c of collected) {
    for (const e of [...c.snapshots, ...c.changes, ...c.prints]) see(tokenCondition.get(e.tokenId), e.tsRecv);
  }

  const markets: PlannedMarket[] = [];
  for (const [conditionId, { c, m }] of gamma) {
    const ts = first.get(conditionId) ?? m.gamma.startMs ?? m.gamma.resolvedMs ?? start ?? 0;
    markets.push({ market: m.gamma.market, tsMs: ts, inferred: false, source: c.source, raw: m.raw });
  }
  const inferredFrom = new Map<string, { source: string; slug?: string; question?: string }>();
  for (const t of trades) {
    if (!inferredFrom.has(t.trade.conditionId))
      inferredFrom.set(t.trade.conditionId, { source: 'inferred', slug: t.trade.slug, question: t.trade.title });
  }
  for (const c of collected) {
    for (const r of c.resolutions) {
      const known = inferredFrom.get(r.conditionId);
      if (!known) inferredFrom.set(r.conditionId, { source: 'inferred', slug: r.slug, question: r.question });
      else {
        known.slug ??= r.slug;
        known.question ??= r.question;
      }
    }
  }
  for (const [conditionId, info] of inferredFrom) {
    if (gamma.has(conditionId) || existing.has(conditionId)) continue;
    const seen = tokens.get(conditionId) ?? [];
    if (seen.length === 0) continue;
    const ordered = [...seen].sort((a, b) => (a.index ?? 99) - (b.index ?? 99));
    markets.push({
      market: {
        conditionId,
        slug: info.slug,
        question: info.question,
        tokens: ordered.map((t) => ({ tokenId: t.tokenId, outcome: t.outcome })),
        negRisk: false,
        tickMicros: inferTick(trades.filter((t) => t.trade.conditionId === conditionId).map((t) => t.trade.priceMicros)),
        minOrderSizeMicros: DEFAULT_MIN_ORDER_SIZE_MICROS,
      },
      tsMs: first.get(conditionId) ?? start ?? 0,
      inferred: true,
      source: info.source,
    });
  }
  markets.sort((a, b) => a.tsMs - b.tsMs || a.market.conditionId.localeCompare(b.market.conditionId));
  const tokensByCondition = new Map([...tokens].map(([k, v]) => [k, v.map(({ tokenId, outcome }) => ({ tokenId, outcome }))]));
  return { markets, tokensByCondition, lastEventMs: last, recordingEndMs: end };
}

/** The finer tick some markets switch to near 0 and 1. */
const FINE_TICK_MICROS = 1_000;

/**
 * 0.001 if any trade price sits on the 0.001 grid but off the 0.01 grid (the market had the fine tick
 * then); else 0.01. Averaged prices (0.968534758) are on neither grid and are ignored.
 */
function inferTick(prices: number[]): number {
  return prices.some((p) => p % FINE_TICK_MICROS === 0 && p % DEFAULT_TICK_MICROS !== 0) ? FINE_TICK_MICROS : DEFAULT_TICK_MICROS;
}
