/**
 * A sweep worker thread: loads the recording's events once (read-only), then replays them for each
 * combination it is sent, on the training and the held-out window.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { EngineEvent } from '../../core/events.ts';
import type { PolytailConfig } from '../../config/config.ts';
import { RecordingStore } from '../../store/index.ts';
import type { Overrides } from '../assemble.ts';
import { runSession } from '../replay-session.ts';
import { applyCombination } from './grid.ts';
import { metricsOf } from './metrics.ts';
import type { FillModel } from '../../exec/sim/sim-venue.ts';

export interface WorkerSetup {
  recording: string;
  config: PolytailConfig;
  overrides: Overrides;
  hasBooks: boolean;
  windows: { train: { from: number; to: number }; test: { from: number; to: number } };
}

export type WorkerRequest = { type: 'run'; index: number; combo: Record<string, number | string | boolean> } | { type: 'stop' };

const setup = workerData as WorkerSetup;
const port = parentPort!;

const events = await loadEvents(setup.recording);
port.postMessage({ type: 'ready' });

port.on('message', async (message: WorkerRequest) => {
  if (message.type === 'stop') {
    port.close();
    return;
  }
  try {
    const { config, overrides } = applyCombination(setup.config, setup.overrides, message.combo);
    const fillModel: FillModel = config.fillModel === 'auto' ? (setup.hasBooks ? 'book-walk' : 'target-price') : config.fillModel;
    const run = async (window: { from: number; to: number }) => {
      const { summary } = await runSession({
        config,
        overrides,
        events: [slice(events, window)],
        fillModel,
        startMs: window.from,
        runId: `sweep-${message.index}`,
        from: window.from,
        to: window.to,
      });
      return metricsOf(summary);
    };
    const train = await run(setup.windows.train);
    const test = await run(setup.windows.test);
    port.postMessage({ type: 'result', index: message.index, combo: message.combo, train, test });
  } catch (error) {
    port.postMessage({ type: 'error', index: message.index, message: (error as Error).message });
  }
});

async function loadEvents(path: string): Promise<EngineEvent[]> {
  const store = await RecordingStore.open(path, { readOnly: true });
  try {
    const all: EngineEvent[] = [];
    for await (const batch of store.streamEvents()) for (const e of batch) all.push(e);
    return all;
  } finally {
    await store.close();
  }
}

/** Market metadata from anywhere (it is not an event in time), everything else inside [from, to). */
function slice(all: EngineEvent[], window: { from: number; to: number }): EngineEvent[] {
  return all.filter((e) => e.type === 'market' || (e.tsRecv >= window.from && e.tsRecv < window.to));
}
