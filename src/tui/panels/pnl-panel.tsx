// 3 PnL: the equity curve (asciichart) over a time axis, realized/unrealized/fees and drawdown.
import React from 'react';
import { Box, Text } from 'ink';
import asciichart from 'asciichart';
import type { EquityPoint } from '../../core/ports.ts';
import { formatUsd } from '../../core/money.ts';
import { formatShortDateTime, padLeft, signedUsd } from '../format.ts';
import { Styled, toneOfAmount } from '../theme.tsx';
import type { PanelProps } from './panel-props.ts';

const LABEL_WIDTH = 11;

/** Equity in dollars at `columns` evenly spaced times (each the last point at or before it). */
export function resampleByTime(points: readonly EquityPoint[], columns: number): number[] {
  if (points.length === 0 || columns <= 0) return [];
  const first = points[0]!.tsMs;
  const last = points[points.length - 1]!.tsMs;
  if (points.length === 1 || last === first)
    return new Array(Math.min(columns, points.length)).fill(points[points.length - 1]!.equityMicros / 1e6);
  const out: number[] = [];
  let j = 0;
  for (let i = 0; i < columns; i++) {
    const t = first + ((last - first) * i) / (columns - 1);
    while (j + 1 < points.length && points[j + 1]!.tsMs <= t) j++;
    out.push(points[j]!.equityMicros / 1e6);
  }
  return out;
}

function timeAxis(points: readonly EquityPoint[], plotWidth: number): string {
  if (points.length === 0) return '';
  const left = formatShortDateTime(points[0]!.tsMs);
  const right = formatShortDateTime(points[points.length - 1]!.tsMs);
  const gap = Math.max(1, plotWidth - left.length - right.length);
  return ' '.repeat(LABEL_WIDTH + 2) + left + ' '.repeat(gap) + right;
}

export function PnlPanel(props: Omit<PanelProps, 'selected'>): React.ReactElement {
  const { snap, width, height } = props;
  const e = snap.equity;
  const summary = (
    <Box flexDirection="column">
      <Text>
        {'Equity '}
        <Styled bold>{formatUsd(e.equityMicros)}</Styled>
        {'  cash '}
        {formatUsd(e.cashMicros)}
        {'  today '}
        <Styled tone={toneOfAmount(snap.todayPnlMicros)}>{signedUsd(snap.todayPnlMicros)}</Styled>
      </Text>
      <Text>
        {'Realized '}
        <Styled tone={toneOfAmount(e.realizedMicros)}>{signedUsd(e.realizedMicros)}</Styled>
        {'  unrealized '}
        <Styled tone={toneOfAmount(e.unrealizedMicros)}>{signedUsd(e.unrealizedMicros)}</Styled>
        {'  fees '}
        {formatUsd(e.feesMicros)}
        {'  drawdown '}
        {formatUsd(snap.drawdownMicros)} ({(snap.drawdownFraction * 100).toFixed(1)}%){'  max '}
        {(snap.maxDrawdownFraction * 100).toFixed(1)}%
      </Text>
    </Box>
  );
  const chartRows = height - 3;
  const plotWidth = width - LABEL_WIDTH - 3;
  if (snap.equityCurve.length < 2 || chartRows < 3 || plotWidth < 10) {
    return (
      <Box flexDirection="column">
        {summary}
        <Text>
          {snap.equityCurve.length < 2 ? 'The equity curve appears after a few equity updates.' : 'Terminal too small for the chart.'}
        </Text>
      </Box>
    );
  }
  const series = resampleByTime(snap.equityCurve, plotWidth);
  const chart = asciichart.plot(series, {
    height: chartRows - 1,
    format: (x: number) => padLeft(`$${x.toFixed(2)}`, LABEL_WIDTH),
  });
  return (
    <Box flexDirection="column">
      {summary}
      <Text>{chart}</Text>
      <Text>{timeAxis(snap.equityCurve, plotWidth)}</Text>
    </Box>
  );
}
