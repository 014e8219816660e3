/**
 * The polytail terminal UI: header, one main panel, a status line and key hints. It redraws from
 * snapshots pulled on a timer (≤ 10 per second, only when something changed or the clock ticked),
 * so a burst of engine events never floods the terminal.
 */
import React, { useCallback, useEffect, useRef, useState } from 'react';
import { Box, Text, useApp } from 'ink';
import type { EngineCommands, EngineView, Mode } from '../core/control.ts';
import { Header } from './header.tsx';
import { footerHints } from './keymap.ts';
import { ExplainOverlay, HelpOverlay } from './overlays.tsx';
import { FeedPanel } from './panels/feed-panel.tsx';
import { LogsPanel } from './panels/logs-panel.tsx';
import { OrdersPanel } from './panels/orders-panel.tsx';
import { PnlPanel } from './panels/pnl-panel.tsx';
import { PositionsPanel } from './panels/positions-panel.tsx';
import { RiskPanel } from './panels/risk-panel.tsx';
import { filteredFeed } from './panels/selectors.ts';
import { TargetsPanel } from './panels/targets-panel.tsx';
import type { ReplayControl } from '../core/replay-control.ts';
import type { SessionModel, SessionSnapshot } from './session-model.ts';
import { Styled, ThemeProvider } from './theme.tsx';
import { feedIndex, initialUiState, type UiState } from './ui-state.ts';
import { useAppKeys } from './use-app-keys.ts';
import { useTerminalSize } from './use-terminal-size.ts';

export interface AppProps {
  readonly model: SessionModel;
  readonly view: EngineView;
  readonly commands: EngineCommands;
  /** Shown in the header; normally `view.mode`. */
  readonly mode?: Mode;
  readonly replay?: ReplayControl;
  /** No colours, bold or inverse: plain text only. @default false */
  readonly noColor?: boolean;
  /** How often to look for changes, in ms (100 = at most 10 redraws a second). @default 100 */
  readonly refreshMs?: number;
  /** Called once when the user quits (before Ink unmounts). */
  readonly onQuit?: () => void;
  /** Attached to a served session (`polytail attach`): q detaches and the session keeps running. */
  readonly detach?: boolean;
}

const HEADER_LINES = 3;
const FOOTER_LINES = 2;

function replayKey(replay: ReplayControl | undefined): string {
  return replay ? `${replay.paused}|${replay.speed}|${replay.progress.toFixed(4)}|${Math.floor(replay.replayTimeMs / 1000)}` : '';
}

export function App(props: AppProps): React.ReactElement {
  const { model, view, commands, replay } = props;
  const { exit } = useApp();
  const { columns, rows } = useTerminalSize();
  const [snap, setSnapRaw] = useState<SessionSnapshot>(() => model.snapshot(view));
  const [state, setStateRaw] = useState<UiState>(initialUiState);
  // Keys read these refs, not render-time closures: a fast typist (or a paste) can send the next
  // key before React has re-rendered, and each key must see what the previous one did.
  const snapRef = useRef(snap);
  const stateRef = useRef(state);
  const last = useRef({ version: snap.version, replay: replayKey(replay), at: Date.now() });

  const refresh = useCallback(() => {
    last.current = { version: model.version, replay: replayKey(replay), at: Date.now() };
    snapRef.current = model.snapshot(view);
    setSnapRaw(snapRef.current);
  }, [model, view, replay]);

  useEffect(() => {
    const timer = setInterval(() => {
      const l = last.current;
      // Ages and the clock move even when nothing happens: redraw at least once a second.
      if (model.version !== l.version || replayKey(replay) !== l.replay || Date.now() - l.at >= 1000) refresh();
      // 4 data frames a second: a busy feed costs a core at 10 fps (Ink re-measures every line of every
      // frame), while keys still answer at once because they re-render from their own state.
    }, props.refreshMs ?? 250);
    return () => clearInterval(timer);
  }, [model, replay, refresh, props.refreshMs]);

  const quitting = useRef(false);
  const quit = useCallback(() => {
    if (quitting.current) return;
    quitting.current = true;
    props.onQuit?.();
    exit();
  }, [exit, props.onQuit]);

  const setState = useCallback((update: (s: UiState) => UiState) => {
    stateRef.current = update(stateRef.current);
    setStateRaw(stateRef.current);
  }, []);
  const keyContext = { setState, model, view, commands, replay, refresh, quit, detach: props.detach };
  const keyContextRef = useRef(keyContext);
  keyContextRef.current = keyContext;
  useAppKeys(() => ({ ...keyContextRef.current, state: stateRef.current, snap: snapRef.current }));

  const mode = props.mode ?? snap.mode;
  const width = Math.max(40, columns);
  // Ink repaints the whole screen once output reaches the last row: stay one line short of it.
  const height = Math.max(12, rows - 1);
  const panelHeight = height - HEADER_LINES - FOOTER_LINES;
  const shown = { ...snap, mode };

  return (
    <ThemeProvider value={{ noColor: props.noColor ?? false }}>
      <Box flexDirection="column" width={width} height={height}>
        <Header snap={shown} replay={replay} panel={state.panel} width={width} />
        {/* Clip rows only: every Text is already cut to the panel width, and a horizontal clip makes Ink
            measure and slice every line of every frame again (a fifth of a frame's cost on the feed). */}
        <Box height={panelHeight} flexDirection="column" overflowY="hidden">
          <MainPanel snap={shown} state={state} width={width} height={panelHeight} />
        </Box>
        <StatusLine state={state} width={width} />
        <Text wrap="truncate-end">{footerHints(mode, width)}</Text>
      </Box>
    </ThemeProvider>
  );
}

function MainPanel(props: { snap: SessionSnapshot; state: UiState; width: number; height: number }): React.ReactElement {
  const { snap, state, width, height } = props;
  if (state.overlay?.kind === 'help') return <HelpOverlay mode={snap.mode} width={width} height={height} />;
  if (state.overlay?.kind === 'explain')
    return <ExplainOverlay row={state.overlay.row} width={width} height={height} titleOf={snap.titleOf} />;
  const common = { snap, width, height };
  switch (state.panel) {
    case 'feed':
      return <FeedPanel {...common} selected={feedIndex(state, filteredFeed(snap, state.filter))} filter={state.filter} />;
    case 'positions':
      return <PositionsPanel {...common} selected={state.selected.positions} />;
    case 'pnl':
      return <PnlPanel {...common} />;
    case 'orders':
      return <OrdersPanel {...common} selected={state.selected.orders} />;
    case 'targets':
      return <TargetsPanel {...common} selected={state.selected.targets} />;
    case 'risk':
      return <RiskPanel {...common} selected={state.selected.risk} />;
    case 'logs':
      return <LogsPanel {...common} selected={state.selected.logs} />;
  }
}

function StatusLine(props: { state: UiState; width: number }): React.ReactElement {
  const { state } = props;
  if (state.confirm) {
    return (
      <Text wrap="truncate-end">
        <Styled tone="bad" bold inverse>
          {state.confirm.prompt}
        </Styled>
      </Text>
    );
  }
  if (state.filterDraft !== null) return <Text wrap="truncate-end">{`/ filter: ${state.filterDraft}█  (enter applies, esc clears)`}</Text>;
  const filter = state.filter ? `[filter: ${state.filter}] ` : '';
  return <Text wrap="truncate-end">{filter + (state.status || ' ')}</Text>;
}
