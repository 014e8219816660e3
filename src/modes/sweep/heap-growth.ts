/**
 * How far V8 lets a heap grow past what its last full collection kept, while sweeps run.
 *
 * By its own rule V8 lets a heap that allocates fast grow to about 4× its live size before the next
 * full collection. A sweep worker allocates an event's decisions, orders and fills for every run it
 * drives and keeps little: on the million-trade recording, 100 combinations on two workers, each
 * worker kept 90–150 MB after a full collection and had 530–590 MB committed, 1.7 GB for the process.
 * Held to twice the live size, the same sweep peaked at 1.18 GB (two pairs: 1.68 → 1.18 and
 * 1.76 → 1.18 GB, CPU 1.00× and 1.02×), and 20 combinations at 690–700 MB instead of 810–830 (three
 * pairs, CPU 0.99–1.03×). Held to 1.5× the live size it peaked at ~1.0 GB but took 1.01–1.11× the CPU
 * (docs/benchmarks.md, "Results, 2026-12-03 (fourth pass)"). Unlike a cap on the heap (`resourceLimits`),
 * this never ends a worker whose runs need more: the heap still grows, in smaller steps.
 *
 * The flag is the process's, not a worker's, so it holds while any sweep runs and is cleared (0: V8's
 * own rule) when the last one ends. A value given on node's command line is left alone.
 */
import { setFlagsFromString } from 'node:v8';

export const SWEEP_HEAP_GROWING_PERCENT = 100;

export interface HeapGrowthDeps {
  setFlags(flags: string): void;
  execArgv: readonly string[];
}

const FLAG = '--heap-growing-percent';

/** Reference-counted, so overlapping sweeps in one process keep the setting until the last ends. */
export class SweepHeapGrowth {
  private holders = 0;

  constructor(private readonly deps: HeapGrowthDeps = { setFlags: setFlagsFromString, execArgv: process.execArgv }) {}

  /** Holds the sweep's growth until the returned release is called (once; later calls do nothing). */
  hold(): () => void {
    const chosenByUser = this.deps.execArgv.some((a) => a.startsWith(FLAG) || a.startsWith('--heap_growing_percent'));
    if (chosenByUser) return () => undefined;
    if (this.holders++ === 0) this.deps.setFlags(`${FLAG}=${SWEEP_HEAP_GROWING_PERCENT}`);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (--this.holders === 0) this.deps.setFlags(`${FLAG}=0`);
    };
  }
}

export const sweepHeapGrowth = new SweepHeapGrowth();
