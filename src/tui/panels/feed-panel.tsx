// 1 Feed: target trade → our decision → our fill, newest first, skip reasons inline.
import React from 'react';
import { Box, Text } from 'ink';
import { DataTable, type Column } from '../data-table.tsx';
import { compactShares, formatClock, formatPrice, shortWallet } from '../format.ts';
import type { FeedRow } from '../session-model.ts';
import type { PanelProps } from './panel-props.ts';
import { filteredFeed } from './selectors.ts';
import { visibleWindow } from '../format.ts';

export function decisionText(row: FeedRow): string {
  const d = row.decision;
  if (!d) return '… waiting';
  if (d.action === 'copy' || d.action === 'order') return `✓ ${d.action}`;
  if (d.action === 'cancel') return `cancel ${d.reason}`;
  return `✗ ${d.reason}`;
}

export function fillText(row: FeedRow): string {
  const f = row.fill;
  switch (f.state) {
    case 'none':
      return '';
    case 'pending':
    case 'open':
      return f.state;
    case 'filled':
    case 'partial': {
      const avg = f.filledMicros > 0 ? Math.round((f.notionalMicros * 1_000_000) / f.filledMicros) : 0;
      return `${f.state === 'partial' ? '½ ' : ''}${compactShares(f.filledMicros)}@${formatPrice(avg)}`;
    }
    default:
      return `${f.state}${f.reason && f.reason !== f.state ? ` ${f.reason}` : ''}`;
  }
}

function tradeText(row: FeedRow): string {
  const t = row.trade;
  if (t) return `${t.side} ${compactShares(t.sizeMicros)}@${formatPrice(t.priceMicros)}`;
  const d = row.decision;
  return d?.side ? `${d.side} (own)` : '';
}

export function FeedPanel(props: PanelProps & { filter: string }): React.ReactElement {
  const { snap, width, height, selected, filter } = props;
  const rows = filteredFeed(snap, filter);
  const wide = width >= 110;
  const columns: Column[] = [
    { label: 'Time', max: 8 },
    ...(wide
      ? [
          { label: 'Target', max: 11 },
          { label: 'Strategy', max: 14 },
        ]
      : []),
    { label: 'Trade', max: 16 },
    { label: 'Market', flex: true, max: 60 },
    { label: 'Us', max: 22 },
    { label: 'Fill', max: 16 },
  ];
  const { start, end } = visibleWindow(rows.length, selected, height - 1);
  const data = rows.slice(start, end).map((row) => {
    const tokenId = row.trade?.tokenId ?? row.decision?.tokenId;
    // Outcome first: in a narrow column it is the part that tells rows apart.
    const market = row.trade?.title ? `${row.trade.outcome} · ${row.trade.title}` : ((tokenId && snap.titleOf(tokenId)) ?? tokenId ?? '');
    return {
      Time: formatClock(row.tsMs),
      Target: shortWallet(row.trade?.wallet ?? row.decision?.wallet),
      Strategy: row.decision?.strategyId ?? '',
      Trade: tradeText(row),
      Market: market,
      Us: decisionText(row),
      Fill: fillText(row),
    };
  });
  if (rows.length === 0) {
    return (
      <Box flexDirection="column">
        <Text>{filter ? `No feed rows match "${filter}" (esc clears the filter).` : 'No target trades yet. Waiting for the feeds…'}</Text>
      </Box>
    );
  }
  return <DataTable columns={columns} rows={data} width={width} selected={selected - start} />;
}
