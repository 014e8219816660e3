/** How a mode configures the engine: the clock, ids, venue, risk and strategies it runs with. */
import type { Clock } from '../core/clock.ts';
import type { FeedHealth, Mode } from '../core/control.ts';
import type { FillDedup } from '../core/dedup.ts';
import type { IdSource } from '../core/ids.ts';
import type { MarketRegistry } from '../core/market-registry.ts';
import type { Micros } from '../core/money.ts';
import type { BookRegistry } from '../core/order-book.ts';
import type { EngineListener, Venue } from '../core/ports.ts';
import type { RiskManager } from '../risk/risk-manager.ts';
import type { StrategySpec } from '../strategy/strategy-instance.ts';
import type { SharedFeed } from './shared-feed.ts';

export interface EngineOptions {
  mode: Mode;
  clock: Clock;
  ids: IdSource;
  venue: Venue;
  risk: RiskManager;
  startingCashMicros: Micros;
  strategies: StrategySpec[];
  /** Shared with the venue (SimVenue fills against these books). */
  books?: BookRegistry;
  markets?: MarketRegistry;
  listeners?: EngineListener[];
  dedup?: FillDedup;
  /**
   * Engines run in lockstep on the same events (a one-pass sweep) share dedup, the targets' positions,
   * books and markets through this; whoever drives them calls its begin/end around every event.
   */
  feed?: SharedFeed;
  /** Event-time spacing of periodic equity points (besides one after every fill). Default 60 s. */
  equityIntervalMs?: number;
  /** Per-strategy-instance limits (budgets), checked after the account-wide ones. */
  strategyRisk?: Record<string, RiskManager>;
  /** Sub-account limits by member id (a strategy `<member>/…` is theirs): single order, orders per day. */
  memberRisk?: Record<string, RiskManager>;
  /**
   * Live and paper: a target trade older than this (event time vs our clock) is skipped as
   * `stale_trade` instead of copied at today's prices — e.g. a backfill after hours offline.
   */
  maxTradeAgeMs?: number;
  /**
   * Live restart: target fills whose approved copy an earlier process never sent (killed before
   * signing), by dedup key, with the strategies that must decide them again. When the fill is read
   * again only those strategies see it, and one older than `maxTradeAgeMs` is `stale_after_restart`.
   */
  redecide?: ReadonlyMap<string, ReadonlySet<string>>;
  /** Live and paper: the feeds' health, for snapshots. */
  feedHealth?: () => FeedHealth[];
  /** Live: check positions now (the TUI's `r`). */
  resync?: () => void;
}
