/**
 * Replay mode: a recording's events through the engine on a virtual clock, filled by SimVenue.
 * The run's decisions, orders, fills and equity are stored next to the recording (unless `save` is
 * false) and summarized into the report.
 */
import { VirtualClock } from '../core/clock.ts';
import { ConfigError } from '../core/errors.ts';
import { SeededIds } from '../core/ids.ts';
import { MarketRegistry } from '../core/market-registry.ts';
import { toMicros } from '../core/money.ts';
import { BookRegistry } from '../core/order-book.ts';
import type { EngineListener } from '../core/ports.ts';
import { Engine } from '../engine/engine.ts';
import { SimVenue } from '../exec/sim/sim-venue.ts';
import { RunCollector } from '../report/run-collector.ts';
import { summarize, type RunSummary } from '../report/summary.ts';
import { RecordingStore } from '../store/index.ts';
import type { PolytailConfig } from '../cli/config.ts';
import { assemble, type Overrides } from './assemble.ts';
import { replayEvents, type Pacer } from './replay-loop.ts';
import { newRunId, VERSION } from './run-id.ts';

export interface ReplayOptions extends Overrides {
  recording: string;
  config: PolytailConfig;
  from?: number;
  to?: number;
  /** Store the run in the recording. Default true. */
  save?: boolean;
  listeners?: EngineListener[];
  pacer?: Pacer;
  signal?: AbortSignal;
  /** Called once the engine exists (the TUI attaches here). */
  onEngine?: (engine: Engine) => void;
  runId?: string;
}

export interface ReplayResult {
  summary: RunSummary;
  engine: Engine;
}

export async function runReplay(options: ReplayOptions): Promise<ReplayResult> {
  const save = options.save !== false;
  const store = await RecordingStore.open(options.recording, { readOnly: !save }).catch((error: Error) => {
    throw new ConfigError(`${error.message}\n  Give a recording made by \`polytail import\` or one in recordings/.`);
  });
  try {
    const config = options.config;
    const targets = options.targets?.length || config.targets.length ? options.targets : await defaultTarget(store);
    const assembly = await assemble(config, { ...options, targets });
    const range = await store.timeRange();
    const clock = new VirtualClock(options.from ?? range?.fromMs ?? 0);
    const ids = new SeededIds(config.seed);
    const books = new BookRegistry();
    const markets = new MarketRegistry();
    const venue = new SimVenue({ clock, ids, books, markets, fillModel: config.fillModel, slippageTicks: config.slippageTicks, latencyMs: config.latencyMs });
    const collector = new RunCollector(new Set(assembly.wallets));
    const runId = options.runId ?? newRunId();
    const recorder = save ? store.runRecorder(runId) : undefined;
    const listeners: EngineListener[] = [collector, ...(recorder ? [recorder] : []), ...(options.listeners ?? [])];
    const engine = new Engine({
      mode: 'replay',
      clock,
      ids,
      venue,
      books,
      markets,
      risk: assembly.risk,
      strategyRisk: assembly.strategyRisk,
      startingCashMicros: toMicros(config.startingCashUsdc),
      strategies: assembly.strategies,
      listeners,
    });
    options.onEngine?.(engine);
    await replayEvents(engine, clock, store.streamEvents({ from: options.from, to: options.to }), options.pacer, options.signal);
    const run = { id: runId, fillModel: config.fillModel, seed: config.seed, config: { ...config, targets: assembly.wallets }, recording: options.recording, from: options.from, to: options.to };
    const summary = summarize(engine, collector, run);
    if (save) {
      await store.writer.flush();
      await store.writeRun({ runId, createdMs: Date.now(), mode: 'replay', config: run.config, fillModel: config.fillModel, seed: config.seed, version: VERSION, summary });
    }
    return { summary, engine };
  } finally {
    await store.close();
  }
}

/** The recording's only wallet, or an error listing the busiest ones so the user can pick. */
async function defaultTarget(store: RecordingStore): Promise<string[]> {
  const stats = await store.walletStats(10);
  if (stats.length === 0) throw new ConfigError(`recording ${store.path} has no target trades to copy`);
  if (stats.length === 1) return [stats[0]!.wallet];
  const list = stats.map((s) => `  ${s.wallet}  ${String(s.trades).padStart(6)} trades  ${s.markets} markets`).join('\n');
  throw new ConfigError(`recording ${store.path} holds trades of many wallets; choose one or more with --target ADDR. Busiest:\n${list}`);
}
