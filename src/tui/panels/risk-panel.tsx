// 6 Risk: each configured limit's usage (view.riskUsage()) as a bar, value vs limit.
import React from 'react';
import { Box, Text } from 'ink';
import type { CheckResult } from '../../core/ports.ts';
import { formatCheckNumber, padRight, truncate, visibleWindow } from '../format.ts';
import { Styled, toneOfRisk } from '../theme.tsx';
import type { PanelProps } from './panel-props.ts';

/** Usage as a fraction of the limit (0..1+), or undefined when the check has no numbers. */
export function usageOf(check: CheckResult): number | undefined {
  if (check.value === undefined || check.limit === undefined || check.limit === 0) return undefined;
  return Math.abs(check.value) / Math.abs(check.limit);
}

export function usageBar(fraction: number | undefined, width: number): string {
  if (fraction === undefined) return ' '.repeat(width);
  const filled = Math.max(0, Math.min(width, Math.round(fraction * width)));
  return '█'.repeat(filled) + '░'.repeat(width - filled);
}

export function RiskPanel(props: PanelProps): React.ReactElement {
  const { snap, width, height, selected } = props;
  const checks = snap.riskUsage;
  const head = (
    <Text>
      {'Risk state: '}
      <Styled tone={toneOfRisk(snap.riskState)} bold>
        {snap.riskState.toUpperCase()}
      </Styled>
      {`   drawdown ${(snap.drawdownFraction * 100).toFixed(1)}% of peak`}
    </Text>
  );
  if (checks.length === 0) {
    return (
      <Box flexDirection="column">
        {head}
        <Text>No limits configured.</Text>
      </Box>
    );
  }
  const codeWidth = Math.min(24, Math.max(...checks.map((c) => c.code.length)));
  const barWidth = Math.max(8, Math.min(30, width - codeWidth - 36));
  const { start, end } = visibleWindow(checks.length, selected, height - 1);
  return (
    <Box flexDirection="column">
      {head}
      {checks.slice(start, end).map((c, i) => {
        const u = usageOf(c);
        const tone = !c.passed ? 'bad' : u !== undefined && u >= 0.8 ? 'warn' : 'good';
        const numbers = `${formatCheckNumber(c.code, c.value)} / ${formatCheckNumber(c.code, c.limit)}`;
        const pct = u === undefined ? (c.passed ? '  ok' : 'FAIL') : `${Math.round(u * 100)}%`.padStart(4);
        const line = `${start + i === selected ? '›' : ' '} ${padRight(c.code, codeWidth)} `;
        const rest = ` ${pct} ${c.passed ? '' : '! '}${numbers}`;
        return (
          <Text key={c.code + i}>
            {line}
            <Styled tone={tone}>{usageBar(u, barWidth)}</Styled>
            {truncate(rest, Math.max(0, width - line.length - barWidth))}
          </Text>
        );
      })}
    </Box>
  );
}
