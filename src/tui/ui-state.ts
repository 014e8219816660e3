// The TUI's own state (which panel, what is selected, overlays, prompts), kept apart from the engine's.
import type { FeedRow } from './session-model.ts';
import type { PanelId } from './panels/selectors.ts';

export type Overlay = { kind: 'help' } | { kind: 'explain'; row: FeedRow } | null;

export interface Confirm {
  kind: 'quit' | 'kill';
  prompt: string;
}

export interface UiState {
  panel: PanelId;
  /** Selected index per panel (for the feed: used only when `feedRowId` is null). */
  selected: Record<PanelId, number>;
  /** The feed selection sticks to a row as new rows arrive on top; null follows the newest. */
  feedRowId: number | null;
  overlay: Overlay;
  confirm: Confirm | null;
  /** Text being typed after `/`; null when not typing. */
  filterDraft: string | null;
  filter: string;
  status: string;
}

export const initialUiState: UiState = {
  panel: 'feed',
  selected: { feed: 0, positions: 0, pnl: 0, orders: 0, targets: 0, risk: 0, logs: 0 },
  feedRowId: null,
  overlay: null,
  confirm: null,
  filterDraft: null,
  filter: '',
  status: '',
};

/** Multipliers `+`/`-` step through (beyond the ends they stop). */
export const MULTIPLIER_STEPS = [0.1, 0.25, 0.5, 0.75, 1, 1.25, 1.5, 2, 2.5, 3, 4, 5, 10] as const;

export function nextMultiplier(current: number, direction: 1 | -1): number {
  if (direction > 0) return MULTIPLIER_STEPS.find((s) => s > current + 1e-9) ?? current;
  return [...MULTIPLIER_STEPS].reverse().find((s) => s < current - 1e-9) ?? current;
}

/** The feed index of the selected row, following `feedRowId` when it is still listed. */
export function feedIndex(state: UiState, rows: readonly FeedRow[]): number {
  if (state.feedRowId === null) return 0;
  const i = rows.findIndex((r) => r.rowId === state.feedRowId);
  return i >= 0 ? i : Math.min(state.selected.feed, Math.max(0, rows.length - 1));
}
