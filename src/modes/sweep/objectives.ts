/** What a sweep ranks by. Each objective is "higher is better"; drawdown is negated. */
import type { RunSummary } from '../../report/summary.ts';

export const OBJECTIVES: Record<string, { describe: string; score: (s: RunSummary) => number | null }> = {
  pnl: { describe: 'total PnL (realized + unrealized − fees)', score: (s) => s.pnl.total },
  sharpe: { describe: 'annualized Sharpe ratio of 5-minute returns', score: (s) => s.sharpe },
  sortino: { describe: 'annualized Sortino ratio of 5-minute returns', score: (s) => s.sortino },
  calmar: {
    describe: 'PnL ÷ max drawdown %',
    score: (s) =>
      s.equity.maxDrawdownPct > 0 ? s.pnl.total / s.equity.maxDrawdownPct : s.pnl.total > 0 ? Number.POSITIVE_INFINITY : s.pnl.total,
  },
  drawdown: { describe: 'smallest max drawdown', score: (s) => -s.equity.maxDrawdownPct },
  winrate: { describe: 'win rate of closed trades', score: (s) => s.trades.winRate },
  capture: { describe: 'capture ratio against the target', score: (s) => s.captureRatio },
};

export function objectiveNames(): string[] {
  return Object.keys(OBJECTIVES);
}
