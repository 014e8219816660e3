/**
 * Turns wallet scores into the scout's ranking: ordered by the follower's PnL on the training window at
 * the rank delay, reported on the held-out window (so a lucky training stretch does not sell itself).
 */
import type { FollowerRun, WalletScore, WindowScore } from './score-wallets.ts';

export interface ScoutRow {
  rank: number;
  wallet: string;
  /** Follower PnL at the rank delay on the training window: what the ranking used. */
  trainScore: number;
  /** Held-out numbers (the report), then the same for training. */
  test: WindowReport;
  train: WindowReport;
}

export interface WindowReport {
  targetPnl: number;
  /** Follower PnL per delay, in the order of the delays. */
  followerPnl: { delayS: number; pnl: number }[];
  /** At the rank delay. */
  captureRatio: number | null;
  costBps: number | null;
  maxDrawdownUsdc: number;
  tradesPerDay: number;
  /** Share of the target's trades whose copy was below a minimum (exchange or user), at the rank delay. */
  belowMinimumShare: number | null;
  topMarketShare: number | null;
  markets: number;
  /** Seconds of detection delay after which the follower keeps half its delay-0 PnL (see halfLife). */
  halfLifeS: number | null;
  halfLife: string;
  /** What the numbers rest on: the target's trades, the follower's fills at the rank delay, closed by. */
  trades: number;
  fills: number;
  missed: number;
  /** Target trades the follower did not copy at the rank delay, by reason code. */
  skipped: Record<string, number>;
}

export function rankScores(scores: WalletScore[], delaysMs: readonly number[], rankDelayMs: number): ScoutRow[] {
  const index = delaysMs.indexOf(rankDelayMs);
  const rows = scores.map((s): ScoutRow => ({
    rank: 0,
    wallet: s.wallet,
    trainScore: s.train.runs[index]!.pnl,
    test: report(s.test, index),
    train: report(s.train, index),
  }));
  rows.sort((a, b) => b.trainScore - a.trainScore || a.wallet.localeCompare(b.wallet));
  rows.forEach((r, i) => (r.rank = i + 1));
  return rows;
}

function report(w: WindowScore, index: number): WindowReport {
  const at = w.runs[index]!;
  const life = halfLife(w.runs);
  return {
    targetPnl: w.target.pnl,
    followerPnl: w.runs.map((r) => ({ delayS: r.delayMs / 1000, pnl: r.pnl })),
    captureRatio: at.captureRatio,
    costBps: at.costBps,
    maxDrawdownUsdc: at.maxDrawdownUsdc,
    tradesPerDay: w.target.tradesPerDay,
    belowMinimumShare: at.decided > 0 ? Math.round((at.belowMinimum / at.decided) * 10_000) / 10_000 : null,
    topMarketShare: w.target.topMarketShare,
    markets: w.target.markets,
    halfLifeS: life.seconds,
    halfLife: life.text,
    trades: w.target.trades,
    fills: at.fills,
    missed: at.missed,
    skipped: at.skipped,
  };
}

/**
 * The edge's half-life: the detection delay at which the follower's PnL has fallen to half of its
 * PnL at the smallest delay, by linear interpolation between the measured delays. "none" when there
 * is no edge to lose (PnL at the smallest delay ≤ 0), "> Ns" when half is still there at the largest.
 */
export function halfLife(runs: readonly Pick<FollowerRun, 'delayMs' | 'pnl'>[]): { seconds: number | null; text: string } {
  const first = runs[0];
  if (!first || first.pnl <= 0) return { seconds: null, text: 'none' };
  const half = first.pnl / 2;
  for (let i = 1; i < runs.length; i++) {
    const a = runs[i - 1]!;
    const b = runs[i]!;
    if (b.pnl <= half) {
      const f = a.pnl === b.pnl ? 0 : (a.pnl - half) / (a.pnl - b.pnl);
      const seconds = Math.round((a.delayMs + f * (b.delayMs - a.delayMs)) / 100) / 10;
      return { seconds, text: `${seconds}s` };
    }
  }
  const last = runs[runs.length - 1]!;
  return { seconds: null, text: `>${last.delayMs / 1000}s` };
}
