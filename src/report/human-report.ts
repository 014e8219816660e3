/** The replay report for people: headline numbers, tables, skips by reason and an equity curve. */
import asciichart from 'asciichart';
import type { RunSummary } from './summary.ts';

const money = (x: number) => `${x < 0 ? '-' : ''}$${Math.abs(x).toFixed(2)}`;
const pct = (x: number | null) => (x === null ? 'n/a' : `${(x * 100).toFixed(1)}%`);
const num = (x: number | null, dp = 2) => (x === null ? 'n/a' : x.toFixed(dp));
const short = (s: string, n: number) => (s.length > n ? s.slice(0, n - 1) + '…' : s);

export function renderReport(s: RunSummary, width = 100): string {
  const lines: string[] = [];
  const span = s.span.fromMs !== null && s.span.toMs !== null ? `${isoMinute(s.span.fromMs)} → ${isoMinute(s.span.toMs)}` : 'empty';
  lines.push(`polytail ${s.run.mode ?? 'replay'} report — run ${s.run.id}`);
  lines.push(`recording ${s.run.recording ?? '-'} | fill model ${s.run.fillModel} | seed ${s.run.seed} | ${span}`);
  lines.push('');
  lines.push(`events ${s.events}  target trades ${s.targetTrades}  duplicates dropped ${s.duplicates}`);
  const c = s.copies;
  const skippedTotal = Object.values(c.skipped).reduce((a, b) => a + b, 0);
  lines.push(`copies: submitted ${c.submitted}  filled ${c.filled}  partial ${c.partial}  rejected ${c.rejected}  skipped ${skippedTotal}`);
  if (c.rejected > 0)
    lines.push(
      `  rejected by the venue: ${Object.entries(c.rejectedReasons)
        .map(([r, n]) => `${r} ${n}`)
        .join(', ')}`,
    );
  lines.push('');
  lines.push(
    `PnL: total ${money(s.pnl.total)} = realized ${money(s.pnl.realized)} + unrealized ${money(s.pnl.unrealized)} − fees ${money(s.pnl.fees)}`,
  );
  lines.push(`     held to resolution ${money(s.pnl.heldToResolution)}  exited early ${money(s.pnl.exitedEarly)}`);
  lines.push(
    `equity ${money(s.equity.start)} → ${money(s.equity.end)} (peak ${money(s.equity.peak)}, max drawdown ${s.equity.maxDrawdownPct.toFixed(2)}%)`,
  );
  lines.push(
    `closed trades ${s.trades.count}  win rate ${pct(s.trades.winRate)}  profit factor ${num(s.trades.profitFactor)}  Sharpe ${num(s.sharpe)}  Sortino ${num(s.sortino)} (annualized, 5-min returns)`,
  );
  lines.push(`capture ratio ${num(s.captureRatio)} (my PnL ÷ the target's PnL scaled to my size)`);
  lines.push(
    `slippage vs target price (bps): mean ${num(s.slippageBps.mean, 1)}  p50 ${num(s.slippageBps.p50, 1)}  p95 ${num(s.slippageBps.p95, 1)}`,
  );
  lines.push('');
  if (skippedTotal > 0) {
    lines.push('Skipped, by reason:');
    for (const [reason, n] of Object.entries(c.skipped)) lines.push(`  ${reason.padEnd(28)} ${String(n).padStart(7)}`);
    lines.push('');
  }
  if (s.byStrategy.length > 0) {
    lines.push('By target / strategy:');
    lines.push(
      table(
        ['strategy', 'copies', 'skips', 'PnL', 'target PnL (scaled)', 'capture', 'win rate'],
        s.byStrategy.map((t) => [
          short(t.strategyId, 30),
          String(t.copies),
          String(t.skips),
          money(t.pnl),
          t.targetPnlScaled === null ? 'n/a' : money(t.targetPnlScaled),
          num(t.captureRatio),
          pct(t.winRate),
        ]),
      ),
    );
    lines.push('');
  }
  if (s.byMarket.length > 0) {
    lines.push('By market:');
    const rows = [...s.byMarket].sort((a, b) => Math.abs(b.realized + b.unrealized) - Math.abs(a.realized + a.unrealized)).slice(0, 15);
    lines.push(
      table(
        ['market', 'realized', 'unrealized', 'fees', 'held→res.', 'exited', 'resolved'],
        rows.map((m) => [
          short(m.title ?? m.conditionId, 40),
          money(m.realized),
          money(m.unrealized),
          money(m.fees),
          money(m.heldToResolution),
          money(m.exitedEarly),
          m.resolved ? 'yes' : 'no',
        ]),
      ),
    );
    if (s.byMarket.length > rows.length) lines.push(`  … and ${s.byMarket.length - rows.length} more markets (see --json)`);
    lines.push('');
  }
  const curve = s.equityCurve.map((p) => p.equity);
  if (curve.length >= 2) {
    lines.push('Equity:');
    lines.push(asciichart.plot(sample(curve, Math.max(20, width - 14)), { height: 10, format: (x: number) => money(x).padStart(10) }));
    lines.push(
      `            ${isoMinute(s.equityCurve[0]!.tsMs)}${' '.repeat(Math.max(1, Math.min(width - 14, curve.length) - 40))}${isoMinute(s.equityCurve[s.equityCurve.length - 1]!.tsMs)}`,
    );
    lines.push('');
  }
  lines.push(`fills hash ${s.fillsHash}`);
  return lines.join('\n');
}

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: string[]) => '  ' + r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [fmt(head), '  ' + widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(fmt)].join('\n');
}

function sample(values: number[], n: number): number[] {
  if (values.length <= n) return values;
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(values[Math.floor((i * (values.length - 1)) / (n - 1))]!);
  return out;
}

/** A time as reports and sweeps print it: UTC to the minute, `2025-10-10 09:01`. */
export function isoMinute(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}
