export { App, type AppProps } from './app.tsx';
export { runTui, noColorFromEnv, type RunTuiOptions } from './run-tui.tsx';
export {
  SessionModel,
  DEFAULT_CAPACITIES,
  type SessionSnapshot,
  type SessionCapacities,
  type TargetScore,
  type FeedRow,
  type FillState,
  type LogLine,
  type OrderLogRow,
} from './session-model.ts';
export type { ReplayControl } from '../core/replay-control.ts';
export { keyHelp } from './keymap.ts';
