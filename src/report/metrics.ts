/**
 * Backtest statistics from a run's equity curve and closed trades. Pure functions over plain numbers.
 * Ratios that need more data than there is come back as null rather than as a misleading number.
 */
import type { EquityPoint } from '../core/ports.ts';

/** Largest fall from a running peak, as a percentage of that peak (0..100). */
export function maxDrawdownPct(points: Pick<EquityPoint, 'equityMicros'>[]): number {
  let peak = Number.NEGATIVE_INFINITY;
  let worst = 0;
  for (const p of points) {
    if (p.equityMicros > peak) peak = p.equityMicros;
    if (peak > 0) worst = Math.max(worst, ((peak - p.equityMicros) / peak) * 100);
  }
  return worst;
}

/** Equity sampled on a fixed event-time grid (last value carried forward), for return statistics. */
export function resample(points: Pick<EquityPoint, 'tsMs' | 'equityMicros'>[], stepMs: number): number[] {
  if (points.length === 0) return [];
  const out: number[] = [];
  const last = points[points.length - 1]!;
  let i = 0;
  let current = points[0]!.equityMicros;
  let t = points[0]!.tsMs;
  for (; t <= last.tsMs; t += stepMs) {
    while (i < points.length && points[i]!.tsMs <= t) current = points[i++]!.equityMicros;
    out.push(current);
  }
  // The final equity, unless the grid already ended on it (a second copy would add a 0 % return).
  if (t - stepMs < last.tsMs) out.push(last.equityMicros);
  return out;
}

function returns(series: number[]): number[] {
  const r: number[] = [];
  for (let i = 1; i < series.length; i++) if (series[i - 1]! > 0) r.push(series[i]! / series[i - 1]! - 1);
  return r;
}

const YEAR_MS = 365 * 24 * 3600_000;

/**
 * Annualized Sharpe and Sortino ratios of returns on a `stepMs` grid (risk-free rate 0).
 * Sharpe is null with fewer than 10 returns or no variation; Sortino needs at least 5 losing
 * periods, since a downside deviation from one or two dips makes an absurd number.
 */
export function riskAdjusted(
  points: Pick<EquityPoint, 'tsMs' | 'equityMicros'>[],
  stepMs = 5 * 60_000,
): { sharpe: number | null; sortino: number | null } {
  const r = returns(resample(points, stepMs));
  if (r.length < 10) return { sharpe: null, sortino: null };
  const mean = r.reduce((a, b) => a + b, 0) / r.length;
  const variance = r.reduce((a, b) => a + (b - mean) ** 2, 0) / (r.length - 1);
  const downside = r.reduce((a, b) => a + Math.min(0, b) ** 2, 0) / r.length;
  const scale = Math.sqrt(YEAR_MS / stepMs);
  const sd = Math.sqrt(variance);
  const dd = Math.sqrt(downside);
  return {
    sharpe: sd > 0 ? round((mean / sd) * scale, 3) : null,
    sortino: dd > 0 && r.filter((x) => x < 0).length >= 5 ? round((mean / dd) * scale, 3) : null,
  };
}

/** Win rate and profit factor over closed trades (each SELL or settlement's PnL). */
export function tradeStats(closedPnls: number[]): { count: number; winRate: number | null; profitFactor: number | null } {
  const count = closedPnls.length;
  if (count === 0) return { count, winRate: null, profitFactor: null };
  let wins = 0;
  let gross = 0;
  let loss = 0;
  for (const p of closedPnls) {
    if (p > 0) {
      wins++;
      gross += p;
    } else loss -= p;
  }
  return { count, winRate: round(wins / count, 4), profitFactor: loss > 0 ? round(gross / loss, 3) : null };
}

/** Mean, median and 95th percentile of a sample; nulls when empty. */
export function distribution(values: number[]): { mean: number | null; p50: number | null; p95: number | null } {
  if (values.length === 0) return { mean: null, p50: null, p95: null };
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { mean: round(values.reduce((a, b) => a + b, 0) / values.length, 2), p50: round(at(0.5), 2), p95: round(at(0.95), 2) };
}

/** Adverse slippage of a fill against the target's price, in basis points (positive = worse for us). */
export function slippageBps(side: 'BUY' | 'SELL', fillPriceMicros: number, referencePriceMicros: number): number {
  const diff = side === 'BUY' ? fillPriceMicros - referencePriceMicros : referencePriceMicros - fillPriceMicros;
  return (diff / referencePriceMicros) * 10_000;
}

export function round(x: number, dp: number): number {
  const f = 10 ** dp;
  return Math.round(x * f) / f;
}
