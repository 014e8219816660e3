/** Alert episodes: one notice when a problem starts, one when it ends, nothing in between. */
import { describe, expect, it } from 'vitest';
import type { EngineView, FeedHealth } from '../../../src/core/control.ts';
import type { OrderEvent } from '../../../src/core/events.ts';
import { alertsConfigSchema } from '../../../src/config/ops-config.ts';
import { AlertMonitor, type AlertNotice } from '../../../src/server/alerts/alert-monitor.ts';

function setup(overrides: Record<string, unknown> = {}) {
  let nowMs = 1_000_000;
  let feeds: FeedHealth[] = [{ source: 'rtds', connected: true, gaps: 0, reconnects: 0 }];
  let cash = 100_000_000;
  let equity = 100_000_000;
  // The monitor reads only these fields of the snapshot; the daily loss is the risk manager's own usage row.
  const view = {
    mode: 'paper',
    snapshot: () => ({
      feedHealth: feeds,
      equity: { tsMs: nowMs, equityMicros: equity, cashMicros: cash, realizedMicros: 0, unrealizedMicros: 0, feesMicros: 0 },
      riskUsage: [{ code: 'max_daily_loss', passed: true, value: Math.max(0, 100_000_000 - equity), limit: 20_000_000 }],
    }),
  } as unknown as EngineView;
  const notices: AlertNotice[] = [];
  const monitor = new AlertMonitor({
    config: alertsConfigSchema.parse({ feedDownSeconds: 30, balanceBelowUsdc: 50, quietMinutes: 10, ...overrides }),
    view,
    now: () => nowMs,
    notify: (n) => notices.push(n),
  });
  return {
    monitor,
    notices,
    advance: (ms: number) => ((nowMs += ms), monitor.tick()),
    setFeeds: (f: FeedHealth[]) => (feeds = f),
    setCash: (c: number) => (cash = c),
    setEquity: (e: number) => (equity = e),
  };
}

const kinds = (n: AlertNotice[]) => n.map((x) => `${x.kind}:${x.key}`);

describe('AlertMonitor', () => {
  it('a feed down longer than the threshold: one alert however long, one recovery', () => {
    const t = setup();
    t.setFeeds([{ source: 'rtds', connected: false, gaps: 1, reconnects: 1 }]);
    for (let i = 0; i < 29; i++) t.advance(1000);
    expect(t.notices).toEqual([]);
    for (let i = 0; i < 120; i++) t.advance(1000);
    expect(kinds(t.notices)).toEqual(['alert:feed_down:rtds']);
    t.setFeeds([{ source: 'rtds', connected: true, gaps: 1, reconnects: 2 }]);
    t.advance(1000);
    t.advance(1000);
    expect(kinds(t.notices)).toEqual(['alert:feed_down:rtds', 'recovered:feed_down:rtds']);
  });

  it("carries the session's feed_down alert (host and error) once past the threshold, and ends on its feed_restored", () => {
    const t = setup();
    const down = (downMs: number) =>
      t.monitor.onAlert({
        tsMs: 0,
        level: 'warn',
        code: 'feed_down',
        message: `rtds down for ${downMs / 1000} s (ws://127.0.0.1:1/rtds: Unexpected server response: 503); reconnecting with backoff`,
        details: { feed: 'rtds', downMs },
      });
    down(5_000);
    expect(t.notices).toEqual([]);
    down(30_000);
    down(60_000);
    expect(kinds(t.notices)).toEqual(['alert:feed_down:rtds']);
    expect(t.notices[0]!.message).toContain('ws://127.0.0.1:1/rtds: Unexpected server response: 503');
    t.monitor.onAlert({
      tsMs: 0,
      level: 'info',
      code: 'feed_restored',
      message: 'rtds is back after 75 s',
      details: { feed: 'rtds', downMs: 75_000 },
    });
    expect(kinds(t.notices)).toEqual(['alert:feed_down:rtds', 'recovered:feed_down:rtds']);
    expect(t.notices[1]!.message).toBe('rtds is back after 75 s');
  });

  it('an idle feed (nothing subscribed) is not down; an outage counts from when the session saw it begin', () => {
    const t = setup();
    t.setFeeds([{ source: 'market-ws', connected: false, idle: true, gaps: 0, reconnects: 0 }]);
    for (let i = 0; i < 120; i++) t.advance(1000);
    expect(t.notices).toEqual([]);
    t.setFeeds([{ source: 'rtds', connected: false, gaps: 0, reconnects: 3, lastError: 'HTTP 503', downSinceMs: 1_000_000 }]);
    t.advance(1000);
    expect(kinds(t.notices)).toEqual(['alert:feed_down:rtds']);
    expect(t.notices[0]!.message).toBe('feed rtds down for 121 s (HTTP 503)');
  });

  it('a halt is one critical alert; repeats in the episode are folded', () => {
    const t = setup();
    t.monitor.onRiskState('halted', 'daily loss $20.00 reached the limit');
    t.monitor.onRiskState('halted', 'kill switch');
    t.monitor.onAlert({ tsMs: 0, level: 'critical', code: 'halted_daily_loss', message: 'x' });
    t.monitor.onAlert({ tsMs: 0, level: 'critical', code: 'kill_switch', message: 'x' });
    expect(t.notices).toHaveLength(1);
    expect(t.notices[0]).toMatchObject({
      kind: 'alert',
      rule: 'risk_halt',
      level: 'critical',
      message: 'trading HALTED: daily loss $20.00 reached the limit',
    });
  });

  it('event alerts (missed trades) end after a quiet period, counting what was folded', () => {
    const t = setup();
    for (let i = 0; i < 5; i++) {
      t.monitor.onAlert({ tsMs: 0, level: 'warn', code: 'missed_trade', message: `missed ${i}` });
      t.advance(60_000);
    }
    expect(kinds(t.notices)).toEqual(['alert:missed_trade']);
    t.advance(10 * 60_000);
    expect(kinds(t.notices)).toEqual(['alert:missed_trade', 'recovered:missed_trade']);
    expect(t.notices[1]!.message).toMatch(/^no repeat for 10 min \(5 in this episode/);
  });

  it('a burst of rejected orders, low cash and a daily loss near its limit', () => {
    const t = setup();
    const rejected = { type: 'order_rejected', reason: 'x' } as unknown as OrderEvent;
    for (let i = 0; i < 5; i++) t.monitor.onOrderEvent(rejected);
    t.advance(1000);
    t.setCash(40_000_000);
    t.setEquity(83_000_000); // $17 down of a $20 limit: 85% ≥ 80%
    t.advance(1000);
    t.advance(1000);
    expect(kinds(t.notices)).toEqual(['alert:rejected_orders', 'alert:balance_low', 'alert:daily_loss']);
    t.setCash(60_000_000);
    t.setEquity(99_000_000);
    t.advance(61_000);
    expect(kinds(t.notices).slice(3).sort()).toEqual(['recovered:balance_low', 'recovered:daily_loss', 'recovered:rejected_orders']);
  });

  it('session_stopped once, and nothing after it', () => {
    const t = setup();
    t.monitor.stop('SIGTERM');
    t.monitor.stop('again');
    t.setFeeds([{ source: 'rtds', connected: false, gaps: 0, reconnects: 0 }]);
    t.advance(600_000);
    expect(kinds(t.notices)).toEqual(['alert:session_stopped']);
  });
});
