/**
 * Replay mode: a recording's events through the engine on a virtual clock, filled by SimVenue.
 * The run's decisions, orders, fills and equity are stored next to the recording (unless `save` is
 * false) and summarized into the report.
 */
import { ConfigError } from '../core/errors.ts';
import type { EngineListener } from '../core/ports.ts';
import type { Engine } from '../engine/engine.ts';
import type { RunSummary } from '../report/summary.ts';
import { lockRecording, readSessionFacts, RecordingStore, type RecordingLock } from '../store/index.ts';
import type { PolytailConfig } from '../config/config.ts';
import type { Overrides } from './assemble.ts';
import type { Pacer } from './replay-loop.ts';
import { resolveFillModel, runSession } from './replay-session.ts';
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
  /**
   * A paper session's run id in this recording: replay as that session ran (its ids and its targets'
   * opening positions, stored with the recording), so the fills hash equals the session's.
   */
  asSession?: string;
  /** Told when storing the run waits for another writer of the recording. */
  onNotice?: (message: string) => void;
  /** How long storing the run waits for another writer (default 30 s). */
  lockWaitMs?: number;
}

export interface ReplayResult {
  summary: RunSummary;
  engine: Engine;
}

export async function runReplay(options: ReplayOptions): Promise<ReplayResult> {
  const save = options.save !== false;
  const lock = save ? await lockForWriting(options.recording, 'polytail replay --save', options.onNotice, options.lockWaitMs) : undefined;
  let store: RecordingStore;
  try {
    store = await openRecording(options.recording, !save);
  } catch (error) {
    lock?.release();
    throw error;
  }
  try {
    const { config } = options;
    const targets = await resolveTargets(store, config, options.targets);
    const counts = await store.counts();
    const range = await store.timeRange();
    const runId = options.runId ?? newRunId();
    const asSession = options.asSession === undefined ? undefined : await readSessionFacts(store, options.asSession);
    if (options.asSession !== undefined && !asSession)
      throw new ConfigError(
        `recording ${options.recording} holds no session ${options.asSession} to replay as (polytail report --list names its runs)`,
      );
    const recorder = save ? store.runRecorder(runId) : undefined;
    const result = await runSession({
      config,
      overrides: { targets, strategy: options.strategy, multiplier: options.multiplier },
      events: store.streamEvents({ from: options.from, to: options.to }),
      fillModel: resolveFillModel(config.fillModel, counts.book_snapshots + counts.book_changes > 0),
      startMs: options.from ?? range?.fromMs ?? 0,
      runId,
      recording: options.recording,
      from: options.from,
      to: options.to,
      listeners: [...(recorder ? [recorder] : []), ...(options.listeners ?? [])],
      asSession,
      pacer: options.pacer,
      signal: options.signal,
      onEngine: options.onEngine,
    });
    if (save) {
      await store.writer.flush();
      const { summary } = result;
      await store.writeRun({
        runId,
        createdMs: Date.now(),
        mode: 'replay',
        config: summary.run.config,
        fillModel: summary.run.fillModel,
        seed: config.seed,
        version: VERSION,
        summary,
      });
    }
    return result;
  } finally {
    await store.close();
    lock?.release();
  }
}

/** The recording's write lock for storing a run: waits 30 s for another writer, then fails naming it. */
export function lockForWriting(
  path: string,
  command: string,
  onNotice?: (message: string) => void,
  waitMs = 30_000,
): Promise<RecordingLock> {
  return lockRecording(path, {
    command,
    waitMs,
    onWait: onNotice,
    onStale: onNotice,
    hint: 'retry when it has finished, or use --save false to run without storing into the recording',
  });
}

export async function openRecording(path: string, readOnly: boolean): Promise<RecordingStore> {
  return RecordingStore.open(path, { readOnly }).catch((error: Error) => {
    // A setting to fix (POLYTAIL_READ_MEMORY_LIMIT) says so itself; the recording is not at fault.
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(`${error.message}\n  Give a recording made by \`polytail import\` or one in recordings/.`);
  });
}

/**
 * Targets to copy: the ones asked for, else the config's, else the recording's only wallet. With
 * several wallets and none chosen, the error lists the busiest so the user can pick. Market-strategy
 * runs (config.strategies) need no target.
 */
export async function resolveTargets(store: RecordingStore, config: PolytailConfig, asked?: string[]): Promise<string[] | undefined> {
  const busiest = async () => {
    const stats = await store.walletStats(10);
    return stats.map((s) => `  ${s.wallet}  ${String(s.trades).padStart(6)} trades  ${s.markets} markets`).join('\n');
  };
  if (asked?.length) {
    const wallets = asked.map((w) => w.toLowerCase());
    const present = new Set(
      (await store.query(`SELECT DISTINCT wallet FROM target_trades WHERE wallet IN (${wallets.map(() => '?').join(', ')})`, wallets)).map(
        (r) => String(r.wallet),
      ),
    );
    const absent = wallets.filter((w) => !present.has(w));
    if (absent.length > 0) {
      const list = await busiest();
      throw new ConfigError(
        `--target ${absent.join(', ')}: no trades of ${absent.length === 1 ? 'this wallet' : 'these wallets'} in recording ${store.path}; ` +
          (list ? `its busiest wallets:\n${list}\n` : 'it holds no target trades at all'),
      );
    }
    return wallets;
  }
  if (config.targets.length || config.strategies.length) return undefined;
  const stats = await store.walletStats(10);
  if (stats.length === 0) throw new ConfigError(`recording ${store.path} has no target trades to copy`);
  if (stats.length === 1) return [stats[0]!.wallet];
  throw new ConfigError(
    `recording ${store.path} holds trades of many wallets; choose one or more with --target ADDR. Busiest:\n${await busiest()}\n`,
  );
}
