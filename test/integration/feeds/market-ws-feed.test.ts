/**
 * MarketWsFeed against the sandbox market channel: the book it builds equals GET /book, it resyncs
 * after a drop, a stall and faulty frames, adds tokens at run time and reports tick-size changes.
 * Waits are on the feed's state and the books, never on a fixed time.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { MarketUpdated } from '../../../src/core/events.ts';
import { MarketWsFeed } from '../../../src/feeds/market-ws-feed.ts';
import { parseBookFrame } from '../../../src/polymarket/wire/clob-market.ts';
import type { Sandbox } from '../../../src/sandbox/index.ts';
import { waitUntil } from '../../helpers/wait.ts';
import { memoryLog, startFeedSandbox, tradeSink } from './helpers.ts';

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
  const { log } = memoryLog();
  feed = new MarketWsFeed({ url: sandbox.urls.marketWs, clobUrl: sandbox.urls.clob, assetIds, log, ...extra });
  return { feed };
}

/** Until the feed has taken a snapshot for every token in `ids`. */
const booksLoaded = (f: MarketWsFeed, ids: string[]) => waitUntil(() => f.stats.snapshots >= ids.length, 'a snapshot of every token');

/**
 * Stops the flow, waits until in-flight frames and resyncs have landed (the feed's books equal GET
 * /book), and checks that outcome.
 */
async function expectBooksMatchRest(sandbox: Sandbox, f: MarketWsFeed, ids: string[]): Promise<void> {
  sandbox.flow.stop();
  const rest = async (id: string) => parseBookFrame(await (await fetch(`${sandbox.urls.clob}/book?token_id=${id}`)).json());
  const same = async (id: string) => {
    const [r, mine] = [await rest(id), f.book(id)];
    return mine !== undefined && JSON.stringify([mine.bids, mine.asks]) === JSON.stringify([r.bids, r.asks]);
  };
  await waitUntil(async () => (await Promise.all(ids.map(same))).every(Boolean), 'the feed’s books to equal GET /book');
  for (const id of ids) {
    const r = await rest(id);
    const mine = f.book(id)!;
    expect(r.bids.length + r.asks.length).toBeGreaterThan(0);
    expect({ bids: mine.bids, asks: mine.asks }).toEqual({ bids: r.bids, asks: r.asks });
  }
}

describe('MarketWsFeed', () => {
  it('builds the same book as GET /book from a snapshot and a series of updates', async () => {
    sb = await startFeedSandbox();
    const ids = tokens(sb);
    const sink = tradeSink();
    const { feed: f } = start(sb, ids);
    await f.start(sink.emit);
    await waitUntil(() => f.stats.changes > 10 && f.stats.prints > 0, 'book updates and trades on the stream');
    await expectBooksMatchRest(sb, f, ids);
    const types = new Set(sink.all.map((e) => e.type));
    expect(types).toEqual(new Set(['book_snapshot', 'book_change', 'trade_print']));
    // No false gaps on a clean stream: no update seen as out of order or disagreeing with the server.
    expect(f.health()).toMatchObject({ source: 'market-ws', connected: true, gaps: 0, reconnects: 0 });
  });

  it('reconnects after a drop and rebuilds its books', async () => {
    sb = await startFeedSandbox();
    const ids = tokens(sb);
    const sink = tradeSink();
    const { feed: f } = start(sb, ids, { backoffBaseMs: 200, backoffMaxMs: 200 });
    await f.start(sink.emit);
    await booksLoaded(f, ids);
    const snapshotsBefore = f.stats.snapshots;
    sb.faults.add({ kind: 'ws-drop', channel: 'market' });
    await waitUntil(() => f.health().connected && f.health().reconnects === 1, 'the reconnect');
    await waitUntil(() => f.stats.snapshots >= snapshotsBefore + ids.length, 'fresh snapshots on the new socket');
    await expectBooksMatchRest(sb, f, ids);
  });

  it('resyncs from REST after duplicated, reordered and malformed frames, without crashing', async () => {
    sb = await startFeedSandbox();
    const ids = tokens(sb);
    sb.faults.add({ kind: 'ws-duplicate', channel: 'market', probability: 0.2 });
    sb.faults.add({ kind: 'ws-reorder', channel: 'market', probability: 0.2 });
    sb.faults.add({ kind: 'ws-malformed', channel: 'market', probability: 0.1 });
    const { feed: f } = start(sb, ids);
    await f.start(() => {});
    await waitUntil(() => f.stats.malformed > 0 && f.stats.resyncs > 0, 'a malformed frame and the resync it causes');
    sb.faults.clear();
    expect(f.health().gaps).toBeGreaterThan(0);
    expect(f.health().connected).toBe(true); // it dropped the frames, not the socket
    await expectBooksMatchRest(sb, f, ids);
  });

  it('a stall with the socket open (PONGs still answered) trips the watchdog', async () => {
    sb = await startFeedSandbox();
    const ids = tokens(sb);
    const { feed: f } = start(sb, ids, { staleAfterMs: 500, pingIntervalMs: 100, backoffBaseMs: 50 });
    await f.start(() => {});
    await booksLoaded(f, ids);
    sb.faults.add({ kind: 'ws-stall', channel: 'market' }); // until cleared
    await waitUntil(() => f.stats.stalls >= 1, 'the watchdog to notice the stall');
    expect(f.health().gaps).toBeGreaterThanOrEqual(1);
    sb.faults.clear('ws-stall');
    await waitUntil(() => f.health().connected, 'the feed to be connected again');
    await expectBooksMatchRest(sb, f, ids);
  });

  it('adds a token at run time and reports a tick-size change as a market update', async () => {
    sb = await startFeedSandbox();
    const [yes, no] = tokens(sb);
    const sink = tradeSink();
    const { feed: f } = start(sb, [yes]);
    await f.start(sink.emit);
    await waitUntil(() => sink.all.some((e) => e.type === 'book_snapshot' && e.tokenId === yes), 'the first token’s snapshot');
    expect(sink.all.some((e) => e.type === 'book_snapshot' && e.tokenId === no)).toBe(false);
    f.subscribe([no]);
    await waitUntil(() => sink.all.some((e) => e.type === 'book_snapshot' && e.tokenId === no), 'the added token’s snapshot');
    const market = [...sb.state.markets.values()][0]!;
    sb.state.setTickSize(market.conditionId, 1000);
    await waitUntil(() => sink.all.some((e) => e.type === 'market'), 'the tick-size change as a market update');
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
