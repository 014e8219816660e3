/**
 * The scoring core of `polytail scout`: for each wallet, a mirror of it replayed by the real engine
 * (strategy, order shaping, exchange minimums, risk limits, SimVenue book-walk with fees) once per
 * detection delay and time window. A detection delay is the venue latency of the run: the copy is
 * decided when the target trades and meets the book as it is `delay` later.
 *
 * Everything scouting runs goes through `scoreWallets`, so a faster path (one read of the recording for
 * many wallets × delays) can replace the loop below without changing the command or its output.
 */
import type { EngineEvent } from '../../core/events.ts';
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

export async function scoreWallets(
  recording: ScoutRecording,
  wallets: readonly string[],
  delaysMs: readonly number[],
  options: ScoreOptions,
): Promise<WalletScore[]> {
  const total = wallets.length * delaysMs.length * 2;
  let done = 0;
  const out: WalletScore[] = [];
  for (const wallet of wallets) {
    const score = {} as WalletScore;
    score.wallet = wallet;
    const windows = options.windowsOf(wallet);
    for (const part of ['train', 'test'] as const) {
      const window = windows[part];
      const slice = windowEvents(recording.events, window);
      const runs: FollowerRun[] = [];
      let targetPnl = 0;
      for (const delayMs of delaysMs) {
        const run = await followerRun(slice, wallet, delayMs, window, options);
        runs.push(run.follower);
        targetPnl = run.targetPnl;
        options.onRunDone?.(++done, total);
      }
      score[part] = { window, target: { ...targetStats(slice, wallet, window), pnl: targetPnl }, runs };
    }
    out.push(score);
  }
  return out;
}

async function followerRun(
  events: readonly EngineEvent[],
  wallet: string,
  delayMs: number,
  window: TimeWindow,
  options: ScoreOptions,
): Promise<{ follower: FollowerRun; targetPnl: number }> {
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
  await replayEvents(engine, clock, [events as EngineEvent[]]);
  const summary = summarize({ snapshot: engine.snapshot(), portfolio: engine.portfolio, markets }, collector, {
    id: `scout-${wallet}-${delayMs}`,
    fillModel: 'book-walk',
    seed: config.seed,
    config,
    from: window.from,
    to: window.to,
  });
  const ledger = collector.targetLedgers.get(wallet);
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
