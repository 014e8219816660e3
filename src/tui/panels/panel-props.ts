import type { SessionSnapshot } from '../session-model.ts';

/** What every panel gets: the snapshot, its box size and the selected row. */
export interface PanelProps {
  readonly snap: SessionSnapshot;
  readonly width: number;
  readonly height: number;
  readonly selected: number;
}
