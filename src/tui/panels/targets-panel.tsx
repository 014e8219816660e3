// 5 Targets: each strategy instance with its wallets, multiplier, copies, skips, PnL, scout score and state.
import React from 'react';
import { Text } from 'ink';
import { DataTable, type Column } from '../data-table.tsx';
import { shortWallet, signedUsd, visibleWindow } from '../format.ts';
import type { PanelProps } from './panel-props.ts';

export function TargetsPanel(props: PanelProps): React.ReactElement {
  const { snap, width, height, selected } = props;
  if (snap.strategies.length === 0) return <Text>No strategies configured.</Text>;
  const columns: Column[] = [
    { label: 'Strategy', flex: true, max: 24 },
    { label: 'Target', max: 11 },
    { label: 'Mult', align: 'right', max: 5 },
    { label: 'Copies', align: 'right', max: 6 },
    { label: 'Skips', align: 'right', max: 6 },
    { label: 'PnL', align: 'right', max: 10 },
    ...(snap.scores ? [{ label: 'Scout', max: 13 } satisfies Column] : []),
    { label: 'State', max: 20 },
  ];
  const { start, end } = visibleWindow(snap.strategies.length, selected, height - 1);
  const rows = snap.strategies.slice(start, end).map((s) => ({
    Strategy: s.id,
    Target: s.wallets.length === 0 ? '-' : s.wallets.length === 1 ? shortWallet(s.wallets[0]) : `${s.wallets.length} wallets`,
    Mult: s.multiplier === undefined ? '-' : s.multiplier.toFixed(2),
    Copies: String(s.copies),
    Skips: String(s.skips),
    PnL: signedUsd(s.realizedMicros + s.unrealizedMicros - s.feesMicros),
    Scout: scoreText(snap.scores, s.wallets),
    State: s.paused ? `PAUSED${s.pausedReason ? ` ${s.pausedReason}` : ''}` : 'running',
  }));
  return <DataTable columns={columns} rows={rows} width={width} selected={selected - start} />;
}

/** `#rank capture half-life` (e.g. `#1 0.74 5s`) from the scout file the session started from; '-' for a wallet it did not score. */
function scoreText(scores: PanelProps['snap']['scores'], wallets: readonly string[]): string {
  const score = wallets.length === 1 ? scores?.get(wallets[0]!.toLowerCase()) : undefined;
  if (!score) return '-';
  const capture = score.captureRatio === null ? 'n/a' : score.captureRatio.toFixed(2);
  return `#${score.rank} ${capture} ${score.halfLife}`;
}
