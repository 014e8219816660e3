/** Replay inside the TUI: the engine runs paced while the UI draws; the report prints after quitting. */
import type { Engine } from '../../engine/engine.ts';
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
  let engine: Engine | undefined;
  let tui: Promise<void> | undefined;
  const ready = new Promise<Engine>((resolve) => {
    options = { ...options, pacer, signal: abort.signal, listeners: [model], onEngine: (e) => resolve((engine = e)) };
  });
  const replay = runReplay(options);
  replay.catch(() => undefined);
  const e = await Promise.race([ready, replay.then(() => engine!)]);
  tui = runTui({ model, view: e.control, commands: e.control, replay: pacer });
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
