/**
 * One replay run over a stream of recorded events: the engine with SimVenue on a virtual clock,
 * a collector for the report, and the summary. `runReplay` feeds it from a recording on disk;
 * sweeps feed it the same events again and again with other settings.
 */
import type { VirtualClock } from '../core/clock.ts';
import type { EngineEvent } from '../core/events.ts';
import { toMicros } from '../core/money.ts';
import type { EngineListener } from '../core/ports.ts';
import type { Engine } from '../engine/engine.ts';
import type { SharedFeed } from '../engine/shared-feed.ts';
import { createSimEngine } from './sim-engine.ts';
import type { FillModel } from '../exec/sim/sim-venue.ts';
import { RunCollector } from '../report/run-collector.ts';
import { summarize, type RunSummary } from '../report/summary.ts';
import type { TargetShadow } from '../report/target-shadow.ts';
import type { PolytailConfig } from '../config/config.ts';
import { assemble, type Overrides } from './assemble.ts';
import type { SessionFacts } from '../store/index.ts';
import { SessionIds } from '../live/session-ids.ts';
import { replayEvents, type Pacer } from './replay-loop.ts';

export interface SessionOptions {
  config: PolytailConfig;
  overrides: Overrides;
  events: AsyncIterable<EngineEvent[]> | Iterable<EngineEvent[]>;
  fillModel: FillModel;
  startMs: number;
  runId: string;
  recording?: string;
  from?: number;
  to?: number;
  listeners?: EngineListener[];
  /**
   * Replay as this recorded paper session ran: its ids, its targets' seeded positions and its stale-trade
   * age, so the replay makes the session's fills exactly (same fills hash).
   */
  asSession?: SessionFacts;
  pacer?: Pacer;
  signal?: AbortSignal;
  onEngine?: (engine: Engine) => void;
  /** Shared with the other runs of a one-pass sweep (engine/shared-feed.ts). */
  feed?: SharedFeed;
  /** The targets' shadow ledgers, shared with the other runs of the window and fed by the sweep (report/target-shadow.ts). */
  targetShadow?: TargetShadow;
}

export async function runSession(options: SessionOptions): Promise<{ summary: RunSummary; engine: Engine }> {
  const session = await openSession(options);
  await replayEvents(session.engine, session.clock, options.events, options.pacer, options.signal);
  return { summary: session.summary(), engine: session.engine };
}

/** A session ready for events: the engine, its clock, and the summary of what it has seen so far. */
export interface OpenSession {
  engine: Engine;
  clock: VirtualClock;
  summary(): RunSummary;
}

/** Builds a session's engine without feeding it: `runSession` feeds one stream; sweeps feed many sessions from one read. */
export async function openSession(options: Omit<SessionOptions, 'events' | 'pacer' | 'signal'>): Promise<OpenSession> {
  const { config } = options;
  const assembly = await assemble(config, options.overrides);
  const collector = new RunCollector(new Set(assembly.wallets), undefined, options.targetShadow);
  const { engine, clock, markets } = createSimEngine({
    startMs: options.startMs,
    seed: config.seed,
    ids: options.asSession && new SessionIds(options.asSession.seed, options.asSession.idTag, options.asSession.restart),
    maxTradeAgeMs: options.asSession && config.maxTradeAgeSeconds * 1000,
    fillModel: options.fillModel,
    slippageTicks: config.slippageTicks,
    latencyMs: config.latencyMs,
    latencySamplesMs: config.latencySamplesMs,
    noticeSamplesMs: config.fillNoticeSamplesMs,
    risk: assembly.risk,
    strategyRisk: assembly.strategyRisk,
    startingCashMicros: toMicros(config.startingCashUsdc),
    strategies: assembly.strategies,
    listeners: [collector, ...(options.listeners ?? [])],
    feed: options.feed,
  });
  for (const t of options.asSession?.targets ?? []) engine.seedTarget(t.wallet, t.positions, t.valueMicros);
  options.onEngine?.(engine);
  const run = {
    id: options.runId,
    fillModel: options.fillModel,
    seed: config.seed,
    config: { ...config, targets: assembly.wallets.length ? assembly.wallets : config.targets },
    recording: options.recording,
    from: options.from,
    to: options.to,
  };
  return {
    engine,
    clock,
    summary: () => summarize({ snapshot: engine.snapshot(), portfolio: engine.portfolio, markets }, collector, run),
  };
}

/** `auto` picks book-walk when the recording has books to walk, else the target's own price. */
export function resolveFillModel(configured: PolytailConfig['fillModel'], hasBooks: boolean): FillModel {
  if (configured !== 'auto') return configured;
  return hasBooks ? 'book-walk' : 'target-price';
}
