/**
 * RtdsFeed with the real @polymarket/real-time-data-client against the sandbox: wallet filter, the
 * same keys as the Data API poller, reconnect + backfill, the staleness watchdog, faulty frames and
 * server pings (the unpatched client kills its own socket after 60 of them). Every wait is on a
 * condition (the sandbox's ledger, the feed's state), never on a fixed time.
 */
import { RealTimeDataClient } from '@polymarket/real-time-data-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FillDedup } from '../../../src/core/dedup.ts';
import { ActivityPoller } from '../../../src/feeds/activity-poller.ts';
import { MergedFeed, linkBackfill } from '../../../src/feeds/merged-feed.ts';
import { RTDS_MAX_BACKOFF_MS, RtdsFeed } from '../../../src/feeds/rtds-feed.ts';
import type { Sandbox } from '../../../src/sandbox/index.ts';
import { waitUntil } from '../../helpers/wait.ts';
import { OTHER, TARGET, dedupKeys, fillNow, ledgerKeys, ledgerKeysSince, memoryLog, startFeedSandbox, tradeSink } from './helpers.ts';

let sb: Sandbox | undefined;
const running: { stop(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((f) => f.stop()));
  await sb?.stop();
  sb = undefined;
});

function rtds(sandbox: Sandbox, extra: Partial<ConstructorParameters<typeof RtdsFeed>[0]> = {}) {
  const { log } = memoryLog();
  const feed = new RtdsFeed({ host: sandbox.urls.rtds, wallets: [TARGET.toUpperCase().replace('0X', '0x')], log, ...extra });
  running.push(feed);
  return feed;
}

function poller(sandbox: Sandbox, extra: Partial<ConstructorParameters<typeof ActivityPoller>[0]> = {}) {
  const { log } = memoryLog();
  const p = new ActivityPoller({ baseUrl: sandbox.urls.data, wallets: [TARGET], log, intervalMs: 0, overlapMs: 5000, ...extra });
  running.push(p);
  return p;
}

/** Resolves once the sandbox has processed `n` RTDS subscriptions: from then on no fill can be missed. */
const subscribed = (sandbox: Sandbox, n = 1) => waitUntil(() => sandbox.subscribers().rtds >= n, `${n} RTDS subscription(s)`);

/** Lets the synthetic flow run until the target has `fills` more fills on the ledger, then stops it. */
async function tradeUntil(sandbox: Sandbox, fills: number): Promise<void> {
  const before = ledgerKeys(sandbox, TARGET).length;
  await waitUntil(() => ledgerKeys(sandbox, TARGET).length >= before + fills, `${fills} more fills of the target`);
  sandbox.flow.stop();
}

const missing = (expected: string[], got: string[]) => expected.filter((k) => !got.includes(k));

describe('RtdsFeed', () => {
  it('emits only the followed wallet’s fills, and the poller finds the same fills under the same keys', async () => {
    sb = await startFeedSandbox();
    const sink = tradeSink();
    const feed = rtds(sb);
    await feed.start(sink.emit);
    await subscribed(sb);
    const fromMs = Date.now();
    const fromSeq = sb.state.ledger.length;
    await tradeUntil(sb, 5);
    // Every target fill after the subscription arrives (the feed may take a while on a busy machine).
    await waitUntil(
      () => missing(ledgerKeysSince(sb!, TARGET, fromSeq), dedupKeys(sink.events)).length === 0,
      'every fill after subscribing',
    );

    expect(sink.events.every((e) => e.trade.wallet === TARGET && e.source === 'rtds')).toBe(true);
    expect(feed.stats.filtered).toBeGreaterThan(0); // OTHER's fills and the makers' sides were there
    const rtdsKeys = dedupKeys(sink.events);
    const ledger = ledgerKeys(sb, TARGET);
    expect(missing(rtdsKeys, ledger)).toEqual([]); // nothing invented

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
    sb = await startFeedSandbox({}, false);
    const sink = tradeSink();
    const feed = rtds(sb, { backoffBaseMs: 300, backoffMaxMs: 300 });
    const p = poller(sb);
    const merged = new MergedFeed([feed, p], () => {});
    running.push(merged);
    linkBackfill(feed, p);
    await merged.start(sink.emit);
    await subscribed(sb);
    const first = fillNow(sb, TARGET);
    await waitUntil(() => dedupKeys(sink.events).includes(first), 'the first fill over RTDS');

    // The socket drops; fills made before the new socket is up can only come from the backfill.
    sb.faults.add({ kind: 'ws-drop', channel: 'rtds' });
    const inGap = [fillNow(sb, TARGET, 11), fillNow(sb, TARGET, 12)];
    await waitUntil(() => feed.health().reconnects === 1 && feed.health().connected, 'the reconnect');
    await waitUntil(() => missing(inGap, dedupKeys(sink.events)).length === 0, 'the backfill of the fills made while down');
    await subscribed(sb);
    const after = fillNow(sb, TARGET, 13);
    await waitUntil(() => dedupKeys(sink.events).includes(after), 'a fill over the new socket');

    const fromRtds = dedupKeys(sink.events.filter((e) => e.source === 'rtds'));
    expect(missing(inGap, fromRtds)).toEqual(inGap); // the gap was real: RTDS never carried these
    expect(fromRtds).toEqual(expect.arrayContaining([first, after]));
    const all = dedupKeys(sink.events);
    expect(all.sort()).toEqual(ledgerKeys(sb, TARGET).sort()); // each fill once, none missing
    expect(feed.health()).toMatchObject({ connected: true, reconnects: 1 });
    expect(merged.health().map((h) => h.source)).toEqual(['rtds', 'data-api']);
  });

  it('reconnects within its 5 s backoff cap once the host answers again after a 15 s outage', async () => {
    sb = await startFeedSandbox({}, false);
    const feed = rtds(sb);
    await feed.start(() => {});
    await subscribed(sb);
    // The host drops the socket and refuses new ones for 15 s (the backoff grows to its cap meanwhile).
    const outageMs = 15_000;
    sb.faults.add({ kind: 'ws-drop', channel: 'rtds', ms: outageMs });
    const outageEnd = Date.now() + outageMs;
    await waitUntil(() => !feed.health().connected, 'the feed to see the drop');
    await waitUntil(() => feed.health().connected && feed.health().reconnects >= 1, 'the reconnect', { timeoutMs: 120_000 });
    const lateBy = Date.now() - outageEnd;
    // At most one capped wait (5 s) after the host is back, plus slack for a busy machine; 30 s was the old cap.
    expect(lateBy).toBeLessThan(RTDS_MAX_BACKOFF_MS + 3_000);
  }, 180_000);

  it('a stall with the socket open trips the watchdog, which reconnects on a new client', async () => {
    sb = await startFeedSandbox();
    const sink = tradeSink();
    const feed = rtds(sb, { staleAfterMs: 600, backoffBaseMs: 50 });
    await feed.start(sink.emit);
    await waitUntil(() => sink.events.length > 0, 'a first fill');
    sb.faults.add({ kind: 'ws-stall', channel: 'rtds' }); // until cleared
    await waitUntil(() => feed.stats.stalls >= 1, 'the watchdog to notice the stall');
    sb.faults.clear('ws-stall');
    await waitUntil(() => feed.health().connected, 'the feed to be connected again');
    expect(feed.health().reconnects).toBeGreaterThanOrEqual(1);
    expect(feed.health().gaps).toBeGreaterThanOrEqual(1);
    const before = sink.events.length;
    await waitUntil(() => sink.events.length > before, 'fills flowing again');
  });

  it('duplicated, reordered and malformed frames give exactly one event per fill (with the poller) and no crash', async () => {
    sb = await startFeedSandbox();
    sb.faults.add({ kind: 'ws-duplicate', channel: 'rtds', probability: 0.3 });
    sb.faults.add({ kind: 'ws-reorder', channel: 'rtds', probability: 0.3 });
    sb.faults.add({ kind: 'ws-malformed', channel: 'rtds', probability: 0.2 });
    const sink = tradeSink();
    const feed = rtds(sb);
    await feed.start(sink.emit);
    const fromMs = Date.now();
    // Run until every kind of damage has reached the feed.
    await waitUntil(
      () => feed.stats.redelivered > 0 && feed.stats.malformed > 0 && sink.events.length >= 3,
      'redelivered and malformed frames',
    );
    sb.flow.stop();

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
    // Our feed's socket opens first, so it gets every ping the bare client gets, and more.
    const feed = rtds(sb, { staleAfterMs: 60_000 });
    await feed.start(() => {});
    await waitUntil(() => feed.health().connected, 'the feed to connect');
    const statuses: string[] = [];
    const bare = new RealTimeDataClient({ host: sb.urls.rtds, onStatusChange: (s) => statuses.push(s) }).connect();
    await waitUntil(() => statuses.includes('DISCONNECTED'), 'the bare client to drop its socket after 60 pings');
    bare.disconnect();
    expect(feed.health()).toMatchObject({ connected: true, reconnects: 0 });
  });

  it('follows wallets added at run time', async () => {
    sb = await startFeedSandbox();
    const sink = tradeSink();
    const feed = rtds(sb);
    feed.setWallets([OTHER]);
    await feed.start(sink.emit);
    await waitUntil(() => sink.events.some((e) => e.trade.wallet === OTHER), 'a fill of the first wallet');
    expect(sink.events.some((e) => e.trade.wallet === TARGET)).toBe(false);
    feed.addWallet(TARGET);
    await waitUntil(() => sink.events.some((e) => e.trade.wallet === TARGET), 'a fill of the wallet added later');
    expect(new Set(sink.events.map((e) => e.trade.wallet))).toEqual(new Set([OTHER, TARGET]));
  });
});
