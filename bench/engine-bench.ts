/**
 * Engine throughput: target trades per second through strategy (mirror) + sizing + order shaping +
 * risk + SimVenue + portfolio, on one thread, for the target-price and book-walk fill models.
 * Synthetic but realistic: 40 tokens in 20 binary markets, a target that buys and sells at the book,
 * deep books refreshed by a level change every few trades (so book-walk always has liquidity).
 */
import type { EngineEvent, TargetTradeSeen } from '../src/core/events.ts';
import { SeededIds } from '../src/core/ids.ts';
import { createSimEngine } from '../src/modes/sim-engine.ts';
import type { FillModel } from '../src/exec/sim/sim-venue.ts';
import { RiskManager } from '../src/risk/risk-manager.ts';
import { builtinStrategies } from '../src/strategy/builtin/index.ts';
import { parseStrategyParams } from '../src/strategy/loader.ts';

const WALLET = '0x' + 'ab'.repeat(20);

export function generateEvents(trades: number, seed = 7): EngineEvent[] {
  const ids = new SeededIds(seed);
  const events: EngineEvent[] = [];
  const markets = 20;
  const t0 = 1_760_000_000_000;
  for (let m = 0; m < markets; m++) {
    const tokens = [
      { tokenId: `tok-${m}-yes`, outcome: 'Yes' },
      { tokenId: `tok-${m}-no`, outcome: 'No' },
    ];
    events.push({
      type: 'market',
      tsEvent: t0,
      tsRecv: t0,
      market: { conditionId: `cond-${m}`, tokens, negRisk: false, tickMicros: 10_000, minOrderSizeMicros: 5_000_000 },
    });
    for (const t of tokens) {
      const bids = [],
        asks = [];
      for (let i = 0; i < 10; i++) {
        bids.push({ priceMicros: 480_000 - i * 10_000, sizeMicros: 5_000_000_000 });
        asks.push({ priceMicros: 500_000 + i * 10_000, sizeMicros: 5_000_000_000 });
      }
      events.push({ type: 'book_snapshot', tokenId: t.tokenId, tsEvent: t0, tsRecv: t0, bids, asks });
    }
  }
  const held = new Map<string, number>();
  for (let i = 0; i < trades; i++) {
    const ts = t0 + 1000 + i * 50;
    const m = Math.floor(ids.random() * markets);
    const tokenId = `tok-${m}-${ids.random() < 0.5 ? 'yes' : 'no'}`;
    const have = held.get(tokenId) ?? 0;
    const sell = have > 50_000_000 && ids.random() < 0.4;
    const size = (10 + Math.floor(ids.random() * 90)) * 1_000_000;
    const sizeMicros = sell ? Math.min(have, size) : size;
    held.set(tokenId, have + (sell ? -sizeMicros : sizeMicros));
    const priceMicros = sell ? 480_000 : 500_000;
    const txHash = `0x${i.toString(16).padStart(64, '0')}`;
    const side = sell ? 'SELL' : 'BUY';
    const trade: TargetTradeSeen = {
      type: 'target_trade',
      source: 'import:bench',
      seq: i,
      tsEvent: ts,
      tsRecv: ts,
      // Keyed by string: dedup pays a string lookup, as for a live feed's key (replays and sweeps dedup by the
      // recording's key code instead, 1.24× faster here: docs/benchmarks.md, ninth pass).
      key: `${txHash}:${tokenId}:${side}:${sizeMicros}:${priceMicros}#1`,
      trade: {
        wallet: WALLET,
        txHash,
        tokenId,
        conditionId: `cond-${m}`,
        side,
        sizeMicros,
        priceMicros,
        usdcMicros: Math.round((sizeMicros * priceMicros) / 1e6),
        outcome: 'Yes',
      },
    };
    events.push(trade);
    // Refresh the touched side of the book now and then (as a live book would).
    if (i % 4 === 0)
      events.push({
        type: 'book_change',
        tokenId,
        tsEvent: ts,
        tsRecv: ts,
        changes: [{ side: sell ? 'BUY' : 'SELL', priceMicros, sizeMicros: 5_000_000_000 }],
      });
  }
  return events;
}

export function runEngine(events: EngineEvent[], fillModel: FillModel): { seconds: number; targetTrades: number; fills: number } {
  const definition = builtinStrategies['mirror']!;
  const params = parseStrategyParams(definition, { wallets: [WALLET], sizing: { mode: 'multiplier', multiplier: 0.5 } }) as Record<
    string,
    unknown
  >;
  let fills = 0;
  const { engine, clock } = createSimEngine({
    startMs: events[0]!.tsRecv,
    seed: 1,
    fillModel,
    risk: new RiskManager({ maxOrderUsdcMicros: 1_000_000_000, maxDailyLossUsdcMicros: 1_000_000_000_000 }),
    startingCashMicros: 1_000_000_000_000_000,
    strategies: [{ definition, params }],
    listeners: [
      {
        onOrderEvent: (e) => {
          if (e.type === 'order_filled' || e.type === 'order_partially_filled') fills++;
        },
      },
    ],
  });
  const start = process.hrtime.bigint();
  for (const e of events) {
    clock.advanceTo(e.tsRecv);
    engine.handle(e);
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { seconds, targetTrades: engine.stats.targetTrades, fills };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export function benchEngine(trades = 200_000, runs = 5): Record<string, number> {
  const events = generateEvents(trades);
  const out: Record<string, number> = {};
  for (const model of ['target-price', 'book-walk'] as const) {
    runEngine(events.slice(0, 20_000), model); // warm-up (JIT)
    const rates: number[] = [];
    let fills = 0;
    for (let r = 0; r < runs; r++) {
      const res = runEngine(events, model);
      rates.push(res.targetTrades / res.seconds);
      fills = res.fills;
    }
    const key = model === 'target-price' ? 'engine_target_price_events_per_s' : 'engine_book_walk_events_per_s';
    out[key] = Math.round(median(rates));
    out[key.replace('events_per_s', 'fills')] = fills;
  }
  return out;
}
