/**
 * The replay report as data: the `--json` shape promised to users, plus per-target and per-market
 * tables for the human report. USDC amounts are decimal numbers here (micros stay inside the engine).
 */
import { fromMicros, type Micros } from '../core/money.ts';
import type { EngineSnapshot } from '../core/control.ts';
import type { MarketRegistry } from '../core/market-registry.ts';
import type { PortfolioReader } from '../engine/portfolio.ts';
import { distribution, riskAdjusted, round, tradeStats } from './metrics.ts';
import type { RunCollector } from './run-collector.ts';

export interface RunInfo {
  id: string;
  /** Set for paper/live runs (a replay leaves it out). */
  mode?: string;
  fillModel: string;
  seed: number;
  config: unknown;
  recording?: string;
  from?: number;
  to?: number;
}

export interface PositionSummary {
  tokenId: string;
  conditionId: string;
  outcome: string;
  title?: string;
  size: number;
  avgPrice: number;
  realizedPnl: number;
  unrealizedPnl: number;
  settled: boolean;
}

export interface TargetSummary {
  strategyId: string;
  strategy: string;
  wallets: string[];
  copies: number;
  skips: number;
  realized: number;
  unrealized: number;
  fees: number;
  pnl: number;
  /** The target's own PnL on what we saw it trade, scaled to our size. */
  targetPnlScaled: number | null;
  captureRatio: number | null;
  closedTrades: number;
  winRate: number | null;
}

export interface MarketSummary {
  conditionId: string;
  title?: string;
  realized: number;
  unrealized: number;
  fees: number;
  heldToResolution: number;
  exitedEarly: number;
  resolved: boolean;
}

export interface RunSummary {
  run: RunInfo;
  events: number;
  targetTrades: number;
  duplicates: number;
  copies: {
    submitted: number;
    filled: number;
    partial: number;
    rejected: number;
    rejectedReasons: Record<string, number>;
    skipped: Record<string, number>;
  };
  pnl: { realized: number; unrealized: number; fees: number; total: number; heldToResolution: number; exitedEarly: number };
  equity: { start: number; end: number; peak: number; maxDrawdownPct: number };
  trades: { count: number; winRate: number | null; profitFactor: number | null };
  sharpe: number | null;
  sortino: number | null;
  captureRatio: number | null;
  slippageBps: { mean: number | null; p50: number | null; p95: number | null };
  positions: PositionSummary[];
  byTarget: TargetSummary[];
  byMarket: MarketSummary[];
  /** Per strategy instance (copy targets and market strategies alike). */
  byStrategy: TargetSummary[];
  equityCurve: { tsMs: number; equity: number }[];
  span: { fromMs: number | null; toMs: number | null };
  fillsHash: string;
}

const usd = (m: Micros) => round(fromMicros(m), 6);

/** What a report reads of a finished run: the engine's snapshot, its ledgers (read-only) and the markets it knew. */
export interface RunState {
  snapshot: EngineSnapshot;
  portfolio: PortfolioReader;
  markets: Pick<MarketRegistry, 'byTokenId' | 'byConditionId'>;
}

export function summarize(state: RunState, collector: RunCollector, run: RunInfo): RunSummary {
  const { snapshot, portfolio, markets } = state;
  const total = portfolio.total;
  const mark = portfolio.mark;
  const end = snapshot.equity;
  const realized = total.realizedMicros;
  const unrealized = end.unrealizedMicros;
  const closed = total.all().flatMap((p) => p.closedPnls);
  const heldToResolution = total.all().reduce((a, p) => a + p.settledPnlMicros, 0);
  const curve = collector.equityCurve();
  const ratios = riskAdjusted(curve);

  const byStrategy = snapshot.strategies.map((slot): TargetSummary => {
    const ledger = portfolio.strategy(slot.id);
    const pnl = ledger.realizedMicros + ledger.unrealized(mark) - ledger.feesMicros;
    let targetPnl: number | null = null;
    let capture: number | null = null;
    if (slot.wallets.length > 0) {
      let tPnl = 0;
      let tVolume = 0;
      for (const w of slot.wallets) {
        const tl = collector.targetLedger(w);
        if (tl) tPnl += tl.realizedMicros + tl.unrealized(mark);
        tVolume += collector.targetBuyVolumeMicros(w);
      }
      const ourVolume = ledger.buyVolumeMicros;
      if (tVolume > 0) {
        targetPnl = tPnl * (ourVolume / tVolume);
        capture = targetPnl !== 0 && ourVolume > 0 ? round(pnl / targetPnl, 4) : null;
      }
    }
    const stats = tradeStats(ledger.all().flatMap((p) => p.closedPnls));
    return {
      strategyId: slot.id,
      strategy: slot.name,
      wallets: [...slot.wallets],
      copies: slot.copies,
      skips: slot.skips,
      realized: usd(ledger.realizedMicros),
      unrealized: usd(ledger.unrealized(mark)),
      fees: usd(ledger.feesMicros),
      pnl: usd(pnl),
      targetPnlScaled: targetPnl === null ? null : usd(Math.round(targetPnl)),
      captureRatio: capture,
      closedTrades: stats.count,
      winRate: stats.winRate,
    };
  });

  const marketIds = [...new Set(total.all().map((p) => p.conditionId))];
  const byMarket = marketIds.map((conditionId): MarketSummary => {
    const ps = total.all().filter((p) => p.conditionId === conditionId);
    const m = markets.byConditionId(conditionId);
    const r = ps.reduce((a, p) => a + p.realizedMicros, 0);
    const held = ps.reduce((a, p) => a + p.settledPnlMicros, 0);
    return {
      conditionId,
      title: m?.question ?? m?.slug,
      realized: usd(r),
      unrealized: usd(
        ps.reduce((a, p) => a + (p.sizeMicros > 0 ? Math.round((p.sizeMicros * (mark(p.tokenId) ?? 0)) / 1e6) - p.costMicros : 0), 0),
      ),
      fees: usd(ps.reduce((a, p) => a + p.feesMicros, 0)),
      heldToResolution: usd(held),
      exitedEarly: usd(r - held),
      resolved: ps.some((p) => p.settled),
    };
  });

  const targetCaptures = byStrategy.filter((s) => s.wallets.length > 0);
  const scaledSum = targetCaptures.reduce((a, s) => a + (s.targetPnlScaled ?? 0), 0);
  const pnlSum = targetCaptures.reduce((a, s) => a + s.pnl, 0);
  return {
    run,
    events: snapshot.stats.events,
    targetTrades: snapshot.stats.targetTrades,
    duplicates: snapshot.stats.duplicates,
    copies: {
      submitted: collector.submitted,
      filled: collector.filledOrders,
      partial: collector.partialOrders,
      rejected: collector.rejected,
      rejectedReasons: Object.fromEntries(collector.rejectedByReason),
      skipped: Object.fromEntries([...collector.skipped.entries()].sort((a, b) => b[1] - a[1])),
    },
    pnl: {
      realized: usd(realized),
      unrealized: usd(unrealized),
      fees: usd(total.feesMicros),
      total: usd(realized + unrealized - total.feesMicros),
      heldToResolution: usd(heldToResolution),
      exitedEarly: usd(realized - heldToResolution),
    },
    equity: {
      start: usd(total.startCashMicros),
      end: usd(end.equityMicros),
      peak: usd(Math.max(portfolio.peakEquityMicros(), end.equityMicros)),
      maxDrawdownPct: round(collector.maxDrawdownPct, 4),
    },
    trades: tradeStats(closed),
    sharpe: ratios.sharpe,
    sortino: ratios.sortino,
    captureRatio: scaledSum !== 0 && targetCaptures.length > 0 ? round(pnlSum / scaledSum, 4) : null,
    slippageBps: distribution(collector.slippage),
    positions: total.all().map((p) => {
      const m = markets.byTokenId(p.tokenId);
      const pm = mark(p.tokenId);
      return {
        tokenId: p.tokenId,
        conditionId: p.conditionId,
        outcome: m?.tokens.find((t) => t.tokenId === p.tokenId)?.outcome ?? '?',
        title: m?.question ?? m?.slug,
        size: usd(p.sizeMicros),
        avgPrice: usd(total.avgPrice(p.tokenId)),
        realizedPnl: usd(p.realizedMicros),
        unrealizedPnl: usd(p.sizeMicros > 0 && pm !== undefined ? Math.round((p.sizeMicros * pm) / 1e6) - p.costMicros : 0),
        settled: p.settled,
      };
    }),
    byTarget: targetCaptures,
    byMarket,
    byStrategy,
    equityCurve: curve.map((p) => ({ tsMs: p.tsMs, equity: usd(p.equityMicros) })),
    span: { fromMs: collector.firstEventMs ?? null, toMs: collector.lastEventMs ?? null },
    fillsHash: collector.fillsHash(),
  };
}
