// 2 Positions: ours beside the target's for the same token, with drift from target × multiplier.
import React from 'react';
import { Text } from 'ink';
import type { PositionRow, StrategyStatus } from '../../core/control.ts';
import { DataTable, type Column } from '../data-table.tsx';
import { compactShares, formatPrice, signedUsd, visibleWindow } from '../format.ts';
import type { PanelProps } from './panel-props.ts';

/** Our size vs what the target's size × multiplier says we should hold, as a percentage. */
export function driftPct(position: PositionRow, strategies: readonly StrategyStatus[]): number | undefined {
  let expected = 0;
  let ours = 0;
  let known = false;
  for (const h of position.holders) {
    if (h.targetSizeMicros === undefined) continue;
    known = true;
    const mult = strategies.find((s) => s.id === h.strategyId)?.multiplier ?? 1;
    expected += h.targetSizeMicros * mult;
    ours += h.sizeMicros;
  }
  if (!known || expected <= 0) return undefined;
  return (ours / expected - 1) * 100;
}

function targetSize(position: PositionRow): number | undefined {
  const sizes = position.holders.map((h) => h.targetSizeMicros).filter((s): s is number => s !== undefined);
  return sizes.length ? sizes.reduce((a, b) => a + b, 0) : undefined;
}

export function PositionsPanel(props: PanelProps): React.ReactElement {
  const { snap, width, height, selected } = props;
  if (snap.positions.length === 0) return <Text>No open positions.</Text>;
  const columns: Column[] = [
    { label: 'Market', flex: true, max: 60 },
    { label: 'Size', align: 'right', max: 8 },
    { label: 'Avg', align: 'right', max: 5 },
    { label: 'Mark', align: 'right', max: 5 },
    { label: 'uPnL', align: 'right', max: 10 },
    { label: 'Target', align: 'right', max: 8 },
    { label: 'Drift', align: 'right', max: 6 },
  ];
  const { start, end } = visibleWindow(snap.positions.length, selected, height - 1);
  const rows = snap.positions.slice(start, end).map((p) => {
    const drift = driftPct(p, snap.strategies);
    const tgt = targetSize(p);
    return {
      Market: `${p.settled ? '(settled) ' : ''}${p.title ?? snap.titleOf(p.tokenId)?.split(' · ')[0] ?? p.tokenId} · ${p.outcome}`,
      Size: compactShares(p.sizeMicros),
      Avg: formatPrice(p.avgPriceMicros),
      Mark: formatPrice(p.markMicros),
      uPnL: signedUsd(p.unrealizedMicros),
      Target: tgt === undefined ? '-' : compactShares(tgt),
      Drift: drift === undefined ? '-' : `${drift >= 0 ? '+' : ''}${drift.toFixed(0)}%`,
    };
  });
  return <DataTable columns={columns} rows={rows} width={width} selected={selected - start} />;
}
