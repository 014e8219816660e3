/**
 * The scoring core of `polytail scout`: for each wallet, a mirror of it replayed by the real engine
 * (strategy, order shaping, exchange minimums, risk limits, SimVenue book-walk with fees) once per
 * detection delay and time window. A detection delay is the venue latency of the run: the copy is
 * decided when the target trades and meets the book as it is `delay` later.
 *
 * Everything scouting runs goes through `scoreWallets`: one pass over the events for every wallet ×
 * window × delay (`scoreWalletsOneByOne` is the same, one replay per run: the reference it is tested against).
 */
import type { VirtualClock } from '../../core/clock.ts';
import type { EngineEvent } from '../../core/events.ts';
import type { MarketRegistry } from '../../core/market-registry.ts';
import type { Engine } from '../../engine/engine.ts';
import { fromMicros, toMicros } from '../../core/money.ts';
import type { PolytailConfig } from '../../config/config.ts';
import { RunCollector } from '../../report/run-collector.ts';
import { summarize } from '../../report/summary.ts';
import { round } from '../../report/metrics.ts';
import { assemble } from '../assemble.ts';
import { replayEvents } from '../replay-loop.ts';
import { createSimEngine } from '../sim-engine.ts';
import { FollowerTally } from './follower-tally.ts';

export interface TimeWindow {
  from: number;
  /** Exclusive. */
  to: number;
}

/** A recording loaded for scouting: its events in time order (with synthetic books when it had none). */
export interface ScoutRecording {
  events: readonly EngineEvent[];
}

export interface ScoreOptions {
  /** Cash, risk limits, seed and sizing defaults; `latencyMs` and `fillModel` are set per run. */
  config: PolytailConfig;
  /** Copy size = target size × this (default: the mirror's own default, 1). */
  multiplier?: number;
  strategy?: string;
  /** Each wallet's training and held-out windows (see `walletWindows`). */
  windowsOf: (wallet: string) => { train: TimeWindow; test: TimeWindow };
  onRunDone?: (done: number, total: number) => void;
}

/** One follower run: a wallet, a window, a delay. USDC amounts are decimal numbers. */
export interface FollowerRun {
  delayMs: number;
  pnl: number;
  fees: number;
  /** Follower PnL ÷ the target's PnL scaled to the follower's buy volume (null when either is 0). */
  captureRatio: number | null;
  costBps: number | null;
  maxDrawdownUsdc: number;
  maxDrawdownPct: number;
  /** Target trades the follower decided on, orders filled (fills), copies missed at the venue, too small to place. */
  decided: number;
  fills: number;
  missed: number;
  belowMinimum: number;
  /** Target trades not copied, by reason code, most frequent first. */
  skipped: Record<string, number>;
  fillsHash: string;
}

/** The target itself in one window: what it did and made on what we saw. */
export interface TargetWindowStats {
  trades: number;
  buys: number;
  sells: number;
  volumeUsdc: number;
  markets: number;
  /** Share of the target's volume in its largest market (0..1). */
  topMarketShare: number | null;
  tradesPerDay: number;
  /** Realized + marked PnL of the trades seen (SELLs of shares bought before the window are ignored). */
  pnl: number;
}

export interface WindowScore {
  window: TimeWindow;
  target: TargetWindowStats;
  runs: FollowerRun[];
}

export interface WalletScore {
  wallet: string;
  train: WindowScore;
  test: WindowScore;
}

/** Events each run takes before the next run's turn (see `scoreWallets`). */
const BLOCK = 4096;

/**
 * Every (wallet, window, delay) run over ONE pass of the events: each event goes, in time order, to
 * every run whose window holds it, each run on its own engine and virtual clock — the sweep's
 * `replayMany` on events in memory. Each run's result equals `scoreWalletsOneByOne` (a test compares
 * them run by run); one pass walks the events and their windows once instead of once per run.
 */
export async function scoreWallets(
  recording: ScoutRecording,
  wallets: readonly string[],
  delaysMs: readonly number[],
  options: ScoreOptions,
): Promise<WalletScore[]> {
  const lanes: FollowerLane[] = [];
  for (const wallet of wallets) {
    const windows = options.windowsOf(wallet);
    for (const part of ['train', 'test'] as const)
      for (const delayMs of delaysMs) lanes.push(await openFollower(wallet, delayMs, windows[part], options));
  }
  const total = lanes.length;
  const events = recording.events;
  // Progress in runs' worth of events: the share of the pass done, as runs (the last one when all are finished).
  // Block by block: every run takes a block of events in turn (runs are independent, so the order
  // between runs changes nothing), which keeps one engine's state hot in the cache for a whole block.
  for (let from = 0; from < events.length; from += BLOCK) {
    const to = Math.min(events.length, from + BLOCK);
    for (const lane of lanes) for (let i = from; i < to; i++) lane.offer(events[i]!);
    options.onRunDone?.(Math.min(total - 1, Math.floor((to / events.length) * total)), total);
  }
  const finished = lanes.map((lane) => lane.finish());
  options.onRunDone?.(total, total);
  return collect(
    wallets,
    delaysMs,
    options,
    (wallet, part, k) => finished[(wallets.indexOf(wallet) * 2 + (part === 'train' ? 0 : 1)) * delaysMs.length + k]!,
    recording,
  );
}

/** The same scores, one replay per (wallet, window, delay) over that window's events: the reference for `scoreWallets`. */
export async function scoreWalletsOneByOne(
  recording: ScoutRecording,
  wallets: readonly string[],
  delaysMs: readonly number[],
  options: ScoreOptions,
): Promise<WalletScore[]> {
  const runs = new Map<string, FollowerResult>();
  let done = 0;
  const total = wallets.length * delaysMs.length * 2;
  for (const wallet of wallets) {
    const windows = options.windowsOf(wallet);
    for (const part of ['train', 'test'] as const) {
      const slice = windowEvents(recording.events, windows[part]);
      for (const [k, delayMs] of delaysMs.entries()) {
        const lane = await openFollower(wallet, delayMs, windows[part], options);
        await replayEvents(lane.engine, lane.clock, [slice]);
        runs.set(`${wallet}|${part}|${k}`, lane.summarize());
        options.onRunDone?.(++done, total);
      }
    }
  }
  return collect(wallets, delaysMs, options, (wallet, part, k) => runs.get(`${wallet}|${part}|${k}`)!, recording);
}

interface FollowerResult {
  follower: FollowerRun;
  targetPnl: number;
}

function collect(
  wallets: readonly string[],
  delaysMs: readonly number[],
  options: ScoreOptions,
  resultOf: (wallet: string, part: 'train' | 'test', k: number) => FollowerResult,
  recording: ScoutRecording,
): WalletScore[] {
  return wallets.map((wallet) => {
    const windows = options.windowsOf(wallet);
    const score = { wallet } as WalletScore;
    for (const part of ['train', 'test'] as const) {
      const window = windows[part];
      const results = delaysMs.map((_, k) => resultOf(wallet, part, k));
      const targetPnl = results[results.length - 1]?.targetPnl ?? 0;
      const stats = targetStats(windowEvents(recording.events, window), wallet, window);
      score[part] = { window, target: { ...stats, pnl: targetPnl }, runs: results.map((r) => r.follower) };
    }
    return score;
  });
}

/** One follower run: its engine on a virtual clock, fed the events of its window, then summarized. */
class FollowerLane {
  private lastTsMs: number | undefined;

  constructor(
    readonly wallet: string,
    readonly delayMs: number,
    readonly window: TimeWindow,
    readonly engine: Engine,
    readonly clock: VirtualClock,
    private readonly markets: MarketRegistry,
    private readonly collector: RunCollector,
    private readonly tally: FollowerTally,
    private readonly config: PolytailConfig,
  ) {}

  /** As `replayEvents` over `windowEvents(…, window)`: market metadata from anywhere, the rest inside [from, to). */
  offer(event: EngineEvent): void {
    const t = event.tsRecv;
    if (event.type !== 'market' && (t < this.window.from || t >= this.window.to)) return;
    this.clock.advanceTo(t);
    this.engine.handle(event);
    this.lastTsMs = t;
  }

  /** As `replayEvents` ends: timers due within a minute after the last event fire, then a last equity point. */
  finish(): FollowerResult {
    if (this.lastTsMs !== undefined) this.clock.advanceTo(this.lastTsMs + 60_000);
    this.engine.emitEquityNow();
    return this.summarize();
  }

  summarize(): FollowerResult {
    const { engine, config, wallet, delayMs, window, tally } = this;
    const summary = summarize({ snapshot: engine.snapshot(), portfolio: engine.portfolio, markets: this.markets }, this.collector, {
      id: `scout-${wallet}-${delayMs}`,
      fillModel: 'book-walk',
      seed: config.seed,
      config,
      from: window.from,
      to: window.to,
    });
    const ledger = this.collector.targetLedger(wallet);
    const mark = engine.portfolio.mark;
    const targetPnl = ledger ? round(fromMicros(ledger.realizedMicros + ledger.unrealized(mark)), 6) : 0;
    const costBps = tally.costBps();
    return {
      targetPnl,
      follower: {
        delayMs,
        pnl: summary.pnl.total,
        fees: summary.pnl.fees,
        captureRatio: summary.captureRatio,
        costBps: costBps === null ? null : round(costBps, 2),
        maxDrawdownUsdc: round(fromMicros(tally.maxDrawdownMicros), 6),
        maxDrawdownPct: summary.equity.maxDrawdownPct,
        decided: tally.decided,
        fills: tally.fills,
        missed: tally.missed,
        belowMinimum: tally.belowMinimum,
        skipped: Object.fromEntries([...tally.skipped.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))),
        fillsHash: summary.fillsHash,
      },
    };
  }
}

async function openFollower(wallet: string, delayMs: number, window: TimeWindow, options: ScoreOptions): Promise<FollowerLane> {
  const config: PolytailConfig = { ...options.config, latencyMs: delayMs, fillModel: 'book-walk', targets: [] };
  const assembly = await assemble(config, { targets: [wallet], strategy: options.strategy, multiplier: options.multiplier });
  const collector = new RunCollector(new Set([wallet]));
  const tally = new FollowerTally();
  const { engine, clock, markets } = createSimEngine({
    startMs: window.from,
    seed: config.seed,
    fillModel: 'book-walk',
    latencyMs: delayMs,
    risk: assembly.risk,
    strategyRisk: assembly.strategyRisk,
    startingCashMicros: toMicros(config.startingCashUsdc),
    strategies: assembly.strategies,
    listeners: [collector, tally],
  });
  return new FollowerLane(wallet, delayMs, window, engine, clock, markets, collector, tally, config);
}

/** Market metadata from anywhere (it is not an event in time), everything else inside [from, to). */
export function windowEvents(all: readonly EngineEvent[], window: TimeWindow): EngineEvent[] {
  return all.filter((e) => e.type === 'market' || (e.tsRecv >= window.from && e.tsRecv < window.to));
}

const DAY_MS = 86_400_000;

export function targetStats(events: readonly EngineEvent[], wallet: string, window: TimeWindow): Omit<TargetWindowStats, 'pnl'> {
  let trades = 0;
  let buys = 0;
  let volume = 0;
  const byMarket = new Map<string, number>();
  for (const e of events) {
    if (e.type !== 'target_trade' || e.trade.wallet.toLowerCase() !== wallet) continue;
    trades++;
    if (e.trade.side === 'BUY') buys++;
    volume += e.trade.usdcMicros;
    byMarket.set(e.trade.conditionId, (byMarket.get(e.trade.conditionId) ?? 0) + e.trade.usdcMicros);
  }
  const top = Math.max(0, ...byMarket.values());
  const days = Math.max(1, window.to - window.from) / DAY_MS;
  return {
    trades,
    buys,
    sells: trades - buys,
    volumeUsdc: round(fromMicros(volume), 6),
    markets: byMarket.size,
    topMarketShare: volume > 0 ? round(top / volume, 4) : null,
    tradesPerDay: round(trades / days, 2),
  };
}
