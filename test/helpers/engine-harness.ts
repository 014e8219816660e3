/** Builds a real engine (SimVenue, RiskManager, a strategy) on a virtual clock for tests and benches. */
import type { VirtualClock } from '../../src/core/clock.ts';
import type { EngineEvent, TargetTradeSeen } from '../../src/core/events.ts';
import type { Decision, EngineListener } from '../../src/core/ports.ts';
import type { OrderEvent } from '../../src/core/events.ts';
import type { Engine } from '../../src/engine/engine.ts';
import { createSimEngine, type SimEngineOptions } from '../../src/modes/sim-engine.ts';
import type { StrategySpec } from '../../src/strategy/strategy-instance.ts';
import type { FillModel } from '../../src/exec/sim/sim-venue.ts';
import { parseCsv } from '../../src/import/csv.ts';
import { parseActivityRow } from '../../src/polymarket/wire/data-api.ts';
import type { RiskLimits } from '../../src/risk/types.ts';
import { RiskManager } from '../../src/risk/risk-manager.ts';
import { readFixtureText } from './fixtures.ts';
import { contentKey } from '../../src/core/dedup.ts';

export interface Harness {
  engine: Engine;
  clock: VirtualClock;
  decisions: Decision[];
  orderEvents: OrderEvent[];
  feed(events: EngineEvent[]): void;
}

export function buildHarness(opts: {
  strategies: StrategySpec[];
  fillModel?: FillModel;
  limits?: RiskLimits;
  cashMicros?: number;
  seed?: number;
  latencyMs?: number;
  startMs?: number;
  record?: boolean;
  listeners?: EngineListener[];
  maxTradeAgeMs?: number;
  redecide?: SimEngineOptions['redecide'];
}): Harness {
  const decisions: Decision[] = [];
  const orderEvents: OrderEvent[] = [];
  const recorder: EngineListener =
    opts.record === false ? {} : { onDecision: (d) => decisions.push(d), onOrderEvent: (e) => orderEvents.push(e) };
  const { engine, clock } = createSimEngine({
    startMs: opts.startMs ?? 0,
    seed: opts.seed ?? 1,
    fillModel: opts.fillModel ?? 'target-price',
    latencyMs: opts.latencyMs,
    risk: new RiskManager(opts.limits ?? {}),
    startingCashMicros: opts.cashMicros ?? 10_000_000_000,
    strategies: opts.strategies,
    listeners: [recorder, ...(opts.listeners ?? [])],
    maxTradeAgeMs: opts.maxTradeAgeMs,
    redecide: opts.redecide,
  });
  return {
    engine,
    clock,
    decisions,
    orderEvents,
    feed(events) {
      for (const e of events) {
        clock.advanceTo(e.tsRecv);
        engine.handle(e);
      }
    },
  };
}

/** Rows of a real Data API /activity CSV export as target-trade events, oldest first, first `limit` rows of the file. */
export function activityCsvEvents(path: string, limit = Number.POSITIVE_INFINITY): TargetTradeSeen[] {
  const table = parseCsv(readFixtureText(path));
  const events: TargetTradeSeen[] = [];
  const occurrences = new Map<string, number>();
  const records = table.records.slice(0, limit);
  for (const record of records) {
    const parsed = parseActivityRow(record.values);
    if (parsed.kind !== 'trade') continue;
    const t = parsed.trade;
    const ck = contentKey(t);
    const n = (occurrences.get(ck) ?? 0) + 1;
    occurrences.set(ck, n);
    events.push({
      type: 'target_trade',
      source: 'import:activity.csv',
      seq: events.length,
      tsEvent: parsed.tsMs,
      tsRecv: parsed.tsMs,
      trade: t,
      key: `${ck}#${n}`,
    });
  }
  // The export is newest first; replay oldest first, keeping file order within a second.
  return events
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.tsRecv - b.e.tsRecv || b.i - a.i)
    .map((x) => x.e);
}

/** A binary Yes/No market (`c1`, tokens `yes`/`no`, tick 0.01, min size 5) at time 0, for engine tests. */
export const YES_NO_MARKET: EngineEvent = {
  type: 'market',
  tsEvent: 0,
  tsRecv: 0,
  market: {
    conditionId: 'c1',
    tokens: [
      { tokenId: 'yes', outcome: 'Yes' },
      { tokenId: 'no', outcome: 'No' },
    ],
    negRisk: false,
    tickMicros: 10_000,
    minOrderSizeMicros: 5_000_000,
  },
};
