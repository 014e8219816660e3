/** Plain-text answers of the Telegram commands (no markup: nothing to escape, nothing to break). */
import type { EngineView } from '../../core/control.ts';
import { formatMicros, formatUsd } from '../../core/money.ts';
import type { SessionSurface } from '../../core/session-surface.ts';

const MAX_LINES = 20;

export function statusText(surface: SessionSurface, nowMs: number): string {
  const { view, info } = surface;
  const e = view.equity();
  const feeds = view
    .feedHealth()
    .map((f) => `${f.source} ${f.connected ? 'up' : 'DOWN'}`)
    .join(', ');
  return [
    `polytail ${info.mode} · up ${Math.round((nowMs - info.startedMs) / 60_000)} min`,
    `risk: ${view.riskState()}${view.riskState() === 'active' ? '' : ` (${surface.riskReason()})`}`,
    `equity ${formatUsd(e.equityMicros)} · cash ${formatUsd(e.cashMicros)} · today ${formatUsd(e.equityMicros - view.dayStartEquityMicros())}`,
    `open orders ${view.openOrders().length} · strategies ${view.strategies().length}`,
    `feeds: ${feeds || 'none'}`,
  ].join('\n');
}

export function positionsText(view: EngineView): string {
  const open = view.positions().filter((p) => p.sizeMicros > 0 && !p.settled);
  if (open.length === 0) return 'no open positions';
  const lines = open
    .slice(0, MAX_LINES)
    .map(
      (p) =>
        `${(p.title ?? p.tokenId.slice(0, 12)).slice(0, 40)} · ${p.outcome}: ${formatMicros(p.sizeMicros)} @ ${formatMicros(p.avgPriceMicros)} (uPnL ${formatUsd(p.unrealizedMicros)})`,
    );
  if (open.length > MAX_LINES) lines.push(`… and ${open.length - MAX_LINES} more`);
  return lines.join('\n');
}

export function pnlText(view: EngineView): string {
  const e = view.equity();
  const lines = [
    `equity ${formatUsd(e.equityMicros)} · today ${formatUsd(e.equityMicros - view.dayStartEquityMicros())}`,
    `realized ${formatUsd(e.realizedMicros)} · unrealized ${formatUsd(e.unrealizedMicros)} · fees ${formatUsd(e.feesMicros)}`,
  ];
  for (const s of view.strategies().slice(0, MAX_LINES))
    lines.push(`${s.id}: realized ${formatUsd(s.realizedMicros)}, unrealized ${formatUsd(s.unrealizedMicros)}`);
  return lines.join('\n');
}

export function targetsText(view: EngineView): string {
  const copy = view.strategies().filter((s) => s.kind === 'copy');
  if (copy.length === 0) return 'no targets';
  return copy
    .slice(0, MAX_LINES)
    .map(
      (s) =>
        `${s.id}${s.stopped ? ' (stopped)' : s.paused ? ' (paused)' : ''} ×${s.multiplier?.toFixed(2) ?? '-'} · ${s.copies} copies, ${s.skips} skips`,
    )
    .join('\n');
}
