/** How `polytail scout` prints: the ranked table, CSV, and a chart of follower PnL against detection delay. */
import asciichart from 'asciichart';
import type { ScoutResult } from '../../modes/scout/scout.ts';
import type { ScoutRow } from '../../modes/scout/rank.ts';
import { isoMinute } from '../../report/human-report.ts';

const money = (x: number) => (x < 0 ? '-' : '') + '$' + Math.abs(x).toFixed(2);
const pct = (x: number | null) => (x === null ? 'n/a' : `${Math.round(x * 100)}%`);
const num = (x: number | null, dp = 2) => (x === null ? 'n/a' : x.toFixed(dp));

/** The ranked table: held-out numbers, ranked by the training score. */
export function renderScout(r: ScoutResult, rows = r.rows.length): string {
  const model =
    r.fillModel === 'print-book'
      ? `print-book model (no books recorded: $${r.printBook!.levelUsdc}/tick ladders from prints, docs/scout.md)`
      : 'book-walk on recorded books';
  const head = [
    `scout ${r.recording} — ${r.rows.length} wallets × ${r.delaysS.length} delays in ${(r.elapsedMs / 1000).toFixed(1)}s; ${model}`,
    `ranked by follower PnL at ${r.rankDelayS}s on each wallet's first ${Math.round(r.train * 100)}% of trades; the columns are the held-out rest (${isoMinute(r.span.from)} → ${isoMinute(r.span.to)} UTC)`,
    `mirror ×${r.multiplier ?? 1}, starting cash $${r.startingCashUsdc}; "trades" and "fills" are what each row rests on`,
  ];
  const delayCols = r.delaysS.map((d) => `@${d}s`);
  const cols = [
    '#',
    'wallet',
    'target PnL',
    ...delayCols,
    'capture',
    'cost bps',
    'max DD',
    'trades/day',
    '<min',
    'top mkt',
    'half-life',
    'trades',
    'fills',
    'train@' + r.rankDelayS + 's',
    'most skipped',
  ];
  const body = r.rows.slice(0, rows).map((row) => {
    const t = row.test;
    const top = Object.entries(t.skipped)[0];
    return [
      String(row.rank),
      row.wallet,
      money(t.targetPnl),
      ...t.followerPnl.map((p) => money(p.pnl)),
      num(t.captureRatio),
      num(t.costBps, 0),
      money(t.maxDrawdownUsdc),
      num(t.tradesPerDay, 1),
      pct(t.belowMinimumShare),
      pct(t.topMarketShare),
      t.halfLife,
      String(t.trades),
      String(t.fills),
      money(row.trainScore),
      top ? `${top[0]} ×${top[1]}` : '',
    ];
  });
  const widths = cols.map((c, i) => Math.max(c.length, ...body.map((b) => b[i]!.length)));
  const left = new Set([1, cols.length - 1]);
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (left.has(i) ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [...head, '', line(cols), widths.map((w) => '─'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

/** Follower PnL (held out) against detection delay for the top wallets, on a linear delay axis. */
export function renderDelayChart(r: ScoutResult, wallets: number, width = 60): string {
  const rows = r.rows.slice(0, wallets).filter((row) => row.test.trades > 0);
  if (rows.length === 0 || r.delaysS.length < 2) return '';
  const maxDelay = r.delaysS[r.delaysS.length - 1]!;
  const series = rows.map((row) => sampleLinear(row.test.followerPnl, maxDelay, width));
  const colors = [asciichart.green, asciichart.cyan, asciichart.yellow, asciichart.magenta, asciichart.red, asciichart.blue];
  const chart = asciichart.plot(series, {
    height: 10,
    colors: process.stdout.isTTY ? colors : undefined,
    format: (x: number) => money(x).padStart(10),
  });
  const axis = `${' '.repeat(12)}0s${' '.repeat(Math.max(1, width - 2 - String(maxDelay).length - 1))}${maxDelay}s`;
  const names = ['green', 'cyan', 'yellow', 'magenta', 'red', 'blue'];
  const legend = rows.map((row, i) => `  ${process.stdout.isTTY ? `${names[i % 6]}: ` : ''}#${row.rank} ${row.wallet}`);
  return ['follower PnL (held out) against detection delay', chart, axis, ...legend].join('\n');
}

function sampleLinear(points: { delayS: number; pnl: number }[], maxDelay: number, width: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < width; i++) {
    const d = (i / (width - 1)) * maxDelay;
    let j = 0;
    while (j < points.length - 2 && points[j + 1]!.delayS < d) j++;
    const a = points[j]!;
    const b = points[Math.min(j + 1, points.length - 1)]!;
    const f = b.delayS === a.delayS ? 0 : Math.min(1, Math.max(0, (d - a.delayS) / (b.delayS - a.delayS)));
    out.push(a.pnl + f * (b.pnl - a.pnl));
  }
  return out;
}

/** One CSV line per wallet: held-out then training numbers, follower PnL per delay as its own column. */
export function renderScoutCsv(r: ScoutResult): string {
  const parts = ['test', 'train'] as const;
  const header = ['rank', 'wallet', 'train_score', ...parts.flatMap((p) => fieldNames(r).map((f) => `${p}_${f}`))];
  const lines = r.rows.map((row) => [String(row.rank), row.wallet, String(row.trainScore), ...parts.flatMap((p) => fieldValues(row, p))]);
  return [header, ...lines].map((cells) => cells.map(csvCell).join(',')).join('\n');
}

function fieldNames(r: ScoutResult): string[] {
  return [
    'target_pnl',
    ...r.delaysS.map((d) => `follower_pnl_${d}s`),
    'capture_ratio',
    'cost_bps',
    'max_drawdown_usdc',
    'trades_per_day',
    'below_minimum_share',
    'top_market_share',
    'markets',
    'half_life_s',
    'half_life',
    'trades',
    'fills',
    'missed',
  ];
}

function fieldValues(row: ScoutRow, part: 'test' | 'train'): string[] {
  const w = row[part];
  const v = (x: number | null) => (x === null ? '' : String(x));
  return [
    v(w.targetPnl),
    ...w.followerPnl.map((p) => v(p.pnl)),
    v(w.captureRatio),
    v(w.costBps),
    v(w.maxDrawdownUsdc),
    v(w.tradesPerDay),
    v(w.belowMinimumShare),
    v(w.topMarketShare),
    v(w.markets),
    v(w.halfLifeS),
    w.halfLife,
    v(w.trades),
    v(w.fills),
    v(w.missed),
  ];
}

function csvCell(text: string): string {
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
