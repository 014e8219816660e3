/**
 * A sweep's ranking as a table: the header says the windows and how the targets' trades fall in them,
 * then the top rows by the training score with their held-out columns beside them. Printed by `sweep`
 * as it finishes and by `report --sweep` for a stored one (`storedMs`: when it was stored).
 */
import type { SweepResult } from '../modes/sweep/sweep.ts';
import { windowNotice } from '../modes/sweep/sweep-windows.ts';
import { isoMinute } from '../report/human-report.ts';
import { notice } from './notice.ts';

/**
 * A sweep as `polytail sweep` prints it and `report --sweep` reprints it: the notice about windows
 * without the targets' trades on stderr, then the rows as JSON or the table, then on stderr each
 * combination that failed and why.
 */
export function printSweep(r: SweepResult, options: { json: boolean; top: number; storedMs?: number }): void {
  const windows = r.targetTrades && windowNotice(r.targetTrades, r.windows);
  if (windows) notice(windows);
  if (options.json) process.stdout.write(JSON.stringify(r.rows) + '\n');
  else process.stdout.write(renderSweep(r, options.top, options.storedMs) + '\n');
  if (r.errors.length) process.stderr.write(r.errors.map((e) => `failed ${JSON.stringify(e.combo)}: ${e.message}`).join('\n') + '\n');
}

/** "12 combinations" ("1 combination"), and how many more failed (their errors follow the table). */
export function combinationCount(r: Pick<SweepResult, 'rows' | 'errors'>): string {
  const n = r.rows.length;
  return `${n} combination${n === 1 ? '' : 's'}${r.errors.length > 0 ? ` (${r.errors.length} more failed)` : ''}`;
}

function renderSweep(r: SweepResult, top: number, storedMs?: number): string {
  const took = Number.isFinite(r.elapsedMs) ? `${(r.elapsedMs / 1000).toFixed(1)}s` : undefined;
  const when = storedMs === undefined ? ` in ${took}` : `, stored ${isoMinute(storedMs)}${took ? ` (took ${took})` : ''}`;
  const head = `sweep ${r.sweepId} — ${combinationCount(r)}${when}, ranked by ${r.objective} on training ${isoMinute(r.windows.train.from)} → ${isoMinute(r.windows.train.to)}, held out → ${isoMinute(r.windows.test.to)}${
    r.targetTrades ? `; the targets' trades: ${r.targetTrades.train} in training, ${r.targetTrades.test} held out` : ''
  }`;
  const keys = r.rows[0] ? Object.keys(r.rows[0].combo) : [];
  const cols = ['#', ...keys, 'train PnL', 'train DD%', 'train score', 'test PnL', 'test DD%', 'test score', 'copies'];
  const fmt = (x: number | null) => (x === null ? 'n/a' : Number.isFinite(x) ? x.toFixed(2) : String(x));
  const rows = r.rows
    .slice(0, top)
    .map((row) => [
      String(row.rank),
      ...keys.map((k) => String(row.combo[k])),
      fmt(row.train.pnl),
      fmt(row.train.maxDrawdownPct),
      fmt(row.score),
      fmt(row.test.pnl),
      fmt(row.test.maxDrawdownPct),
      fmt(row.testScore),
      String(row.train.copies + row.test.copies),
    ]);
  const widths = cols.map((c, i) => Math.max(c.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i <= keys.length ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [head, '', line(cols), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
