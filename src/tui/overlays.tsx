// Full-panel overlays: the key help, and "why?" for one decision (every check, value vs limit).
import React from 'react';
import { Box, Text } from 'ink';
import type { Mode } from '../core/control.ts';
import { DataTable, type Column } from './data-table.tsx';
import { compactShares, formatCheckNumber, formatDateTime, formatDetail, formatPrice, padRight, shortWallet, truncate } from './format.ts';
import { keyHelp } from './keymap.ts';
import type { FeedRow } from './session-model.ts';
import { Styled } from './theme.tsx';
import { fillText } from './panels/feed-panel.tsx';

export function HelpOverlay(props: { mode: Mode; width: number; height: number }): React.ReactElement {
  const entries = keyHelp(props.mode);
  const columns = props.width >= 80 && entries.length > props.height - 3 ? 2 : 1;
  const colWidth = Math.floor((props.width - 2) / columns);
  const perColumn = Math.ceil(entries.length / columns);
  const lines: string[] = [];
  for (let r = 0; r < perColumn; r++) {
    let line = '';
    for (let c = 0; c < columns; c++) {
      const e = entries[c * perColumn + r];
      // Two spaces between columns, so a truncated action never runs into the next key.
      if (e) line += padRight(`${padRight(e.keys, 11)} ${e.action}`, colWidth - 2) + '  ';
    }
    lines.push(line.trimEnd());
  }
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Styled bold>{'Keys'}</Styled>
        {props.mode === 'replay' ? '  (replay: p pauses the replay clock, not the strategies)' : '  (esc or ? closes)'}
      </Text>
      {lines.slice(0, Math.max(1, props.height - 1)).map((l, i) => (
        <Text key={i} wrap="truncate-end">
          {l}
        </Text>
      ))}
    </Box>
  );
}

export function ExplainOverlay(props: {
  row: FeedRow;
  width: number;
  height: number;
  titleOf: (tokenId: string) => string | undefined;
}): React.ReactElement {
  const { row, width, height } = props;
  const d = row.decision!;
  const t = row.trade;
  const verdict = d.action === 'copy' || d.action === 'order' ? `✓ ${d.action}` : `✗ ${d.action}: ${d.reason}`;
  const market = t?.title ? `${t.title} · ${t.outcome}` : d.tokenId ? (props.titleOf(d.tokenId) ?? d.tokenId) : '';
  const checkColumns: Column[] = [
    { label: 'Check', max: 24 },
    { label: 'OK', max: 4 },
    { label: 'Value', align: 'right', max: 12 },
    { label: 'Limit', align: 'right', max: 12 },
    { label: 'Why', flex: true, max: 60 },
  ];
  const checkRows = d.checks.map((c) => ({
    Check: c.code,
    OK: c.passed ? 'ok' : 'FAIL',
    Value: formatCheckNumber(c.code, c.value),
    Limit: formatCheckNumber(c.code, c.limit),
    Why: c.message,
  }));
  const details = Object.entries(d.details)
    .map(([k, v]) => `${k}=${formatDetail(k, v)}`)
    .join('  ');
  const fixedLines = 6;
  return (
    <Box flexDirection="column" width={width}>
      <Text wrap="truncate-end">
        <Styled bold>{`Why? ${d.strategyId}  `}</Styled>
        <Styled tone={d.action === 'copy' || d.action === 'order' ? 'good' : 'bad'} bold>
          {verdict}
        </Styled>
        {`  ${formatDateTime(d.tsMs)}  (esc closes)`}
      </Text>
      <Text wrap="truncate-end">{truncate(d.message, width)}</Text>
      <Text wrap="truncate-end">
        {t
          ? `Target ${shortWallet(t.wallet)} ${t.side} ${compactShares(t.sizeMicros)} @ ${formatPrice(t.priceMicros)} via ${t.source}  ${market}`
          : `No target trade (own order)  ${market}`}
      </Text>
      <Text wrap="truncate-end">{`Our order: ${d.clientOrderId ?? 'none'}  ${fillText(row) || '-'}`}</Text>
      {d.checks.length === 0 ? (
        <Text>No risk checks ran (decided before risk: see reason and details).</Text>
      ) : (
        <DataTable columns={checkColumns} rows={checkRows.slice(0, Math.max(1, height - fixedLines - 1))} width={width} />
      )}
      <Text wrap="wrap">{details ? `Details: ${details}` : 'Details: none'}</Text>
    </Box>
  );
}
