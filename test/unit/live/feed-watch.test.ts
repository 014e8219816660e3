import { describe, expect, it } from 'vitest';
import type { FeedHealth } from '../../../src/core/control.ts';
import type { Alert } from '../../../src/core/ports.ts';
import { SESSION_ALERT } from '../../../src/live/alert-codes.ts';
import { FeedWatch } from '../../../src/live/feed-watch.ts';

function setup() {
  let now = 1_000_000;
  const rows: Record<string, FeedHealth> = {
    rtds: { source: 'rtds', connected: true, gaps: 0, reconnects: 0 },
    'market-ws': { source: 'market-ws', connected: false, idle: true, gaps: 0, reconnects: 0 },
  };
  const alerts: Alert[] = [];
  const watch = new FeedWatch({
    health: () => Object.values(rows),
    alert: (a) => alerts.push(a),
    now: () => now,
    urls: { rtds: 'wss://rtds.example' },
  });
  const at = (ms: number) => {
    now = 1_000_000 + ms;
    watch.check();
  };
  return { rows, alerts, watch, at };
}

describe('FeedWatch: feeds down are a reported state', () => {
  it('alerts after 5 s down, repeats as the outage grows, and reports the feed back', () => {
    const { rows, alerts, watch, at } = setup();
    at(0);
    rows.rtds = { ...rows.rtds!, connected: false, lastError: 'connect ECONNREFUSED' };
    at(1000);
    at(5000);
    expect(alerts).toHaveLength(0);
    at(6000);
    expect(alerts.map((a) => a.code)).toEqual([SESSION_ALERT.feedDown]);
    expect(alerts[0]!.message).toMatch(/^rtds down for 5 s \(wss:\/\/rtds\.example: connect ECONNREFUSED\)/);
    expect(watch.health().find((h) => h.source === 'rtds')?.downSinceMs).toBe(1_001_000);
    at(20_000);
    expect(alerts).toHaveLength(1);
    at(31_000);
    expect(alerts.at(-1)!.message).toMatch(/down for 30 s/);
    at(61_000);
    at(121_000);
    at(400_000);
    at(421_000);
    at(721_000);
    // Every 5 min after the 2-min alert.
    expect(alerts.map((a) => a.details?.downMs)).toEqual([5000, 30_000, 60_000, 120_000, 420_000, 720_000]);
    rows.rtds = { ...rows.rtds!, connected: true };
    at(722_000);
    expect(alerts.at(-1)).toMatchObject({ code: SESSION_ALERT.feedRestored, level: 'info', message: 'rtds is back after 12 min 1 s' });
    expect(watch.health().find((h) => h.source === 'rtds')?.downSinceMs).toBeUndefined();
  });

  it('says nothing about a blip shorter than the first alert, or a feed with nothing to watch', () => {
    const { rows, alerts, at } = setup();
    rows.rtds = { ...rows.rtds!, connected: false };
    at(0);
    at(3000);
    rows.rtds = { ...rows.rtds!, connected: true };
    at(4000);
    at(60_000);
    expect(alerts).toEqual([]);
  });
});
