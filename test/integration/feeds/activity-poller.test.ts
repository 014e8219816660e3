/**
 * ActivityPoller against the sandbox Data API: time paging under a strict offset cap, late rows found
 * by the overlap, identical fills of one transaction numbered 1 and 2 (and how RTDS sees them),
 * 429 with Retry-After, outages, positions and value. Waits are on the sandbox's ledger and the poller's
 * state, never on a fixed time.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { toMicros } from '../../../src/core/money.ts';
import { ActivityPoller } from '../../../src/feeds/activity-poller.ts';
import { RtdsFeed } from '../../../src/feeds/rtds-feed.ts';
import type { Sandbox } from '../../../src/sandbox/index.ts';
import { waitUntil } from '../../helpers/wait.ts';
import { TARGET, dedupKeys, ledgerKeys, memoryLog, startFeedSandbox, tradeSink } from './helpers.ts';
import { fillKey } from '../../../src/core/dedup.ts';

let sb: Sandbox | undefined;
const running: { stop(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((f) => f.stop()));
  await sb?.stop();
  sb = undefined;
});

function poller(sandbox: Sandbox, extra: Partial<ConstructorParameters<typeof ActivityPoller>[0]> = {}) {
  const { log } = memoryLog();
  const p = new ActivityPoller({
    baseUrl: sandbox.urls.data,
    wallets: [TARGET],
    log,
    intervalMs: 0,
    startMs: Date.now() - 60_000,
    ...extra,
  });
  running.push(p);
  return { p };
}

/** Until the synthetic target has made `n` fills (the flow runs at several a second). */
const targetFills = (sandbox: Sandbox, n: number) => waitUntil(() => ledgerKeys(sandbox, TARGET).length >= n, `${n} fills of the target`);

const MAKER = '0x9999999999999999999999999999999999999999';

/** Places orders straight on the sandbox exchange for the first market's Yes token. */
function placer(sandbox: Sandbox) {
  const token = [...sandbox.state.markets.values()][0]!.tokenIds[0];
  sandbox.state.accounts.get(MAKER).unlimited = true;
  sandbox.state.accounts.get(TARGET).usdcMicros = toMicros(10_000);
  return (owner: string, side: 'BUY' | 'SELL', type: 'GTC' | 'FAK', shares: number, usdc: number) =>
    sandbox.state.place({
      id: sandbox.state.hash32('t'),
      owner: 'synthetic',
      makerAddress: owner,
      signer: owner,
      tokenId: token,
      side,
      type,
      makerAmountMicros: side === 'BUY' ? usdc : shares,
      takerAmountMicros: side === 'BUY' ? shares : usdc,
      expirationSec: 0,
      postOnly: false,
      source: 'synthetic',
    });
}

/** A deep ask at 0.50; each call makes the target buy `shares` from it (one fill). */
function directTrades(sandbox: Sandbox): (shares: number) => void {
  const place = placer(sandbox);
  place(MAKER, 'SELL', 'GTC', toMicros(1000), toMicros(500));
  return (shares) => {
    const res = place(TARGET, 'BUY', 'FAK', toMicros(shares), toMicros(shares / 2));
    if (!res.ok) throw new Error(res.error);
  };
}

describe('ActivityPoller', () => {
  it('pages by time, so a strict offset cap never cuts the history short', async () => {
    sb = await startFeedSandbox({ traders: [], makers: [], dataApi: { offsetCap: 6, offsetCapMode: 'error' } }, false);
    const buy = directTrades(sb);
    for (let i = 0; i < 16; i++) {
      buy(5 + (i % 3));
      // Spacing the fills, not waiting for anything: at most 5 fall in one second, so each second fits
      // in the cap while the whole history does not (a slow machine only spreads them further).
      await new Promise((r) => setTimeout(r, 200));
    }
    const direct = await fetch(`${sb.urls.data}/activity?user=${TARGET}&limit=3&offset=9`);
    expect(direct.status).toBe(400); // offset paging would stop here
    const sink = tradeSink();
    const { p } = poller(sb, { pageLimit: 3, offsetCap: 6 });
    await p.start(sink.emit);
    await p.pollOnce();
    const ledger = ledgerKeys(sb, TARGET);
    expect(ledger.length).toBe(16);
    expect(dedupKeys(sink.events).sort()).toEqual([...ledger].sort());
    expect(p.stats.trades).toBe(16); // each fill emitted once although pages overlap at second boundaries
  });

  it('re-reads an overlap, so rows indexed late (after settlement) are still found, once each', async () => {
    sb = await startFeedSandbox({ settlementDelayMs: 1200 });
    const sink = tradeSink();
    const { p } = poller(sb, { intervalMs: 250, overlapMs: 3000, startMs: Date.now() - 1000 });
    await p.start(sink.emit);
    await targetFills(sb, 4);
    sb.flow.stop();
    const ledger = ledgerKeys(sb, TARGET);
    const seen = () => sink.events.map((e) => fillKey(e.trade, e.occurrence!));
    // Each fill shows in the Data API 1.2 s after it happened, behind polls that already covered its time.
    await waitUntil(() => ledger.every((k) => seen().includes(k)), 'every fill, indexed late, to be polled');
    const polls = p.stats.polls;
    await waitUntil(() => p.stats.polls >= polls + 2, 'two more polls over the same overlap');
    expect(seen().sort()).toEqual([...ledger].sort()); // found once each, however often re-read
  });

  it('numbers identical fills of one transaction 1 and 2; RTDS cannot tell the second from a re-delivery', async () => {
    sb = await startFeedSandbox({ traders: [], makers: [] }, false);
    const place = placer(sb);
    const rtdsSink = tradeSink();
    // trades only: this checks how one activity type numbers identical fills (orders_matched would supply the second).
    const rtds = new RtdsFeed({ host: sb.urls.rtds, wallets: [TARGET], log: memoryLog().log, types: ['trades'] });
    running.push(rtds);
    await rtds.start(rtdsSink.emit);
    await waitUntil(() => sb!.subscribers().rtds >= 1, 'the RTDS subscription');
    place(MAKER, 'SELL', 'GTC', toMicros(10), toMicros(5));
    place(MAKER, 'SELL', 'GTC', toMicros(10), toMicros(5));
    expect(place(TARGET, 'BUY', 'FAK', toMicros(20), toMicros(10)).ok).toBe(true);
    await waitUntil(() => rtdsSink.events.length + rtds.stats.redelivered === 2, 'both RTDS frames');

    const sink = tradeSink();
    const { p } = poller(sb);
    await p.start(sink.emit);
    await p.pollOnce();
    expect(sink.events.map((e) => e.occurrence)).toEqual([1, 2]);
    expect(new Set(sink.events.map((e) => e.trade.txHash)).size).toBe(1);
    // When both frames carry the same delivery ms (usual), RTDS takes the second for a re-delivery.
    expect(rtdsSink.events.length + rtds.stats.redelivered).toBe(2);
    expect(rtdsSink.events.map((e) => e.occurrence)).toEqual(rtds.stats.redelivered ? [1] : [1, 2]);
    // The engine's dedup over both sources still ends with exactly the two fills.
    expect(dedupKeys([...rtdsSink.events, ...sink.events]).map((k) => k.slice(-2))).toEqual(['#1', '#2']);
  });

  it('waits out a 429 as long as Retry-After says, then reads the page', async () => {
    sb = await startFeedSandbox();
    await targetFills(sb, 1);
    sb.flow.stop();
    sb.faults.add({ kind: 'http', path: '/activity', status: 429, retryAfterSec: 1, times: 1, body: { error: 'Too Many Requests' } });
    const retries: { status: number; waitMs: number }[] = [];
    const sink = tradeSink();
    const { p } = poller(sb, { http: { onRetry: (i) => retries.push({ status: i.status, waitMs: i.waitMs }) } });
    await p.start(sink.emit);
    await p.pollOnce();
    expect(retries).toEqual([{ status: 429, waitMs: expect.any(Number) }]);
    expect(retries[0]!.waitMs).toBeGreaterThanOrEqual(1000);
    expect(p.stats.retries).toBe(1);
    expect(dedupKeys(sink.events).sort()).toEqual(ledgerKeys(sb, TARGET).sort());
    expect(p.health()).toMatchObject({ source: 'data-api', connected: true, gaps: 0 });
  });

  it('survives an outage (5xx past its retries) and catches up when the API is back', async () => {
    sb = await startFeedSandbox();
    await targetFills(sb, 1);
    sb.faults.add({ kind: 'http', path: '/activity', status: 503, times: 2 });
    const sink = tradeSink();
    const { p } = poller(sb, { http: { attempts: 2, backoffBaseMs: 10 } });
    await p.start(sink.emit);
    expect(await p.pollOnce()).toBe(0);
    expect(p.health()).toMatchObject({ connected: false, gaps: 1 });
    expect(p.stats).toMatchObject({ requestsFailed: 1, retries: 1, trades: 0 }); // two attempts, then gave up
    sb.flow.stop();
    await p.pollOnce();
    expect(p.health().connected).toBe(true);
    expect(dedupKeys(sink.events).sort()).toEqual(ledgerKeys(sb, TARGET).sort());
  });

  it('reads positions and value for seeding a target’s book', async () => {
    sb = await startFeedSandbox();
    await targetFills(sb, 3);
    sb.flow.stop();
    const { p } = poller(sb);
    const positions = await p.fetchPositions(TARGET);
    const raw = (await (await fetch(`${sb.urls.data}/positions?user=${TARGET}&sizeThreshold=0`)).json()) as {
      asset: string;
      size: number;
    }[];
    expect(positions.map((x) => [x.tokenId, x.sizeMicros])).toEqual(raw.map((r) => [r.asset, toMicros(r.size)]));
    expect(positions.every((x) => x.wallet === TARGET)).toBe(true);
    const value = (await (await fetch(`${sb.urls.data}/value?user=${TARGET}`)).json()) as { value: number }[];
    expect(await p.fetchValue(TARGET)).toBe(toMicros(value[0]!.value));
    await expect(p.fetchValue('0xnot-an-address')).rejects.toThrow(/HTTP 400: user: invalid or missing address/);
  });
});
