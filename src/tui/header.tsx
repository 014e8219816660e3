// The top three lines: mode badge and money, feed health (or the replay clock), and the panel tabs.
import React from 'react';
import { Box, Text } from 'ink';
import type { FeedHealth } from '../core/control.ts';
import { formatUsd } from '../core/money.ts';
import { formatAge, formatClock, formatDateTime, signedUsd } from './format.ts';
import { PANELS, PANEL_TITLES, type PanelId } from './panels/selectors.ts';
import type { ReplayControl } from '../core/replay-control.ts';
import type { SessionSnapshot } from './session-model.ts';
import { ModeBadge, Styled, toneOfAmount, toneOfRisk, useTheme } from './theme.tsx';

function feedText(f: FeedHealth, nowMs: number): string {
  const age = f.lastMessageMs === undefined ? 'never' : formatAge(nowMs - f.lastMessageMs);
  const lag = f.lagMs === undefined ? '' : ` lag ${formatAge(f.lagMs)}`;
  if (f.idle && !f.connected) return `${f.source} – idle`;
  const down = f.downSinceMs === undefined ? '✕ DOWN' : `✕ DOWN ${formatAge(nowMs - f.downSinceMs)}`;
  const head = f.headBlock ? ` #${f.headBlock}` : '';
  const again = f.headBlock !== undefined && f.reconnects > 0 ? ` ↻${f.reconnects}` : '';
  return `${f.source} ${f.connected ? '●' : down} ${age}${lag}${head}${again}`;
}

export function speedText(speed: number): string {
  return Number.isFinite(speed) ? `${speed}x` : 'max';
}

export function Header(props: { snap: SessionSnapshot; replay?: ReplayControl; panel: PanelId; width: number }): React.ReactElement {
  const { snap, replay, panel } = props;
  const { noColor } = useTheme();
  const targets = snap.strategies.filter((s) => s.kind === 'copy').length;
  const isReplay = snap.mode === 'replay';
  // Replay time is long (it has a date): it leads the second line instead of ending the first.
  const clock = isReplay ? formatDateTime(replay?.replayTimeMs ?? snap.nowMs) : `${formatClock(snap.nowMs)} UTC`;
  return (
    <Box flexDirection="column" width={props.width}>
      <Text wrap="truncate-end">
        <ModeBadge mode={snap.mode} />
        {` targets ${targets}  equity `}
        <Styled bold>{formatUsd(snap.equity.equityMicros)}</Styled>
        {'  today '}
        <Styled tone={toneOfAmount(snap.todayPnlMicros)}>{signedUsd(snap.todayPnlMicros)}</Styled>
        {'  risk '}
        <Styled tone={toneOfRisk(snap.riskState)} bold={snap.riskState !== 'active'}>
          {snap.riskState === 'active' ? 'active' : snap.riskState.toUpperCase()}
        </Styled>
        {isReplay ? '' : `  ${clock}`}
      </Text>
      <Text wrap="truncate-end">
        {isReplay ? `${clock} ` : ''}
        {replay ? (
          <>
            {replay.paused ? (
              <Styled tone="warn" bold>
                {'⏸ PAUSED'}
              </Styled>
            ) : (
              <Styled tone="good">{'▶ playing'}</Styled>
            )}
            {` ${speedText(replay.speed)} ${(replay.progress * 100).toFixed(0)}%  `}
          </>
        ) : null}
        {snap.feedHealth.length === 0 ? 'feeds: none' : 'feeds: '}
        {snap.feedHealth.map((f, i) => (
          <Styled key={f.source} tone={f.connected || f.idle ? 'plain' : 'bad'}>
            {(i > 0 ? ' │ ' : '') + feedText(f, snap.nowMs)}
          </Styled>
        ))}
      </Text>
      <Text wrap="truncate-end">
        {PANELS.map((id, i) => {
          const label = `${i + 1} ${PANEL_TITLES[id]}`;
          if (id !== panel) return <Text key={id}>{` ${label} `}</Text>;
          // Brackets as well as inverse: the active tab must read on a terminal without colour.
          return noColor ? <Text key={id}>{`[${label}]`}</Text> : <Styled key={id} inverse bold>{`[${label}]`}</Styled>;
        })}
      </Text>
    </Box>
  );
}
