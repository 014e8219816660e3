// Maps keys to intents. Order matters: a y/n prompt first, then the filter being typed, then an
// open overlay, then the normal keys. Every command's outcome goes to the status line and the log.
import { useCallback, useRef } from 'react';
import { useInput, useStdin, type Key } from 'ink';
import type { EngineCommands, EngineView, StrategyStatus } from '../core/control.ts';
import { formatUsd, notional } from '../core/money.ts';
import { filteredFeed, PANELS, selectableCount } from './panels/selectors.ts';
import type { ReplayControl } from '../core/replay-control.ts';
import type { SessionModel, SessionSnapshot } from './session-model.ts';
import { feedIndex, nextMultiplier, type UiState } from './ui-state.ts';
import { speedText } from './header.tsx';

export interface KeyContext {
  readonly state: UiState;
  readonly setState: (update: (s: UiState) => UiState) => void;
  readonly snap: SessionSnapshot;
  readonly model: SessionModel;
  readonly view: EngineView;
  readonly commands: EngineCommands;
  readonly replay?: ReplayControl;
  /** Pull a fresh snapshot now (after a command), instead of at the next tick. */
  readonly refresh: () => void;
  readonly quit: () => void;
  /** Attached to a served session: quitting only detaches, so there is nothing to confirm. */
  readonly detach?: boolean;
}

/** The strategy `space` and `+`/`-` act on: the feed row's, the position's, or the Targets selection. */
export function selectedStrategy(state: UiState, snap: SessionSnapshot): StrategyStatus | undefined {
  const byId = (id: string | undefined) => (id ? snap.strategies.find((s) => s.id === id) : undefined);
  if (state.panel === 'feed') {
    const rows = filteredFeed(snap, state.filter);
    const found = byId(rows[feedIndex(state, rows)]?.decision?.strategyId);
    if (found) return found;
  }
  if (state.panel === 'positions') {
    const found = byId(snap.positions[state.selected.positions]?.holders[0]?.strategyId);
    if (found) return found;
  }
  return snap.strategies[Math.min(state.selected.targets, snap.strategies.length - 1)];
}

/** Our exposure in a strategy's positions, marked (or at cost when unmarked). */
export function strategyExposure(snap: SessionSnapshot, strategyId: string): number {
  let total = 0;
  for (const p of snap.positions) {
    for (const h of p.holders) if (h.strategyId === strategyId) total += notional(h.sizeMicros, p.markMicros ?? p.avgPriceMicros);
  }
  return total;
}

export function handleKey(input: string, key: Key, ctx: KeyContext): void {
  const { state, setState, snap, commands, replay } = ctx;
  const status = (text: string) => setState((s) => ({ ...s, status: text }));
  const act = (what: string, run: () => void) => {
    try {
      run();
      ctx.model.note(snap.nowMs, what);
      status(what);
    } catch (error) {
      status(`${what} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    ctx.refresh();
  };

  if (key.ctrl && input === 'c') return ctx.quit();

  if (state.confirm) {
    const confirm = state.confirm;
    setState((s) => ({ ...s, confirm: null, status: 'cancelled' }));
    if (input !== 'y' && input !== 'Y') return;
    if (confirm.kind === 'quit') return ctx.quit();
    return act('KILL SWITCH engaged: orders cancelled, trading halted', () => commands.killSwitch('kill switch from the TUI'));
  }

  if (state.filterDraft !== null) {
    if (key.return)
      return setState((s) => ({
        ...s,
        filter: s.filterDraft ?? '',
        filterDraft: null,
        feedRowId: null,
        status: s.filterDraft ? `filter: ${s.filterDraft}` : '',
      }));
    if (key.escape) return setState((s) => ({ ...s, filter: '', filterDraft: null, feedRowId: null, status: 'filter cleared' }));
    if (key.backspace || key.delete) return setState((s) => ({ ...s, filterDraft: (s.filterDraft ?? '').slice(0, -1) }));
    if (input && !key.ctrl && !key.meta) return setState((s) => ({ ...s, filterDraft: (s.filterDraft ?? '') + input }));
    return;
  }

  if (state.overlay) {
    if (key.escape || key.return || input === '?' || input === 'q') setState((s) => ({ ...s, overlay: null }));
    return;
  }

  const panelIndex = PANELS.indexOf(state.panel);
  if (key.tab) {
    const next = PANELS[(panelIndex + (key.shift ? PANELS.length - 1 : 1)) % PANELS.length]!;
    return setState((s) => ({ ...s, panel: next }));
  }
  if (/^[1-7]$/.test(input)) return setState((s) => ({ ...s, panel: PANELS[Number(input) - 1]! }));

  if (key.upArrow || key.downArrow || input === 'j' || input === 'k') {
    const delta = key.downArrow || input === 'j' ? 1 : -1;
    const count = selectableCount(state.panel, snap, state.filter);
    if (state.panel === 'feed') {
      const rows = filteredFeed(snap, state.filter);
      const i = Math.max(0, Math.min(rows.length - 1, feedIndex(state, rows) + delta));
      return setState((s) => ({ ...s, selected: { ...s.selected, feed: i }, feedRowId: i === 0 ? null : (rows[i]?.rowId ?? null) }));
    }
    return setState((s) => ({
      ...s,
      selected: { ...s.selected, [s.panel]: Math.max(0, Math.min(count - 1, s.selected[s.panel] + delta)) },
    }));
  }

  switch (input) {
    case '?':
      return setState((s) => ({ ...s, overlay: { kind: 'help' } }));
    case 'q': {
      // Ask the engine now, not the last snapshot: an order placed since the last redraw counts.
      const open = ctx.view.snapshot().openOrders.length;
      if (snap.mode === 'live' && open > 0 && !ctx.detach) {
        return setState((s) => ({
          ...s,
          confirm: { kind: 'quit', prompt: `${open} order(s) still open on the exchange. Quit anyway? (y/n)` },
        }));
      }
      return ctx.quit();
    }
    case 'X':
      return setState((s) => ({ ...s, confirm: { kind: 'kill', prompt: 'KILL SWITCH: cancel every order and halt trading? (y/n)' } }));
    case 'p':
      if (snap.mode === 'replay') {
        if (!replay) return status('replay control is not available');
        replay.togglePause();
        ctx.refresh();
        return status(replay.paused ? 'replay paused (p plays)' : 'replay playing');
      }
      if (snap.riskState === 'paused') return act('resumed all strategies', () => commands.resumeAll());
      return act('paused all strategies (p resumes)', () => commands.pauseAll('paused from the TUI'));
    case ' ': {
      const s = selectedStrategy(state, snap);
      if (!s) return status('no target selected (panel 5 lists them)');
      if (s.paused) return act(`resumed ${s.id}`, () => commands.resumeStrategy(s.id));
      return act(`paused ${s.id}`, () => commands.pauseStrategy(s.id, 'paused from the TUI'));
    }
    case '+':
    case '=':
    case '-': {
      const s = selectedStrategy(state, snap);
      if (!s) return status('no target selected (panel 5 lists them)');
      const current = s.multiplier ?? 1;
      const wanted = nextMultiplier(current, input === '-' ? -1 : 1);
      if (wanted === current) return status(`${s.id} multiplier stays ×${current.toFixed(2)} (limit of the steps)`);
      try {
        const applied = commands.setMultiplier(s.id, wanted);
        const exposure = strategyExposure(snap, s.id);
        const projected = Math.round((exposure * applied) / current);
        const change = projected - exposure;
        // Numbers first: the status line is cut at the terminal's width.
        const text = `×${current.toFixed(2)} → ×${applied.toFixed(2)} exposure ${formatUsd(exposure)} → ${formatUsd(projected)} (${change >= 0 ? '+' : ''}${formatUsd(change)}) if the targets keep their positions · ${s.id}`;
        ctx.model.note(snap.nowMs, text);
        status(text);
      } catch (error) {
        status(`multiplier change failed: ${error instanceof Error ? error.message : String(error)}`);
      }
      return ctx.refresh();
    }
    case 'c': {
      if (state.panel !== 'orders') return status('select an open order in panel 4 to cancel it');
      const order = snap.openOrders[state.selected.orders];
      if (!order) return status('no open order selected');
      return act(`cancel requested for ${order.clientOrderId}`, () => commands.cancelOrder(order.clientOrderId));
    }
    case 'r':
      return act('resync requested', () => commands.resync());
    case '/':
      return setState((s) => ({ ...s, panel: 'feed', filterDraft: s.filter }));
    case '.':
    case 's':
    case '>':
    case '<': {
      if (!replay) return status('stepping and speed work in replay only');
      if (input === '>') replay.faster();
      else if (input === '<') replay.slower();
      else replay.step();
      ctx.refresh();
      return status(input === '>' || input === '<' ? `replay speed ${speedText(replay.speed)}` : 'stepped one event');
    }
  }

  if (key.escape && state.filter) return setState((s) => ({ ...s, filter: '', feedRowId: null, status: 'filter cleared' }));
  if (key.return) {
    if (state.panel !== 'feed') return status('enter explains a decision: select one in the Feed (1)');
    const rows = filteredFeed(snap, state.filter);
    const row = rows[feedIndex(state, rows)];
    if (!row?.decision) return status(row ? 'no decision for this trade yet' : 'nothing selected');
    return setState((s) => ({ ...s, overlay: { kind: 'explain', row } }));
  }
}

/** Wires handleKey to Ink's input; `context` is read at each key, so it is never stale. */
export function useAppKeys(context: () => KeyContext): void {
  const ref = useRef(context);
  ref.current = context;
  const handler = useCallback((input: string, key: Key) => handleKey(input, key, ref.current()), []);
  // Without a terminal on stdin (piped, CI) the TUI still draws; it just cannot take keys.
  const { isRawModeSupported } = useStdin();
  useInput(handler, { isActive: isRawModeSupported === true });
}
