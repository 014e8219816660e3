/**
 * The report of a paper/live run, stored on a clean stop: the same RunSummary a replay stores, built
 * from a RunCollector that listened to the whole process, so `polytail report` can show a session
 * like any run (and never says it "did not finish" after a clean stop).
 */
import type { MarketRegistry } from '../core/market-registry.ts';
import type { EngineListener } from '../core/ports.ts';
import type { Engine } from '../engine/engine.ts';
import { RunCollector } from '../report/run-collector.ts';
import { summarize, type RunSummary } from '../report/summary.ts';
import { setRunSummary, type RecordingStore } from '../store/index.ts';

export class SessionSummary {
  readonly collector: RunCollector;

  constructor(wallets: string[]) {
    this.collector = new RunCollector(new Set(wallets.map((w) => w.toLowerCase())));
  }

  get listener(): EngineListener {
    return this.collector;
  }

  /** Summarizes the run so far and writes it into the run's row. */
  async store(o: {
    mode: string;
    engine: Engine;
    markets: MarketRegistry;
    recording: RecordingStore;
    runId: string;
    fillModel: string;
    config: unknown;
    seed: number;
  }): Promise<RunSummary> {
    const { engine } = o;
    const summary = summarize({ snapshot: engine.snapshot(), portfolio: engine.portfolio, markets: o.markets }, this.collector, {
      id: o.runId,
      mode: o.mode,
      fillModel: o.fillModel,
      seed: o.seed,
      config: o.config,
      recording: o.recording.path,
    });
    await o.recording.flush();
    await setRunSummary(o.recording, o.runId, summary);
    return summary;
  }
}
