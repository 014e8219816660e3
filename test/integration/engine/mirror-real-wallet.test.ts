/**
 * A real wallet's day (Data API /activity export of 0x05c1…, BTC 15-minute markets) through the
 * mirror strategy at 0.5×, target-price fills. The numbers below were checked by hand.
 */
import { describe, expect, it } from 'vitest';
import { builtinStrategies } from '../../../src/strategy/builtin/index.ts';
import { parseStrategyParams } from '../../../src/strategy/loader.ts';
import { activityCsvEvents, buildHarness } from '../../helpers/engine-harness.ts';
import { ACTIVITY_0X05C1 } from '../../helpers/fixtures.ts';

const WALLET = '0x05c1882212a41aa8d7df5b70eebe03d9319345b7';
const UP = '90935325704423944256344617482152419949039175107879950718034769254187947434591';

function run(rows = 1500, seed = 1) {
  const events = activityCsvEvents(ACTIVITY_0X05C1, rows); // rows 1500–1999 repeat a page (pagination), so 1500
  const definition = builtinStrategies['mirror']!;
  const params = parseStrategyParams(definition, { wallets: [WALLET], sizing: { mode: 'multiplier', multiplier: 0.5 } }) as Record<
    string,
    unknown
  >;
  const h = buildHarness({ strategies: [{ definition, params }], startMs: events[0]!.tsRecv, seed });
  h.feed(events);
  return { h, events };
}

describe('mirror on a real wallet file', () => {
  const { h, events } = run();
  const fills = h.orderEvents.flatMap((e) => (e.type === 'order_filled' || e.type === 'order_partially_filled' ? [e.fill] : []));

  it('answers every target trade with one decision', () => {
    expect(events.length).toBe(1500);
    expect(h.engine.stats.targetTrades).toBe(1500);
    const answered = new Set(h.decisions.map((d) => d.causeKey));
    expect(answered.size).toBe(1500);
  });

  it('copies the first BUYs at half size (market BUY in USDC, floored to cents)', () => {
    // Target: BUY 504 Up @ 0.68 ($342.72). Ours: $171.36 → 252 shares at the target's price.
    const first = h.decisions.find((d) => d.action === 'copy')!;
    expect(first.details).toMatchObject({ amountMicros: 171_360_000, priceMicros: 690_000 });
    expect(fills[0]).toMatchObject({ tokenId: UP, side: 'BUY', priceMicros: 680_000, sizeMicros: 252_000_000 });
    // 163.43 / 0.66 = 247.621212 sh: USDC amounts are floored to cents, shares follow.
    expect(fills[3]).toMatchObject({ priceMicros: 660_000, sizeMicros: 247_621_212 });
  });

  it('mirrors a SELL as the same fraction of our position', () => {
    // Target held 2016 Up and sold 20 (0.99%). We held 1007.984848 → 9.99985 → 9.99 (2dp).
    const sell = fills.find((f) => f.side === 'SELL')!;
    expect(sell).toMatchObject({ tokenId: UP, sizeMicros: 9_990_000, priceMicros: 780_000 });
    // Realized: 9.99 × 0.78 − 9.99 × avg cost (677.87 / 1007.984848) = 7.7922 − 6.718277 = 1.073923
    const closed = h.engine.portfolio.total.position(UP)!.closedPnls[0];
    expect(closed).toBe(1_073_923);
  });

  it('skips with reasons: sub-$1 market BUYs and a SELL of a position we never built', () => {
    const reasons: Record<string, number> = {};
    for (const d of h.decisions) if (d.action !== 'copy') reasons[d.reason] = (reasons[d.reason] ?? 0) + 1;
    expect(reasons['below_min_notional']).toBeGreaterThan(100);
    expect(reasons['no_position_to_sell']).toBeGreaterThanOrEqual(1);
    const tiny = h.decisions.find((d) => d.reason === 'below_min_notional')!;
    expect(tiny.message).toMatch(/at least \$1/);
  });

  it('keeps the accounts consistent and is deterministic', () => {
    const total = h.engine.portfolio.total;
    expect(total.cashMicros).toBe(10_000_000_000 - total.costOfOpen() + total.realizedMicros - total.feesMicros);
    expect(h.engine.portfolio.equityMicros()).toBe(total.equity(h.engine.portfolio.mark));
    const again = run();
    const fills2 = again.h.orderEvents.flatMap((e) => (e.type === 'order_filled' || e.type === 'order_partially_filled' ? [e.fill] : []));
    expect(fills2.length).toBeGreaterThan(1000);
    expect(fills2).toEqual(fills);
  });

  it('feeding every event twice changes nothing', () => {
    const definition = builtinStrategies['mirror']!;
    const params = parseStrategyParams(definition, { wallets: [WALLET], sizing: { mode: 'multiplier', multiplier: 0.5 } }) as Record<
      string,
      unknown
    >;
    const twice = buildHarness({ strategies: [{ definition, params }], startMs: events[0]!.tsRecv });
    twice.feed(events.flatMap((e) => [e, { ...e, source: 'rtds' }]));
    expect(twice.engine.stats.duplicates).toBe(1500);
    expect(twice.engine.portfolio.total.cashMicros).toBe(h.engine.portfolio.total.cashMicros);
    expect(twice.decisions.length).toBe(h.decisions.length);
  });
});
