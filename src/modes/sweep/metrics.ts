/** The few numbers of a run that a sweep keeps, ranks and stores. */
import type { RunSummary } from '../../report/summary.ts';

export interface SweepMetrics {
  pnl: number;
  realized: number;
  fees: number;
  maxDrawdownPct: number;
  sharpe: number | null;
  sortino: number | null;
  winRate: number | null;
  closedTrades: number;
  copies: number;
  filled: number;
  skipped: number;
  captureRatio: number | null;
  fillsHash: string;
}

export function metricsOf(s: RunSummary): SweepMetrics {
  return {
    pnl: s.pnl.total,
    realized: s.pnl.realized,
    fees: s.pnl.fees,
    maxDrawdownPct: s.equity.maxDrawdownPct,
    sharpe: s.sharpe,
    sortino: s.sortino,
    winRate: s.trades.winRate,
    closedTrades: s.trades.count,
    copies: s.copies.submitted,
    filled: s.copies.filled,
    skipped: Object.values(s.copies.skipped).reduce((a, b) => a + b, 0),
    captureRatio: s.captureRatio,
    fillsHash: s.fillsHash,
  };
}
