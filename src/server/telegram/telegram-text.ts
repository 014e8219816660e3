/** Plain-text answers of the Telegram commands (no markup: nothing to escape, nothing to break). */
import type { EngineSnapshot } from '../../core/control.ts';
import { formatMicros, formatUsd } from '../../core/money.ts';
import type { SessionSurface } from '../../core/session-surface.ts';

const MAX_LINES = 20;

export function statusText(surface: SessionSurface, nowMs: number): string {
  const { info } = surface;
  const snap = surface.view.snapshot();
  const e = snap.equity;
  const feeds = snap.feedHealth.map((f) => `${f.source} ${f.connected ? 'up' : 'DOWN'}`).join(', ');
  return [
    `polytail ${info.mode} · up ${Math.round((nowMs - info.startedMs) / 60_000)} min`,
    `risk: ${snap.riskState}${snap.riskState === 'active' ? '' : ` (${snap.riskReason})`}`,
    `equity ${formatUsd(e.equityMicros)} · cash ${formatUsd(e.cashMicros)} · today ${formatUsd(e.equityMicros - snap.dayStartEquityMicros)}`,
    `open orders ${snap.openOrders.length} · strategies ${snap.strategies.length}`,
    `feeds: ${feeds || 'none'}`,
  ].join('\n');
}

export function positionsText(snap: EngineSnapshot): string {
  const open = snap.positions.filter((p) => p.sizeMicros > 0 && !p.settled);
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

export function pnlText(snap: EngineSnapshot): string {
  const e = snap.equity;
  const lines = [
    `equity ${formatUsd(e.equityMicros)} · today ${formatUsd(e.equityMicros - snap.dayStartEquityMicros)}`,
    `realized ${formatUsd(e.realizedMicros)} · unrealized ${formatUsd(e.unrealizedMicros)} · fees ${formatUsd(e.feesMicros)}`,
  ];
  for (const s of snap.strategies.slice(0, MAX_LINES))
    lines.push(`${s.id}: realized ${formatUsd(s.realizedMicros)}, unrealized ${formatUsd(s.unrealizedMicros)}`);
  return lines.join('\n');
}

export function targetsText(snap: EngineSnapshot): string {
  const copy = snap.strategies.filter((s) => s.kind === 'copy');
  if (copy.length === 0) return 'no targets';
  return copy
    .slice(0, MAX_LINES)
    .map(
      (s) =>
        `${s.id}${s.stopped ? ' (stopped)' : s.paused ? ' (paused)' : ''} ×${s.multiplier?.toFixed(2) ?? '-'} · ${s.copies} copies, ${s.skips} skips`,
    )
    .join('\n');
}
