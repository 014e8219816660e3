/**
 * Many replays over one read of a recording. The recording is streamed once (the union of the runs'
 * windows, in time order); every event goes to each run whose window holds it, in lockstep, each run
 * on its own engine and virtual clock. Runs of the same window share the market side of each event —
 * dedup, the targets' positions, books and markets — worked out once (engine/shared-feed.ts), and the
 * report's shadow ledgers of the targets (report/target-shadow.ts). Each run's result equals `runReplay` of that run alone (same window, `save:
 * false`) — a test compares fills hashes run by run.
 *
 *   const results = await replayMany('day.duckdb', [
 *     { config, overrides: { targets: [wallet], multiplier: 0.5 } },
 *     { config, overrides: { targets: [wallet], multiplier: 2 }, window: { from, to } },
 *   ]);
 *   results[1].summary?.pnl.total   // or results[1].error when that run's config could not be built
 */
import type { EngineEvent } from '../../core/events.ts';
import type { EngineListener } from '../../core/ports.ts';
import type { PolytailConfig } from '../../config/config.ts';
import type { RunSummary } from '../../report/summary.ts';
import type { Overrides } from '../assemble.ts';
import { openRecording } from '../replay.ts';
import { openSession, resolveFillModel, type OpenSession } from '../replay-session.ts';
import { SharedFeed } from '../../engine/shared-feed.ts';
import { TargetShadow } from '../../report/target-shadow.ts';

export interface PassRun {
  config: PolytailConfig;
  overrides: Overrides;
  /** Event time [from, to) of this run; default the whole recording. Market metadata is delivered before `to`, like runReplay. */
  window?: { from?: number; to?: number };
  runId?: string;
  /** Extra listeners of this run's engine (a recorder, a progress view). */
  listeners?: EngineListener[];
}

/** Per run, in the order given: its summary, or why it could not run (a bad config fails that run alone). */
export interface PassResult {
  summary?: RunSummary;
  error?: string;
}

export interface PassOptions {
  /** Called every `progressEvery` events with the share of the recording's time span read so far (0–1). */
  onProgress?: (fraction: number) => void;
  progressEvery?: number;
}

/** One run in the pass: its session and where it is in the stream. */
class Lane {
  lastTsMs: number | undefined;
  /** Why this run stopped early (what would have ended it as a single replay: a broken invariant, a config the engine refuses). */
  failed: string | undefined;

  constructor(readonly session: OpenSession) {}

  /** Timers due by `t` fire (against the state before the event at `t`). */
  advance(t: number): void {
    if (this.failed !== undefined) return;
    try {
      this.session.clock.advanceTo(t);
    } catch (error) {
      this.failed = (error as Error).message;
    }
  }

  handle(event: EngineEvent): void {
    if (this.failed !== undefined) return;
    try {
      this.session.engine.handle(event);
    } catch (error) {
      this.failed = (error as Error).message;
    }
    this.lastTsMs = event.tsRecv;
  }

  /** As the single-run loop ends: timers due within a minute after the last event fire, then a last equity point. */
  finish(): RunSummary {
    if (this.lastTsMs !== undefined) this.session.clock.advanceTo(this.lastTsMs + 60_000);
    this.session.engine.emitEquityNow();
    return this.session.summary();
  }
}

/**
 * The runs of one window: they see the same events, so dedup, the targets' positions, books and
 * markets are worked out once for all of them (engine/shared-feed.ts), in the order the feed asks.
 */
class WindowGroup {
  readonly feed = new SharedFeed();
  /** The report's shadow ledgers of the targets: the same for every run of the window, so booked once per event. */
  readonly shadow = new TargetShadow();
  readonly lanes: Lane[] = [];

  constructor(
    readonly from: number,
    readonly to: number,
  ) {}

  offer(event: EngineEvent): void {
    const t = event.tsRecv;
    if (t >= this.to || (t < this.from && event.type !== 'market')) return;
    const lanes = this.lanes;
    for (let i = 0; i < lanes.length; i++) lanes[i]!.advance(t);
    const feed = this.feed;
    feed.begin(event);
    if (event.type === 'target_trade') {
      const accepted = feed.acceptedOf(event);
      if (accepted) this.shadow.onEvent(accepted);
    } else if (event.type === 'market_resolved') this.shadow.onEvent(event);
    for (let i = 0; i < lanes.length; i++) lanes[i]!.handle(event);
    feed.end();
  }
}

export async function replayMany(recording: string, runs: PassRun[], options: PassOptions = {}): Promise<PassResult[]> {
  const store = await openRecording(recording, true);
  try {
    const range = await store.timeRange();
    const counts = await store.counts();
    const hasBooks = counts.book_snapshots + counts.book_changes > 0;
    const results: PassResult[] = runs.map(() => ({}));
    const lanes: (Lane | undefined)[] = [];
    const groups = new Map<string, WindowGroup>();
    for (const [i, run] of runs.entries()) {
      const from = run.window?.from;
      const to = run.window?.to;
      const key = `${from ?? ''}:${to ?? ''}`;
      let group = groups.get(key);
      if (!group) groups.set(key, (group = new WindowGroup(from ?? Number.NEGATIVE_INFINITY, to ?? Number.POSITIVE_INFINITY)));
      try {
        const session = await openSession({
          config: run.config,
          overrides: run.overrides,
          fillModel: resolveFillModel(run.config.fillModel, hasBooks),
          startMs: from ?? range?.fromMs ?? 0,
          runId: run.runId ?? `pass-${i}`,
          recording,
          from,
          to,
          listeners: run.listeners,
          feed: group.feed,
          targetShadow: group.shadow,
        });
        const lane = new Lane(session);
        group.lanes.push(lane);
        lanes.push(lane);
      } catch (error) {
        results[i] = { error: (error as Error).message };
        lanes.push(undefined);
      }
    }
    const live = [...groups.values()].filter((g) => g.lanes.length > 0);
    if (live.length > 0) {
      // One read for all: from the earliest start to the latest end of any run.
      const from = Math.min(...live.map((g) => g.from));
      const to = Math.max(...live.map((g) => g.to));
      const filter = { from: Number.isFinite(from) ? from : undefined, to: Number.isFinite(to) ? to : undefined };
      const span = range ? Math.max(1, range.toMs - range.fromMs) : 1;
      const every = Math.max(1, options.progressEvery ?? 50_000);
      let read = 0;
      for await (const batch of store.streamEvents(filter)) {
        for (const event of batch) {
          for (let g = 0; g < live.length; g++) live[g]!.offer(event);
          if (++read % every === 0 && range) options.onProgress?.(Math.min(1, (event.tsRecv - range.fromMs) / span));
        }
      }
    }
    for (const [i, lane] of lanes.entries()) {
      if (!lane) continue;
      if (lane.failed !== undefined) {
        results[i] = { error: lane.failed };
        continue;
      }
      try {
        results[i] = { summary: lane.finish() };
      } catch (error) {
        results[i] = { error: (error as Error).message };
      }
    }
    options.onProgress?.(1);
    return results;
  } finally {
    await store.close();
  }
}
