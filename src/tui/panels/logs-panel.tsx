// 7 Logs/alerts: alerts, risk state changes, rejections and what the TUI itself did, newest first.
import React from 'react';
import { Box, Text } from 'ink';
import { formatClock, truncate, visibleWindow } from '../format.ts';
import { Styled } from '../theme.tsx';
import type { PanelProps } from './panel-props.ts';

const LEVEL_TONE = { info: 'info', warn: 'warn', critical: 'bad' } as const;
const LEVEL_TEXT = { info: 'INFO', warn: 'WARN', critical: 'CRIT' } as const;

export function LogsPanel(props: PanelProps): React.ReactElement {
  const { snap, width, height, selected } = props;
  if (snap.logs.length === 0) return <Text>No alerts or log lines yet.</Text>;
  const { start, end } = visibleWindow(snap.logs.length, selected, height);
  return (
    <Box flexDirection="column">
      {snap.logs.slice(start, end).map((l, i) => {
        const prefix = `${start + i === selected ? '›' : ' '} ${formatClock(l.tsMs)} `;
        const rest = ` ${l.code}: ${l.message}`;
        return (
          <Text key={start + i}>
            {prefix}
            <Styled tone={LEVEL_TONE[l.level]} bold={l.level === 'critical'}>
              {LEVEL_TEXT[l.level]}
            </Styled>
            {truncate(rest, Math.max(0, width - prefix.length - 4))}
          </Text>
        );
      })}
    </Box>
  );
}
