/**
 * Engines on one SharedFeed, driven in lockstep (clocks, begin, handle, end), decide and fill exactly
 * as each engine does alone: a duplicate trade is dropped by every engine, a copied SELL is sized on
 * the target's position before the trade, books walked and rested on are the shared ones, and
 * latency timers fire against the books as they were before the event. An engine handed a target
 * trade the feed has not seen refuses it.
 */
import { describe, expect, it } from 'vitest';
import { InvariantError } from '../../../src/core/errors.ts';
import type { EngineEvent, TargetTradeSeen } from '../../../src/core/events.ts';
import type { EngineListener } from '../../../src/core/ports.ts';
import { SharedFeed } from '../../../src/engine/shared-feed.ts';
import { createSimEngine } from '../../../src/modes/sim-engine.ts';
import type { FillModel } from '../../../src/exec/sim/sim-venue.ts';
import { RiskManager } from '../../../src/risk/risk-manager.ts';
import { builtinStrategies } from '../../../src/strategy/builtin/index.ts';
import { parseStrategyParams } from '../../../src/strategy/loader.ts';
import { RunCollector } from '../../../src/report/run-collector.ts';
import { TargetShadow } from '../../../src/report/target-shadow.ts';

const A = '0x' + 'a1'.repeat(20);
const B = '0x' + 'b2'.repeat(20);
const T0 = 1_760_000_000_000;

function trade(
  i: number,
  wallet: string,
  side: 'BUY' | 'SELL',
  sizeMicros: number,
  priceMicros: number,
  tokenId = 'tok-yes',
): TargetTradeSeen {
  const txHash = `0x${i.toString(16).padStart(64, '0')}`;
  return {
    type: 'target_trade',
    source: 'import:test',
    seq: i,
    tsEvent: T0 + i * 1000,
    tsRecv: T0 + i * 1000,
    key: `${txHash}:${wallet}:${tokenId}:${side}:${sizeMicros}:${priceMicros}#1`,
    trade: {
      wallet,
      txHash,
      tokenId,
      conditionId: 'cond-1',
      side,
      sizeMicros,
      priceMicros,
      usdcMicros: (sizeMicros * priceMicros) / 1e6,
      outcome: 'Yes',
    },
  };
}

function tape(): EngineEvent[] {
  const levels = (from: number, step: number) =>
    Array.from({ length: 5 }, (_, k) => ({ priceMicros: from + k * step, sizeMicros: 40_000_000 }));
  const events: EngineEvent[] = [
    {
      type: 'market',
      tsEvent: T0,
      tsRecv: T0,
      market: {
        conditionId: 'cond-1',
        tokens: [
          { tokenId: 'tok-yes', outcome: 'Yes' },
          { tokenId: 'tok-no', outcome: 'No' },
        ],
        negRisk: false,
        tickMicros: 10_000,
        minOrderSizeMicros: 5_000_000,
      },
    },
    { type: 'book_snapshot', tokenId: 'tok-yes', tsEvent: T0, tsRecv: T0, bids: levels(480_000, -10_000), asks: levels(500_000, 10_000) },
    trade(1, A, 'BUY', 60_000_000, 500_000),
    trade(2, B, 'BUY', 30_000_000, 510_000),
    trade(3, A, 'BUY', 40_000_000, 520_000),
  ];
  events.push({ ...(events[4] as TargetTradeSeen) }); // the same fill again (a second source): a duplicate
  events.push(
    {
      type: 'book_change',
      tokenId: 'tok-yes',
      tsEvent: T0 + 3500,
      tsRecv: T0 + 3500,
      changes: [{ side: 'SELL', priceMicros: 500_000, sizeMicros: 0 }],
    },
    {
      type: 'trade_print',
      tokenId: 'tok-yes',
      side: 'BUY',
      priceMicros: 530_000,
      sizeMicros: 5_000_000,
      tsEvent: T0 + 3600,
      tsRecv: T0 + 3600,
    },
    trade(4, A, 'SELL', 50_000_000, 540_000), // half of A's 100 shares: our copies sell half of ours
    trade(5, B, 'SELL', 30_000_000, 530_000),
    trade(6, A, 'BUY', 20_000_000, 530_000, 'tok-no'),
    trade(7, A, 'SELL', 50_000_000, 550_000),
  );
  return events;
}

interface Setup {
  fillModel: FillModel;
  multiplier: number;
  latencyMs?: number;
  orderType?: 'FAK' | 'GTC';
}

const SETUPS: Setup[] = [
  { fillModel: 'target-price', multiplier: 0.5 },
  { fillModel: 'book-walk', multiplier: 2, latencyMs: 1500 },
  { fillModel: 'book-walk', multiplier: 1, orderType: 'GTC' },
  { fillModel: 'top-of-book', multiplier: 3 },
];

function build(setup: Setup, feed?: SharedFeed, shadow?: TargetShadow) {
  const seen: string[] = [];
  // The report's collector; on a feed it reads the group's shared shadow of the targets (watching A, or A and B).
  const wallets = setup.multiplier === 2 ? [A, B] : [A];
  const collector = new RunCollector(new Set(wallets), undefined, shadow);
  const listener: EngineListener = {
    onDecision: (d) => seen.push(`decision ${d.action} ${d.reason} ${d.side ?? ''} ${d.tokenId ?? ''}`),
    onOrderEvent: (e) => {
      if (e.type === 'order_filled' || e.type === 'order_partially_filled')
        seen.push(`fill ${e.fill.side} ${e.fill.tokenId} ${e.fill.sizeMicros} @ ${e.fill.priceMicros} t${e.tsEvent}`);
      else seen.push(e.type);
    },
  };
  const definition = builtinStrategies['mirror']!;
  const params = parseStrategyParams(definition, {
    wallets: [A],
    sizing: { mode: 'multiplier', multiplier: setup.multiplier },
    ...(setup.orderType ? { orderType: setup.orderType } : {}),
  }) as Record<string, unknown>;
  const { engine, clock } = createSimEngine({
    startMs: T0,
    seed: 3,
    fillModel: setup.fillModel,
    latencyMs: setup.latencyMs,
    risk: new RiskManager({}),
    startingCashMicros: 10_000_000_000,
    strategies: [{ definition, params }],
    listeners: [listener, collector],
    feed,
  });
  return { engine, clock, seen, collector, wallets };
}

/**
 * What the run's report reads: marks of both tokens, the equity point, the fills hash and the shadow
 * books of the targets it watches (a shared shadow also holds the other runs' wallets; reports read only their own).
 */
function reportOf(r: ReturnType<typeof build>) {
  const p = r.engine.portfolio;
  const shadow = (w: string) => {
    const l = r.collector.targetLedger(w);
    return l && { realized: l.realizedMicros, yes: l.size('tok-yes'), no: l.size('tok-no'), bought: r.collector.targetBuyVolumeMicros(w) };
  };
  return {
    seen: r.seen,
    duplicates: r.engine.stats.duplicates,
    equity: p.equityMicros(),
    marks: [p.mark('tok-yes'), p.mark('tok-no')],
    point: r.engine.lastEquityPoint(),
    hash: r.collector.fillsHash(),
    shadowA: shadow(A),
    shadowB: r.wallets.includes(B) ? shadow(B) : 'not watched',
  };
}

describe('SharedFeed: engines in lockstep on one feed', () => {
  it('each engine decides and fills as it does alone', () => {
    const events = tape();
    const alone = SETUPS.map((setup) => {
      const run = build(setup);
      for (const e of events) {
        run.clock.advanceTo(e.tsRecv);
        run.engine.handle(e);
      }
      run.clock.advanceTo(T0 + 60_000);
      run.engine.emitEquityNow();
      return reportOf(run);
    });

    const feed = new SharedFeed();
    const shadow = new TargetShadow();
    const runs = SETUPS.map((setup) => build(setup, feed, shadow));
    for (const e of events) {
      for (const r of runs) r.clock.advanceTo(e.tsRecv);
      feed.begin(e);
      // As a one-pass sweep does: the shared shadow books the trade once, as dedup passed it.
      if (e.type === 'target_trade') {
        const accepted = feed.acceptedOf(e);
        if (accepted) shadow.onEvent(accepted);
      }
      for (const r of runs) r.engine.handle(e);
      feed.end();
    }
    for (const r of runs) r.clock.advanceTo(T0 + 60_000);
    const together = runs.map((r) => {
      r.engine.emitEquityNow();
      return reportOf(r);
    });

    expect(together).toEqual(alone);
    // Marks of both tokens and the targets' shadow books are there to compare, not empty.
    expect(alone.every((r) => r.marks.every((m) => m !== undefined))).toBe(true);
    expect(alone[0]!.shadowA).toMatchObject({ yes: 0, no: 20_000_000 });
    expect(alone[1]!.shadowB).toMatchObject({ yes: 0, bought: 15_300_000 });
    // The tape exercises what the feed shares: a duplicate dropped, copied SELLs filled, runs that differ.
    expect(alone.every((r) => r.duplicates === 1)).toBe(true);
    expect(alone.filter((r) => r.seen.some((s) => s.startsWith('fill SELL'))).length).toBeGreaterThanOrEqual(2);
    // The latency run fills after the book changed under its order (a timer reading the shared book).
    expect(alone[1]!.seen.some((s) => s.endsWith(`t${T0 + 4500}`))).toBe(true);
    expect(new Set(alone.map((r) => r.seen.join('\n'))).size).toBe(SETUPS.length);
    expect(feed.targets.position(A, 'tok-yes')).toBe(0);
    expect(feed.targets.position(A, 'tok-no')).toBe(20_000_000);
  });

  it('numbers each token once, the same for every engine, whichever way it is asked', () => {
    const feed = new SharedFeed();
    const events = tape();
    for (const e of events) {
      feed.begin(e);
      feed.end();
    }
    const yes = feed.tokenNoOf('tok-yes');
    const no = feed.tokenNoOf('tok-no');
    expect([yes, no]).toEqual([0, 1]);
    expect(feed.tokenNoOf('tok-new')).toBe(2);
    expect(feed.tokenNoOf(['tok', 'yes'].join('-'))).toBe(yes); // an equal id made elsewhere
    expect(feed.tokenNoOf('tok-no')).toBe(no);
  });

  it('an engine on a feed refuses a target trade the feed has not begun', () => {
    const feed = new SharedFeed();
    const run = build(SETUPS[0]!, feed);
    expect(() => run.engine.handle(trade(1, A, 'BUY', 10_000_000, 500_000))).toThrow(InvariantError);
  });
});
