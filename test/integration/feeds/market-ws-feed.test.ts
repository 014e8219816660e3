/**
 * MarketWsFeed against the sandbox market channel: the book it builds equals GET /book, it resyncs
 * after a drop, a stall and faulty frames, adds tokens at run time and reports tick-size changes.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MarketUpdated } from '../../../src/core/events.ts';
import { MarketWsFeed } from '../../../src/feeds/market-ws-feed.ts';
import { parseBookFrame } from '../../../src/polymarket/wire/clob-market.ts';
import type { Sandbox } from '../../../src/sandbox/index.ts';
import { memoryLog, sleep, startFeedSandbox, tradeSink } from './helpers.ts';

let sb: Sandbox | undefined;
let feed: MarketWsFeed | undefined;
afterEach(async () => {
  await feed?.stop();
  await sb?.stop();
  sb = feed = undefined;
});

function tokens(sandbox: Sandbox): [string, string] {
  return [...sandbox.state.markets.values()][0]!.tokenIds;
}

function start(sandbox: Sandbox, assetIds: string[], extra: Partial<ConstructorParameters<typeof MarketWsFeed>[0]> = {}) {
  const { log, lines } = memoryLog();
  feed = new MarketWsFeed({ url: sandbox.urls.marketWs, clobUrl: sandbox.urls.clob, assetIds, log, snapshotWaitMs: 300, ...extra });
  return { feed, lines };
}

/** Stops the flow, lets in-flight frames and resyncs land, and compares the feed's books with GET /book. */
async function expectBooksMatchRest(sandbox: Sandbox, f: MarketWsFeed, ids: string[]): Promise<void> {
  sandbox.flow.stop();
  await sleep(400);
  for (const id of ids) {
    const rest = parseBookFrame(await (await fetch(`${sandbox.urls.clob}/book?token_id=${id}`)).json());
    const mine = f.book(id)!;
    expect(rest.bids.length + rest.asks.length).toBeGreaterThan(0);
    expect({ bids: mine.bids, asks: mine.asks }).toEqual({ bids: rest.bids, asks: rest.asks });
  }
}

describe('MarketWsFeed', () => {
  it('builds the same book as GET /book from a snapshot and a series of updates', async () => {
    sb = await startFeedSandbox();
    const ids = tokens(sb);
    const sink = tradeSink();
    const { feed: f } = start(sb, ids);
    await f.start(sink.emit);
    await sleep(2000);
    await expectBooksMatchRest(sb, f, ids);
    const types = new Set(sink.all.map((e) => e.type));
    expect(types).toEqual(new Set(['book_snapshot', 'book_change', 'trade_print']));
    expect(f.stats.changes).toBeGreaterThan(10);
    expect(f.stats.resyncs).toBe(0); // no false gaps on a clean stream
    expect(f.health()).toMatchObject({ source: 'market-ws', connected: true, gaps: 0, reconnects: 0 });
  });

  it('reconnects after a drop and rebuilds its books', async () => {
    sb = await startFeedSandbox();
    const ids = tokens(sb);
    const sink = tradeSink();
    const { feed: f, lines } = start(sb, ids, { backoffBaseMs: 200, backoffMaxMs: 200 });
    await f.start(sink.emit);
    await sleep(500);
    const snapshotsBefore = f.stats.snapshots;
    sb.faults.add({ kind: 'ws-drop', channel: 'market' });
    await vi.waitFor(() => expect(f.health()).toMatchObject({ connected: true, reconnects: 1 }), { timeout: 5000, interval: 50 });
    await sleep(800);
    expect(f.stats.snapshots).toBeGreaterThan(snapshotsBefore);
    expect(lines.some((l) => l.includes('market WS: closed with code 1006'))).toBe(true);
    await expectBooksMatchRest(sb, f, ids);
  });

  it('resyncs from REST after duplicated, reordered and malformed frames, without crashing', async () => {
    sb = await startFeedSandbox();
    const ids = tokens(sb);
    sb.faults.add({ kind: 'ws-duplicate', channel: 'market', probability: 0.2 });
    sb.faults.add({ kind: 'ws-reorder', channel: 'market', probability: 0.2 });
    sb.faults.add({ kind: 'ws-malformed', channel: 'market', probability: 0.1 });
    const { feed: f, lines } = start(sb, ids);
    await f.start(() => {});
    await sleep(2000);
    sb.faults.clear();
    expect(f.stats.malformed).toBeGreaterThan(0);
    expect(f.stats.resyncs).toBeGreaterThan(0);
    expect(f.health().gaps).toBeGreaterThan(0);
    expect(lines.some((l) => l.includes('dropped a malformed frame'))).toBe(true);
    await expectBooksMatchRest(sb, f, ids);
  });

  it('a stall with the socket open (PONGs still answered) trips the watchdog', async () => {
    sb = await startFeedSandbox();
    const ids = tokens(sb);
    const { feed: f, lines } = start(sb, ids, { staleAfterMs: 500, pingIntervalMs: 100, backoffBaseMs: 50 });
    await f.start(() => {});
    await sleep(400);
    sb.faults.add({ kind: 'ws-stall', channel: 'market', ms: 1000 });
    await vi.waitFor(() => expect(f.stats.stalls).toBeGreaterThanOrEqual(1), { timeout: 5000, interval: 50 });
    expect(lines.some((l) => /no data for \d+ ms with the socket open/.test(l))).toBe(true);
    await vi.waitFor(() => expect(f.health().connected).toBe(true), { timeout: 5000, interval: 50 });
    await sleep(1200);
    await expectBooksMatchRest(sb, f, ids);
  });

  it('adds a token at run time and reports a tick-size change as a market update', async () => {
    sb = await startFeedSandbox();
    const [yes, no] = tokens(sb);
    const sink = tradeSink();
    const { feed: f } = start(sb, [yes]);
    await f.start(sink.emit);
    await sleep(300);
    expect(sink.all.some((e) => e.type === 'book_snapshot' && e.tokenId === no)).toBe(false);
    f.subscribe([no]);
    await vi.waitFor(() => expect(sink.all.some((e) => e.type === 'book_snapshot' && e.tokenId === no)).toBe(true), { timeout: 3000 });
    const market = [...sb.state.markets.values()][0]!;
    sb.state.setTickSize(market.conditionId, 1000);
    await vi.waitFor(() => expect(sink.all.some((e) => e.type === 'market')).toBe(true), { timeout: 3000 });
    const update = sink.all.find((e): e is MarketUpdated => e.type === 'market')!;
    expect(update.market).toMatchObject({
      conditionId: market.conditionId,
      tickMicros: 1000,
      negRisk: false,
      minOrderSizeMicros: 5_000_000,
    });
    await expectBooksMatchRest(sb, f, [yes, no]);
  });
});
