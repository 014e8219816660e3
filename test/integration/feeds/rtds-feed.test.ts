/**
 * RtdsFeed with the real @polymarket/real-time-data-client against the sandbox: wallet filter, the
 * same keys as the Data API poller, reconnect + backfill, the staleness watchdog, faulty frames and
 * server pings (the unpatched client kills its own socket after 60 of them).
 */
import { RealTimeDataClient } from '@polymarket/real-time-data-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FillDedup } from '../../../src/core/dedup.ts';
import { ActivityPoller } from '../../../src/feeds/activity-poller.ts';
import { MergedFeed, linkBackfill } from '../../../src/feeds/merged-feed.ts';
import { RtdsFeed } from '../../../src/feeds/rtds-feed.ts';
import type { Sandbox } from '../../../src/sandbox/index.ts';
import { OTHER, TARGET, dedupKeys, ledgerKeys, memoryLog, sleep, startFeedSandbox, tradeSink } from './helpers.ts';

let sb: Sandbox | undefined;
const running: { stop(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((f) => f.stop()));
  await sb?.stop();
  sb = undefined;
});

function rtds(sandbox: Sandbox, extra: Partial<ConstructorParameters<typeof RtdsFeed>[0]> = {}) {
  const { log, lines } = memoryLog();
  const feed = new RtdsFeed({ host: sandbox.urls.rtds, wallets: [TARGET.toUpperCase().replace('0X', '0x')], log, ...extra });
  running.push(feed);
  return { feed, lines };
}

function poller(sandbox: Sandbox, extra: Partial<ConstructorParameters<typeof ActivityPoller>[0]> = {}) {
  const { log } = memoryLog();
  const p = new ActivityPoller({ baseUrl: sandbox.urls.data, wallets: [TARGET], log, intervalMs: 0, overlapMs: 5000, ...extra });
  running.push(p);
  return p;
}

/** Lets the flow run for `ms`, then stops it and waits for the last frames to land. */
async function tradeFor(sandbox: Sandbox, ms: number): Promise<{ fromMs: number; toMs: number }> {
  const fromMs = Date.now();
  await sleep(ms);
  sandbox.flow.stop();
  const toMs = Date.now();
  await sleep(300);
  return { fromMs, toMs };
}

describe('RtdsFeed', () => {
  it('emits only the followed wallet’s fills, and the poller finds the same fills under the same keys', async () => {
    sb = await startFeedSandbox();
    const sink = tradeSink();
    const { feed } = rtds(sb);
    await feed.start(sink.emit);
    const { fromMs } = await tradeFor(sb, 2000);

    expect(sink.events.length).toBeGreaterThan(3);
    expect(sink.events.every((e) => e.trade.wallet === TARGET && e.source === 'rtds')).toBe(true);
    expect(feed.stats.filtered).toBeGreaterThan(0); // OTHER's fills and the makers' sides were there
    const rtdsKeys = dedupKeys(sink.events);
    const ledger = ledgerKeys(sb, TARGET);
    expect(ledger.filter((k) => rtdsKeys.includes(k))).toEqual(rtdsKeys); // nothing invented
    expect(ledgerKeys(sb, TARGET, fromMs + 200).every((k) => rtdsKeys.includes(k))).toBe(true); // nothing missed

    const polled = tradeSink();
    const p = poller(sb, { startMs: fromMs - 60_000, pageLimit: 7 });
    await p.start(polled.emit);
    await p.pollOnce();
    expect(dedupKeys(polled.events).sort()).toEqual([...ledger].sort());

    // Through one dedup (as the engine runs it): RTDS first, then the poller's copies collapse.
    const dedup = new FillDedup();
    const merged = dedupKeys([...sink.events, ...polled.events], dedup);
    expect(merged.sort()).toEqual([...ledger].sort());
    expect(dedup.duplicates).toBe(sink.events.length);
    expect(feed.health()).toMatchObject({ source: 'rtds', connected: true, reconnects: 0, gaps: 0 });
    expect(feed.health().lagMs).toBeGreaterThanOrEqual(0);
  });

  it('reconnects after a dropped socket and the backfill fills the gap: no fill missing', async () => {
    sb = await startFeedSandbox();
    const sink = tradeSink();
    const { feed, lines } = rtds(sb, { backoffBaseMs: 1500, backoffMaxMs: 1500 });
    const p = poller(sb);
    const merged = new MergedFeed([feed, p], () => {});
    running.push(merged);
    linkBackfill(feed, p);
    await merged.start(sink.emit);
    await sleep(700);
    sb.faults.add({ kind: 'ws-drop', channel: 'rtds' });
    await vi.waitFor(() => expect(feed.health().reconnects).toBe(1), { timeout: 5000, interval: 50 });
    const { fromMs } = await tradeFor(sb, 700);
    await vi.waitFor(() => expect(p.stats.trades).toBeGreaterThan(0), { timeout: 3000 });
    await sleep(300);

    const fromRtds = sink.events.filter((e) => e.source === 'rtds');
    const ledger = ledgerKeys(sb, TARGET, fromMs - 2600);
    // The gap was real: while down (≈1.5 s) RTDS missed fills that only the backfill has.
    expect(ledger.filter((k) => !dedupKeys(fromRtds).includes(k)).length).toBeGreaterThan(0);
    const all = dedupKeys(sink.events);
    expect(ledger.filter((k) => !all.includes(k))).toEqual([]);
    expect(lines.some((l) => l.includes('closed with code'))).toBe(true);
    expect(merged.health().map((h) => h.source)).toEqual(['rtds', 'data-api']);
  });

  it('a stall with the socket open trips the watchdog, which reconnects on a new client', async () => {
    sb = await startFeedSandbox();
    const sink = tradeSink();
    const { feed, lines } = rtds(sb, { staleAfterMs: 600, backoffBaseMs: 50 });
    await feed.start(sink.emit);
    await sleep(500);
    sb.faults.add({ kind: 'ws-stall', channel: 'rtds', ms: 1200 });
    await vi.waitFor(() => expect(feed.stats.stalls).toBeGreaterThanOrEqual(1), { timeout: 5000, interval: 50 });
    expect(lines.some((l) => /no trade frame for \d+ ms with the socket open/.test(l))).toBe(true);
    await vi.waitFor(() => expect(feed.health()).toMatchObject({ connected: true }), { timeout: 5000, interval: 50 });
    expect(feed.health().reconnects).toBeGreaterThanOrEqual(1);
    expect(feed.health().gaps).toBeGreaterThanOrEqual(1);
    const before = sink.events.length;
    await vi.waitFor(() => expect(sink.events.length).toBeGreaterThan(before), { timeout: 5000, interval: 50 }); // flowing again
  });

  it('duplicated, reordered and malformed frames give exactly one event per fill (with the poller) and no crash', async () => {
    sb = await startFeedSandbox();
    sb.faults.add({ kind: 'ws-duplicate', channel: 'rtds', probability: 0.3 });
    sb.faults.add({ kind: 'ws-reorder', channel: 'rtds', probability: 0.3 });
    sb.faults.add({ kind: 'ws-malformed', channel: 'rtds', probability: 0.2 });
    const sink = tradeSink();
    const { feed, lines } = rtds(sb);
    await feed.start(sink.emit);
    const { fromMs } = await tradeFor(sb, 2500);

    expect(feed.stats.redelivered).toBeGreaterThan(0);
    expect(feed.stats.malformed).toBeGreaterThan(0);
    expect(lines.some((l) => l.includes('dropped a malformed trade frame'))).toBe(true);
    const rtdsKeys = dedupKeys(sink.events);
    expect(rtdsKeys.length).toBe(sink.events.length); // redeliveries were not emitted as new fills

    const p = poller(sb, { startMs: fromMs - 60_000 });
    await p.start(sink.emit);
    await p.pollOnce();
    const once = dedupKeys(sink.events);
    expect(once.sort()).toEqual(ledgerKeys(sb, TARGET).sort());
    expect(feed.health().connected).toBe(true);
  });

  it('answers server ping frames, so the socket outlives 60 pings (the bare client terminates itself)', async () => {
    sb = await startFeedSandbox({ rtdsPingIntervalMs: 10, traders: [] });
    vi.spyOn(console, 'error').mockImplementation(() => {});
    vi.spyOn(console, 'log').mockImplementation(() => {});
    const statuses: string[] = [];
    const bare = new RealTimeDataClient({ host: sb.urls.rtds, onStatusChange: (s) => statuses.push(s) }).connect();
    const { feed } = rtds(sb, { staleAfterMs: 60_000 });
    await feed.start(() => {});
    await sleep(1500); // ≈150 server pings
    bare.disconnect();
    expect(statuses.filter((s) => s === 'DISCONNECTED').length).toBeGreaterThanOrEqual(1);
    expect(feed.health()).toMatchObject({ connected: true, reconnects: 0 });
  });

  it('follows wallets added at run time', async () => {
    sb = await startFeedSandbox();
    const sink = tradeSink();
    const { feed } = rtds(sb);
    feed.setWallets([OTHER]);
    await feed.start(sink.emit);
    await sleep(800);
    feed.addWallet(TARGET);
    await tradeFor(sb, 800);
    const wallets = new Set(sink.events.map((e) => e.trade.wallet));
    expect(wallets).toEqual(new Set([OTHER, TARGET]));
  });
});
