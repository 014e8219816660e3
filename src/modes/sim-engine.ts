/**
 * The engine on a virtual clock with SimVenue: what replays, sweeps, tests and the engine bench run.
 * (Paper uses SimVenue too, but on the wall clock with live books: see src/modes/session-venue.ts.)
 */
import { VirtualClock } from '../core/clock.ts';
import { SeededIds, type IdSource } from '../core/ids.ts';
import { MarketRegistry } from '../core/market-registry.ts';
import type { Micros } from '../core/money.ts';
import { BookRegistry } from '../core/order-book.ts';
import type { EngineListener } from '../core/ports.ts';
import { SimVenue, type FillModel } from '../exec/sim/sim-venue.ts';
import type { RiskManager } from '../risk/risk-manager.ts';
import { Engine, type EngineOptions } from '../engine/engine.ts';
import type { StrategySpec } from '../strategy/strategy-instance.ts';
import type { SharedFeed } from '../engine/shared-feed.ts';

export interface SimEngineOptions {
  startMs: number;
  seed: number;
  /** Ids of orders and fills; default `SeededIds(seed)` (a session's replay passes the session's own). */
  ids?: IdSource;
  fillModel: FillModel;
  slippageTicks?: number;
  latencyMs?: number;
  latencySamplesMs?: readonly number[];
  noticeSamplesMs?: readonly number[];
  risk: RiskManager;
  strategyRisk?: Record<string, RiskManager>;
  startingCashMicros: Micros;
  strategies: StrategySpec[];
  listeners?: EngineListener[];
  maxTradeAgeMs?: number;
  redecide?: EngineOptions['redecide'];
  /** Books, markets, dedup and targets shared with other engines on the same events (a one-pass sweep). */
  feed?: SharedFeed;
}

export function createSimEngine(options: SimEngineOptions): { engine: Engine; clock: VirtualClock; markets: MarketRegistry } {
  const clock = new VirtualClock(options.startMs);
  const ids = options.ids ?? new SeededIds(options.seed);
  const books = options.feed?.books ?? new BookRegistry();
  const markets = options.feed?.markets ?? new MarketRegistry();
  const venue = new SimVenue({
    clock,
    ids,
    books,
    markets,
    fillModel: options.fillModel,
    slippageTicks: options.slippageTicks,
    latencyMs: options.latencyMs,
    latencySamplesMs: options.latencySamplesMs,
    noticeSamplesMs: options.noticeSamplesMs,
    latencySeed: options.seed,
  });
  const engine = new Engine({
    mode: 'replay',
    clock,
    ids,
    venue,
    books,
    markets,
    risk: options.risk,
    strategyRisk: options.strategyRisk,
    startingCashMicros: options.startingCashMicros,
    strategies: options.strategies,
    listeners: options.listeners,
    maxTradeAgeMs: options.maxTradeAgeMs,
    redecide: options.redecide,
    feed: options.feed,
  });
  return { engine, clock, markets };
}
