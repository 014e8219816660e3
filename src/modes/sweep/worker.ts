/**
 * A sweep worker thread: replays its share of the combinations, each on the training and the held-out
 * window, in one read of the recording (replayMany), and posts progress and one result per combination.
 */
import { parentPort } from 'node:worker_threads';
import type { PolytailConfig } from '../../config/config.ts';
import type { Overrides } from '../assemble.ts';
import { applyCombination } from './grid.ts';
import { metricsOf, type SweepMetrics } from './metrics.ts';
import { replayMany, type PassRun } from './one-pass.ts';

export type Combo = Record<string, number | string | boolean>;

export interface WorkerSetup {
  recording: string;
  config: PolytailConfig;
  overrides: Overrides;
  hasBooks: boolean;
  windows: { train: { from: number; to: number }; test: { from: number; to: number } };
}

/** What a worker is given: the sweep and its share of the combinations (with their index in the whole grid). */
export interface WorkerData {
  setup: WorkerSetup;
  share: { index: number; combo: Combo }[];
}

export type WorkerMessage =
  | { type: 'progress'; fraction: number }
  | { type: 'result'; index: number; train: SweepMetrics; test: SweepMetrics }
  | { type: 'error'; index: number; message: string }
  | { type: 'done' };

const port = parentPort!;
// The share comes as a message, not as workerData: the sweep starts its workers before it has read the recording's facts.
const { setup, share } = await new Promise<WorkerData>((resolve) => port.once('message', resolve));
const post = (message: WorkerMessage) => port.postMessage(message);

const runs: PassRun[] = [];
/** Per combination: where its two runs are in `runs`, or why it could not be built. */
const planned: ({ at: number } | { error: string })[] = [];
for (const { index, combo } of share) {
  try {
    const { config, overrides } = applyCombination(setup.config, setup.overrides, combo);
    planned.push({ at: runs.length });
    runs.push({ config, overrides, window: setup.windows.train, runId: `sweep-${index}-train` });
    runs.push({ config, overrides, window: setup.windows.test, runId: `sweep-${index}-test` });
  } catch (error) {
    planned.push({ error: (error as Error).message });
  }
}

const results = await replayMany(setup.recording, runs, { onProgress: (fraction) => post({ type: 'progress', fraction }) });
for (const [k, { index }] of share.entries()) {
  const plan = planned[k]!;
  if ('error' in plan) {
    post({ type: 'error', index, message: plan.error });
    continue;
  }
  const train = results[plan.at]!;
  const test = results[plan.at + 1]!;
  if (train.summary && test.summary) post({ type: 'result', index, train: metricsOf(train.summary), test: metricsOf(test.summary) });
  else post({ type: 'error', index, message: (train.error ?? test.error)! });
}
post({ type: 'done' });
