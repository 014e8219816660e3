/** Replay inside the TUI: the engine runs paced while the UI draws; the report prints after quitting. */
import type { EngineCommands, EngineView } from '../../core/control.ts';
import { ReplayPacer } from '../../modes/replay-pacer.ts';
import { runReplay, type ReplayOptions } from '../../modes/replay.ts';
import { renderReport } from '../../report/human-report.ts';
import { RecordingStore } from '../../store/index.ts';
import { SessionModel, runTui } from '../../tui/index.ts';

export async function replayInTui(options: ReplayOptions, speed: number): Promise<void> {
  const total = await countEvents(options.recording);
  const pacer = new ReplayPacer(total, speed);
  const model = new SessionModel();
  const abort = new AbortController();
  // The TUI reads snapshots and sends commands: it gets the engine's control, nothing else of it.
  let control: (EngineView & EngineCommands) | undefined;
  let tui: Promise<void> | undefined;
  const ready = new Promise<EngineView & EngineCommands>((resolve) => {
    options = { ...options, pacer, signal: abort.signal, listeners: [model], onEngine: (e) => resolve((control = e.control)) };
  });
  const replay = runReplay(options);
  replay.catch(() => undefined);
  const c = await Promise.race([ready, replay.then(() => control!)]);
  tui = runTui({ model, view: c, commands: c, replay: pacer });
  await tui;
  abort.abort();
  pacer.togglePause(); // release a paused loop so it can see the abort
  const { summary } = await replay;
  process.stdout.write(renderReport(summary, process.stdout.columns || 100) + '\n');
}

async function countEvents(path: string): Promise<number> {
  const store = await RecordingStore.open(path, { readOnly: true });
  try {
    const counts = await store.counts();
    return counts.markets + counts.target_trades + counts.book_snapshots + counts.book_changes + counts.trade_prints + counts.resolutions;
  } finally {
    await store.close();
  }
}
