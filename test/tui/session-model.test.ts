import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SessionModel } from '../../src/tui/session-model.ts';
import { EquitySeries } from '../../src/tui/equity-series.ts';
import { RingBuffer } from '../../src/tui/ring-buffer.ts';
import { copyDecision, FakeEngine, feedSession, filled, orderFor, realTrades, skipDecision, STRATEGY } from './helpers.ts';

describe('SessionModel feed', () => {
  it('joins target trade → decision → fill, newest first, with the skip reason inline', () => {
    const model = new SessionModel();
    const trades = feedSession(model, 6);
    const snap = model.snapshot(new FakeEngine());
    expect(snap.feed).toHaveLength(6);
    expect(snap.feed[0]!.trade!.tsEvent).toBe(trades[5]!.tsEvent);
    const skipped = snap.feed.find((r) => r.causeKey === trades[2]!.key)!;
    expect(skipped.decision!.reason).toBe('below_min_notional');
    expect(skipped.fill.state).toBe('none');
    const copied = snap.feed.find((r) => r.causeKey === trades[0]!.key)!;
    expect(copied.decision!.clientOrderId).toBe('po-1');
    expect(copied.fill.state).toBe('filled');
    expect(copied.fill.filledMicros).toBe(Math.round(trades[0]!.trade.sizeMicros / 10));
    expect(copied.fill.feeMicros).toBe(12_000);
  });

  it('lists only trades we answered: other wallets in a recording stay out of the feed', () => {
    const model = new SessionModel();
    const [ours, theirs] = realTrades(2);
    model.onEvent(ours!);
    model.onEvent({ ...theirs!, key: 'someone-else', trade: { ...theirs!.trade, wallet: '0x0fd419c486d1f53c92cd09c3c52eca61d6367750' } });
    model.onDecision(skipDecision(ours!, 'no_action', 'strategy returned no action'));
    const snap = model.snapshot(new FakeEngine());
    expect(snap.feed).toHaveLength(1);
    expect(snap.feed[0]!.trade!.wallet).toBe(ours!.trade.wallet);
    expect(snap.counts.targetTrades).toBe(2);
  });

  it('counts a fill once even when the same event arrives twice', () => {
    const model = new SessionModel();
    const [t] = realTrades(1);
    model.onEvent(t!);
    model.onDecision(copyDecision(t!, 'po-1'));
    const order = orderFor(t!, 'po-1', 5_000_000);
    const event = filled(order, t!.tsRecv);
    model.onOrderEvent(event);
    model.onOrderEvent(event);
    model.onEvent(event); // the engine also hands order events to onEvent
    const snap = model.snapshot(new FakeEngine());
    expect(snap.feed[0]!.fill.filledMicros).toBe(5_000_000);
    expect(snap.counts.fills).toBe(1);
    expect(snap.orderLog).toHaveLength(1);
  });

  it('gives a second strategy answering the same trade its own row with the same trade', () => {
    const model = new SessionModel();
    const [t] = realTrades(1);
    model.onEvent(t!);
    model.onDecision(copyDecision(t!, 'po-1'));
    model.onDecision({ ...skipDecision(t!, 'strategy_paused', 'fade is paused'), strategyId: 'fade-x' });
    const feed = model.snapshot(new FakeEngine()).feed;
    expect(feed).toHaveLength(2);
    expect(feed[0]!.decision!.strategyId).toBe('fade-x');
    expect(feed[0]!.trade!.wallet).toBe(t!.trade.wallet);
    expect(feed[1]!.decision!.strategyId).toBe(STRATEGY);
  });

  it('shows a rejection on the row and in the log', () => {
    const model = new SessionModel();
    const [t] = realTrades(1);
    model.onEvent(t!);
    model.onDecision(copyDecision(t!, 'po-1'));
    model.onOrderEvent({
      type: 'order_rejected',
      tsEvent: 1,
      tsRecv: 1,
      order: orderFor(t!, 'po-1', 1),
      reason: 'no_match',
      message: 'FOK found no liquidity',
    });
    const snap = model.snapshot(new FakeEngine());
    expect(snap.feed[0]!.fill).toMatchObject({ state: 'rejected', reason: 'no_match' });
    expect(snap.logs[0]!.message).toContain('FOK found no liquidity');
  });

  it('keeps memory flat: buffers never pass their capacities', () => {
    const model = new SessionModel({ feedRows: 20, equityPoints: 16, orderRows: 10, logLines: 5, titles: 10 });
    const trades = realTrades(200);
    trades.forEach((t, i) => {
      model.onEvent(t);
      model.onDecision(copyDecision(t, `po-${i}`));
      model.onOrderEvent(filled(orderFor(t, `po-${i}`, 1_000_000), t.tsRecv));
      model.onEquity({ tsMs: t.tsRecv + i, equityMicros: 1e9 + i, cashMicros: 0, realizedMicros: 0, unrealizedMicros: 0, feesMicros: 0 });
      model.onAlert({ tsMs: t.tsRecv, level: 'warn', code: 'missed_trade', message: `alert ${i}` });
    });
    const snap = model.snapshot(new FakeEngine());
    expect(snap.feed).toHaveLength(20);
    expect(snap.orderLog).toHaveLength(10);
    expect(snap.logs).toHaveLength(5);
    expect(snap.equityCurve.length).toBeLessThan(16);
    expect(snap.logs[0]!.message).toBe('alert 199');
    // Late order events for rows that were dropped are ignored, not crashes.
    model.onOrderEvent(filled(orderFor(trades[0]!, 'po-0', 1_000_000), 1, 'late'));
  });

  it('returns frozen snapshots that later events do not change', () => {
    const model = new SessionModel();
    const [t] = realTrades(1);
    model.onEvent(t!);
    model.onDecision(copyDecision(t!, 'po-1'));
    const before = model.snapshot(new FakeEngine());
    model.onOrderEvent(filled(orderFor(t!, 'po-1', 1_000_000), 1));
    expect(before.feed[0]!.fill.state).toBe('pending');
    expect(Object.isFrozen(before.feed[0])).toBe(true);
    expect(model.snapshot(new FakeEngine()).feed[0]!.fill.state).toBe('filled');
  });

  it('hands out the same frozen row again until an order event changes it', () => {
    const model = new SessionModel();
    const [t1, t2] = realTrades(2);
    for (const [t, id] of [
      [t1!, 'po-1'],
      [t2!, 'po-2'],
    ] as const) {
      model.onEvent(t);
      model.onDecision(copyDecision(t, id));
    }
    const first = model.snapshot(new FakeEngine()).feed;
    model.onOrderEvent(filled(orderFor(t2!, 'po-2', 1_000_000), 1));
    const second = model.snapshot(new FakeEngine()).feed;
    expect(second[1]).toBe(first[1]); // po-1: untouched
    expect(second[0]).not.toBe(first[0]); // po-2: filled since
    expect([first[0]!.fill.state, second[0]!.fill.state]).toEqual(['pending', 'filled']);
  });
});

describe('EquitySeries', () => {
  it('stays under capacity, keeps first and last points, and tracks the worst drawdown exactly', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 2_000_000_000 }), { minLength: 1, maxLength: 400 }), (values) => {
        const s = new EquitySeries(32);
        values.forEach((v, i) =>
          s.add({ tsMs: i * 1000, equityMicros: v, cashMicros: 0, realizedMicros: 0, unrealizedMicros: 0, feesMicros: 0 }),
        );
        const pts = s.toArray();
        expect(pts.length).toBeLessThan(32);
        expect(pts[0]!.equityMicros).toBe(values[0]);
        expect(pts[pts.length - 1]!.equityMicros).toBe(values[values.length - 1]);
        let peak = -Infinity;
        let worst = 0;
        for (const v of values) {
          peak = Math.max(peak, v);
          worst = Math.max(worst, peak - v);
        }
        expect(s.drawdown().maxMicros).toBe(worst);
      }),
    );
  });
});

describe('RingBuffer', () => {
  it('keeps the newest items and reports evictions', () => {
    const evicted: number[] = [];
    const r = new RingBuffer<number>(3, (x) => evicted.push(x));
    for (let i = 1; i <= 5; i++) r.push(i);
    expect(r.toArray()).toEqual([3, 4, 5]);
    expect(r.newestFirst(2)).toEqual([5, 4]);
    expect(evicted).toEqual([1, 2]);
  });
});

import { formatCheckNumber } from '../../src/tui/format.ts';

describe('formatCheckNumber', () => {
  it('formats each risk check in its own unit', () => {
    expect(formatCheckNumber('balance_reserve', 10_170_000)).toBe('$10.17');
    expect(formatCheckNumber('max_slippage', 250)).toBe('250 bps');
    expect(formatCheckNumber('max_drawdown', 1250)).toBe('12.50%');
    expect(formatCheckNumber('max_daily_trades', 42)).toBe('42');
    expect(formatCheckNumber('max_spread', 30_000)).toBe('0.03');
    expect(formatCheckNumber('risk_state', undefined)).toBe('-');
  });
});
