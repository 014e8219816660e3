/**
 * Paper and live sessions: the live feeds (RTDS filtered to the targets, Data API polling and
 * backfill, CLOB market WS for the tokens that matter) into the engine, on the wall clock, with
 * SimVenue on live books (paper) or the CLOB (live). Everything the session sees and does is recorded
 * in `<dataDir>/sessions/<mode>-<date>.duckdb`; crash safety lives in `<dataDir>/sessions/<mode>.journal.jsonl`
 * (see durable-state.ts and docs/modes.md).
 */
import { SessionClock } from '../core/clock.ts';
import { ConfigError } from '../core/errors.ts';
import { MarketRegistry } from '../core/market-registry.ts';
import { toMicros } from '../core/money.ts';
import { BookRegistry } from '../core/order-book.ts';
import type { EngineListener } from '../core/ports.ts';
import type { Order } from '../core/types.ts';
import type { RiskManager } from '../risk/risk-manager.ts';
import { Engine } from '../engine/engine.ts';
import {
  ActivityPoller,
  DATA_API_BUDGET,
  MarketWsFeed,
  MergedFeed,
  RequestBudget,
  RtdsFeed,
  linkBackfill,
  type FeedLog,
} from '../feeds/index.ts';
import { describeError } from '../core/describe-error.ts';
import { replayRank, writeSessionFacts, type RecordingStore, type SessionFacts } from '../store/index.ts';
import { openSessionFiles } from '../live/session-files.ts';
import type { PolytailConfig } from '../config/config.ts';
import { assemble, type Overrides } from './assemble.ts';
import { DurableDedup, type DurableState } from '../live/durable-state.ts';
import { PositionSync } from '../live/position-sync.ts';
import { newRunId, VERSION } from './run-id.ts';
import { isLoopback, type PolymarketHosts } from '../polymarket/hosts.ts';
import { SANDBOX_TEST_PRIVATE_KEY } from '../sandbox/test-key.ts';
import { resolveHosts } from './session-hosts.ts';
import { SessionIds } from '../live/session-ids.ts';
import { MarketGate } from '../live/session-markets.ts';
import { MarketPrefetch, type HeldToken } from '../live/market-prefetch.ts';
import { ListenerBacklog } from './listener-backlog.ts';
import { buildVenue, recoverLive, type LiveRecovery, type SessionVenue } from './session-venue.ts';
import { buildSessionChain, resolveChain, type SessionChain } from './session-chain.ts';
import { liveStartingCash } from '../live/live-equity.ts';
import { holdProcessOpen } from '../live/keep-alive.ts';
import { FeedWatch } from '../live/feed-watch.ts';
import { SessionSummary } from './session-summary.ts';
import { findUnsentCopies, ordersThatReachedVenue, planUnsent, type UnsentPlan } from '../live/unsent-copies.ts';

export interface LiveSessionOptions {
  mode: 'paper' | 'live';
  config: PolytailConfig;
  overrides?: Overrides;
  /** Point every host at this sandbox (http://127.0.0.1:8787). */
  sandboxUrl?: string;
  env?: NodeJS.ProcessEnv;
  listeners?: EngineListener[];
  log?: FeedLog;
  /** Data API poll interval (default 5 s). */
  pollIntervalMs?: number;
  /** Position sync interval (default 30 s; 0 = only on demand). */
  syncIntervalMs?: number;
  /** Re-seed the target book from the API when a missed trade is found. */
  catchUp?: boolean;
  /** Recording file name without extension (default `<mode>-<YYYY-MM-DD>`). */
  sessionName?: string;
  /** How far before the last seen target fill a restart re-reads the Data API (default 120 s). */
  restartOverlapMs?: number;
  /** RTDS watchdog (default 30 s). */
  rtdsStaleAfterMs?: number;
  /** Start with no strategy (a daemon's pool account: its members add theirs over the API). */
  allowNoStrategies?: boolean;
  /** A pool's sub-account limits by member id (single order, orders per day). */
  memberRisk?: Record<string, RiskManager>;
  /** First `feed_down` alert after a feed has been down this long (default 5 s). */
  feedDownAlertMs?: number;
}

export interface LiveSession {
  mode: 'paper' | 'live';
  engine: Engine;
  runId: string;
  hosts: PolymarketHosts;
  recording: RecordingStore;
  recordingPath: string;
  journalPath: string;
  /** Processes that ran this session before this one (0 = a fresh session). */
  restart: number;
  restoredFills: number;
  restoredKeys: number;
  recovery?: LiveRecovery;
  venue: SessionVenue;
  feeds: MergedFeed;
  rtds: RtdsFeed;
  poller: ActivityPoller;
  market: MarketWsFeed;
  /** The chain feed and auto-redeem, when a chain is configured (config `chain`, or the sandbox's). */
  chain?: SessionChain;
  sync: PositionSync;
  watch: FeedWatch;
  /** Markets and books of the targets' held tokens, loaded ahead of their trades (and venue facts refreshed). */
  prefetch: MarketPrefetch;
  /** Listeners attached after start (the control server's) get every engine call from the start through this. */
  lateListeners: ListenerBacklog;
  /** Target trades that passed the market gate at once vs. waited for their market (cache misses). */
  gateStats: MarketGate['stats'];
  /**
   * Reads the Data API once more and waits until every target trade received so far has reached the
   * engine (none held back waiting for its market), i.e. has been decided.
   */
  drain(): Promise<void>;
  /**
   * Stops feeds and the sync loop, cancels open orders when `cancelOpen`, stores the run's summary,
   * then flushes and closes the recording. Open orders stay unless `cancelOpen`.
   */
  stop(options?: { cancelOpen?: boolean }): Promise<SessionStopResult>;
}

/** How a stop went, for the line that reports it. */
export interface SessionStopResult {
  /** With `cancelOpen`: what failed when the venue did not confirm the cancel (orders may still be open). */
  cancelFailed?: string;
}

const quiet: FeedLog = () => {};

export async function startLiveSession(options: LiveSessionOptions): Promise<LiveSession> {
  // Until stop(): a session with every socket down must not let Node exit under it.
  const release = holdProcessOpen();
  try {
    return await startHeld(options, release);
  } catch (error) {
    release();
    throw error;
  }
}

async function startHeld(options: LiveSessionOptions, releaseProcess: () => void): Promise<LiveSession> {
  const log = options.log ?? quiet;
  const hosts = resolveHosts(options.config, options.sandboxUrl);
  const config: PolytailConfig = {
    ...options.config,
    hosts: { clob: hosts.clob, data: hosts.data, gamma: hosts.gamma, rtds: hosts.rtds, marketWs: hosts.marketWs, geoblock: hosts.geoblock },
  };
  const assembly = await assemble(config, options.overrides ?? {});
  if (assembly.strategies.length === 0 && !options.allowNoStrategies)
    throw new ConfigError(
      `nothing to ${options.mode === 'live' ? 'trade' : 'paper-trade'}: give a wallet to copy with --target 0x… (or targets/strategies in the config file)`,
    );
  // Each event is handled at one recorded moment, so a replay of the recording meets the same times.
  const clock = new SessionClock();
  const startMs = clock.now();
  const files = await openSessionFiles({
    dataDir: config.dataDir,
    mode: options.mode,
    name: options.sessionName ?? `${options.mode}-${new Date(startMs).toISOString().slice(0, 10)}`,
  });
  const { state, recording, recordingPath } = files;
  const restart = state.snapshot.runs.length;
  const runId = newRunId();
  const idTag = runId.slice(-4) + restart.toString(36);
  const ids = new SessionIds(config.seed, idTag, restart);
  const books = new BookRegistry();
  const markets = new MarketRegistry();
  const closeAll: (() => Promise<void> | void)[] = [() => files.close()];
  try {
    // Sandbox only: the public test key stands in when no key is set, never against real hosts.
    const fallbackKey = isLoopback(hosts) ? SANDBOX_TEST_PRIVATE_KEY : undefined;
    const venue = await buildVenue({
      mode: options.mode,
      config,
      env: options.env ?? process.env,
      clock,
      ids,
      books,
      markets,
      state,
      log,
      fallbackKey,
    });
    closeAll.unshift(() => venue.close());
    // A signed order names its cause: that target fill was decided even if its decision line, or its key
    // line (fsynced off the copy path: a power cut can lose it), was lost.
    // (Only this session's intents restore a lost key: the intent journal is the account's, shared by sessions.)
    const ownSince = state.snapshot.runs.length > 0 ? state.snapshot.firstRunMs : Infinity;
    state.markDecided(
      (venue.journal?.entries() ?? []).map((e) =>
        e.intent.cause && e.intent.signedAtMs >= ownSince ? e.intent.cause : e.intent.order.causeKey,
      ),
    );
    // Copies approved before a crash but never signed (live) or never filled by the simulated venue that
    // died with the process (paper): decided again while fresh, else skipped as stale.
    let unsent: UnsentPlan | undefined;
    if (restart > 0) {
      const reached = await ordersThatReachedVenue(
        (venue.journal?.entries() ?? []).map((e) => e.intent.clientOrderId),
        state.snapshot.fills,
        recording,
      );
      const found = findUnsentCopies(state.snapshot.decisions, reached, (key) => state.snapshot.keys.get(key));
      unsent = planUnsent(found, clock.now(), config.maxTradeAgeSeconds * 1000);
      state.reopen(unsent.redecideFrom);
    }
    state.recordRun(runId, startMs);
    const recorder = recording.runRecorder(runId, { recordEvents: true, handledAt: () => clock.now() });
    const summary = new SessionSummary(assembly.wallets);
    await recording.writeRun({
      runId,
      createdMs: startMs,
      mode: options.mode,
      config,
      fillModel: venue.fillModel,
      seed: config.seed,
      version: VERSION,
    });
    // Built after the engine (they need its tokens), reached by the engine only through these two functions.
    let feeds: MergedFeed | undefined;
    let sync: PositionSync | undefined;
    let watch: FeedWatch | undefined;
    let chain: SessionChain | undefined;
    const chainSettings = await resolveChain(config, options.sandboxUrl);
    // Live: equity starts from the wallet's collateral on the venue (what the chain holds), not a configured sum.
    const startingCashMicros = venue.clob
      ? await liveStartingCash(venue.clob.api, state.snapshot.fills, toMicros(config.startingCashUsdc), log)
      : toMicros(config.startingCashUsdc);
    // The control server's metrics and alert rules attach after start; they get what came before from here.
    const lateListeners = new ListenerBacklog();
    const engine = new Engine({
      mode: options.mode,
      clock,
      ids,
      venue: venue.venue,
      books,
      markets,
      risk: assembly.risk,
      strategyRisk: assembly.strategyRisk,
      memberRisk: options.memberRisk,
      startingCashMicros,
      strategies: assembly.strategies,
      // The journal listener first: a fill is durable before anything else sees it.
      listeners: [
        state.listener(runId),
        recorder,
        summary.listener,
        { onEvent: (e) => void (e.type === 'market_resolved' && chain?.autoRedeem?.nudge()) },
        ...(options.listeners ?? []),
        lateListeners,
      ],
      dedup: new DurableDedup(state),
      maxTradeAgeMs: config.maxTradeAgeSeconds * 1000,
      redecide: unsent?.redecide,
      // Through the feed watch: it adds how long a feed has been down (and whether it is merely idle).
      feedHealth: () => watch?.health() ?? feeds?.health() ?? [],
      resync: () => void sync?.runNow(),
    });
    const handle = (e: Parameters<Engine['handle']>[0]) => clock.during(() => engine.handle(e), replayRank(e));
    const restoredFills = await restoreFromJournal(engine, state, recording, runId);
    for (const u of unsent?.stale ?? []) engine.skipUnsentCopy(u);
    if (unsent && (unsent.stale.length > 0 || unsent.redecide.size > 0))
      log(
        'warn',
        `${unsent.redecide.size + unsent.stale.length} copy(ies) approved before a crash were never sent: ${unsent.redecide.size} decided again, ${unsent.stale.length} too old (stale_after_restart)`,
      );
    let recovery: LiveRecovery | undefined;
    if (venue.clob) {
      // A signed order the CLOB never saw (killed before its POST) is sent now while its target fill is fresh.
      const resend = {
        maxAgeMs: config.maxTradeAgeSeconds * 1000,
        eventMsOf: (o: Order) => (o.causeKey ? state.snapshot.keys.get(o.causeKey) : undefined),
      };
      recovery = await recoverLive(venue.clob, venue.journal, state, handle, clock.now(), resend);
      const resent = recovery.intents.filter((i) => i.status === 'resent').length;
      if (recovery.intents.length || recovery.recoveredFills)
        log(
          'info',
          `recovered ${recovery.intents.length} pending order(s) (${resent} signed but never sent, sent now) and ${recovery.recoveredFills} unrecorded fill(s) from the CLOB`,
        );
    }
    const wallets = assembly.wallets;
    const overlapMs = options.restartOverlapMs ?? 120_000;
    // Positions and values only (no polling): seeds the target book and serves position sync.
    // One Data API budget for both pollers of this process.
    const requestBudget = new RequestBudget(DATA_API_BUDGET);
    const reader = new ActivityPoller({ wallets, baseUrl: hosts.data, intervalMs: 0, log, requestBudget });
    // A fresh session copies what happens after the targets' positions were read (they hold the rest).
    const seededAtMs = clock.now();
    let gateRef: MarketGate | undefined;
    const heldAtStart: HeldToken[] = [];
    const seeded = await seedTargets(engine, reader, wallets, log, (positions) => heldAtStart.push(...positions));
    await writeSessionFacts(recording, runId, { seed: config.seed, idTag, restart, targets: seeded });
    recording.startAutoFlush(1000);
    const pollFromMs = restart > 0 ? resumeFromMs(state) - overlapMs : seededAtMs;
    const poller = new ActivityPoller({
      wallets,
      baseUrl: hosts.data,
      intervalMs: options.pollIntervalMs ?? 5000,
      startMs: pollFromMs,
      overlapMs,
      log,
      requestBudget,
      // Durable once what the round returned has reached dedup (the gate may hold a fill for its market).
      onRoundRead: (upToMs) =>
        void gateRef
          ?.idle()
          .then(() => state.recordReadUpTo(upToMs))
          .catch(() => undefined),
    });
    const rtds = new RtdsFeed({ wallets, host: hosts.rtds, log, staleAfterMs: options.rtdsStaleAfterMs });
    const market = new MarketWsFeed({
      url: hosts.marketWs,
      clobUrl: hosts.clob,
      assetIds: engine.tokensOfInterest(),
      log,
      marketInfo: (t) => markets.byTokenId(t),
    });
    linkBackfill(rtds, poller, log);
    if (chainSettings) {
      chain = buildSessionChain({
        mode: options.mode,
        settings: chainSettings,
        wallets,
        markets,
        gammaUrl: hosts.gamma,
        dataUrl: hosts.data,
        dataDir: config.dataDir,
        recording,
        runId,
        account: venue.account,
        env: options.env ?? process.env,
        log,
      });
      closeAll.unshift(() => chain!.stop());
    }
    feeds = new MergedFeed([rtds, poller, market, ...(chain?.feed ? [chain.feed] : [])], log);
    const gate = (gateRef = new MarketGate({
      gammaUrl: hosts.gamma,
      markets,
      emit: handle,
      onNewToken: async (tokenId) => {
        market.subscribe([tokenId]);
        await market.resync(tokenId, 'first trade on this token');
      },
      now: () => clock.now(),
      log,
    }));
    // What a trade's copy needs (market, book, signing facts) is fetched when its target holds the
    // token, not on the trade's path: at start, and whenever position sync finds new holdings.
    const prefetch = new MarketPrefetch({
      loadMarket: (tokenId) => gate.preload([tokenId]),
      ...(venue.clob
        ? {
            warmVenue: (tokenId: string, conditionId?: string) => venue.clob!.signer.warm(tokenId, conditionId),
            refreshVenue: () => venue.clob!.signer.refresh(),
          }
        : {}),
      log,
    });
    closeAll.unshift(() => prefetch.stop());
    sync = new PositionSync({
      engine,
      wallets,
      fetchPositions: async (w) => {
        const rows = await reader.fetchPositions(w);
        prefetch.add(rows);
        return rows;
      },
      venueBalance: venue.venueBalance,
      intervalMs: options.syncIntervalMs ?? 30_000,
      catchUp: options.catchUp,
      log,
    });
    watch = new FeedWatch({
      health: () => feeds.health(),
      alert: (a) => engine.emitAlert(a),
      now: () => clock.now(),
      urls: { rtds: hosts.rtds, 'data-api': hosts.data, 'market-ws': hosts.marketWs },
      firstAlertAfterMs: options.feedDownAlertMs,
    });
    const feedWatch = watch;
    feedWatch.start();
    closeAll.unshift(() => feedWatch.stop());
    // The market feed runs before any trade can arrive, so the book of a first trade's token loads.
    await market.start((e) => gate.push(e));
    prefetch.add(heldAtStart);
    prefetch.start();
    await feeds.start((e) => gate.push(e));
    await gate.preload(engine.tokensOfInterest());
    sync.start();
    chain?.start();
    const undecided = state.snapshot.undecided.size;
    log(
      'info',
      `${options.mode} session ${runId}${restart ? ` (restart #${restart}: ${state.snapshot.keys.size - undecided} target fills already decided${undecided ? `, ${undecided} seen but not decided before a crash (decided now)` : ''}, ${restoredFills} fills restored, reading the Data API from ${new Date(pollFromMs).toISOString()})` : ''}; recording ${recordingPath}`,
    );

    let stopped = false;
    return {
      mode: options.mode,
      engine,
      runId,
      hosts,
      recording,
      recordingPath,
      journalPath: state.path,
      restart,
      restoredFills,
      restoredKeys: state.snapshot.keys.size - state.snapshot.undecided.size,
      recovery,
      venue,
      feeds,
      rtds,
      poller,
      market,
      chain,
      sync,
      watch: feedWatch,
      prefetch,
      lateListeners,
      gateStats: gate.stats,
      async drain() {
        await poller.pollOnce();
        await gate.idle();
      },
      async stop(stopOptions = {}) {
        if (stopped) return {};
        stopped = true;
        const result: SessionStopResult = {};
        try {
          feedWatch.stop();
          sync.stop();
          await feeds.stop();
          if (stopOptions.cancelOpen) {
            if (venue.clob) result.cancelFailed = await venue.clob.cancelAllNow('session stopped');
            else venue.venue.cancelAll('session stopped');
            if (result.cancelFailed) log('error', `cancelling open orders failed: ${result.cancelFailed}`);
          }
          // Cancels and in-flight orders finish, and trades not read yet are read, before the summary.
          if (venue.clob) {
            await venue.clob.idle();
            await venue.clob.poll();
          }
          engine.emitEquityNow();
          await summary
            .store({ mode: options.mode, engine, markets, recording, runId, fillModel: venue.fillModel, config, seed: config.seed })
            .catch((err) => log('error', `the run's summary was not stored: ${describeError(err)}`));
        } finally {
          for (const close of closeAll)
            await Promise.resolve(close()).catch((err) => log('error', `closing the session: ${describeError(err)}`));
          releaseProcess();
        }
        return result;
      },
    };
  } catch (error) {
    for (const close of closeAll) await Promise.resolve(close()).catch(() => undefined);
    throw error;
  }
}

/**
 * Positions from the fills of earlier processes (journal), and back into the recording whatever
 * fill or decision rows a crash cut off before the once-a-second flush.
 */
async function restoreFromJournal(engine: Engine, state: DurableState, recording: RecordingStore, runId: string): Promise<number> {
  const { fills, decisions } = state.snapshot;
  engine.restoreFills(fills.map((f) => f.fill));
  const recorders = new Map<string, ReturnType<RecordingStore['runRecorder']>>();
  const recorderOf = (id: string | undefined) => {
    const key = id ?? runId;
    if (!recorders.has(key)) recorders.set(key, recording.runRecorder(key));
    return recorders.get(key)!;
  };
  if (fills.length > 0) {
    const stored = new Set((await recording.query(`SELECT fill_id FROM fills`)).map((r) => String(r.fill_id)));
    for (const f of fills) if (!stored.has(f.fill.fillId)) recorderOf(f.runId).appendFill(f.fill);
  }
  if (decisions.length > 0) {
    const stored = new Set((await recording.query(`SELECT decision_id FROM decisions`)).map((r) => String(r.decision_id)));
    for (const d of decisions) if (!stored.has(d.decision.decisionId)) recorderOf(d.runId).onDecision(d.decision);
  }
  await recording.flush();
  return fills.length;
}

/**
 * Where a restart resumes reading target fills: where the Data API had been read for every target (the
 * overlap re-reads the rest), the first run's start when no earlier process finished a poll round, and
 * never after a fill that was seen but not decided. Not the newest fill seen: RTDS delivers that at once,
 * ahead of fills an earlier process never read.
 */
function resumeFromMs(state: DurableState): number {
  const { readUpToMs, firstRunMs, undecided } = state.snapshot;
  return Math.min(readUpToMs > 0 ? readUpToMs : firstRunMs, ...undecided.values());
}

/**
 * The TargetBook starts from each target's /positions and /value, so SELLs are sized as fractions.
 * Returns what was seeded (in wallet order), for the recording's session facts.
 */
async function seedTargets(
  engine: Engine,
  poller: ActivityPoller,
  wallets: string[],
  log: FeedLog,
  onPositions: (positions: HeldToken[]) => void,
): Promise<SessionFacts['targets']> {
  const seeded = await Promise.all(
    wallets.map(async (wallet) => {
      try {
        const [positions, value] = await Promise.all([poller.fetchPositions(wallet), poller.fetchValue(wallet).catch(() => undefined)]);
        engine.seedTarget(wallet, positions, value);
        onPositions(positions);
        return { wallet, positions: positions.map((p) => ({ tokenId: p.tokenId, sizeMicros: p.sizeMicros })), valueMicros: value };
      } catch (err) {
        log('warn', `positions of ${wallet} not read (${describeError(err)}); its SELLs are sized from the trades seen from now on`);
        return undefined;
      }
    }),
  );
  return seeded.filter((s) => s !== undefined);
}
