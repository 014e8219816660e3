import { describe, expect, it } from 'vitest';
import {
  parseBookFrame,
  parseGammaEvent,
  parseGammaMarket,
  parseMarketMessage,
  parsePriceChangeFrame,
  parseRtdsTrade,
} from '../../../src/polymarket/wire/index.ts';
import { parseCsv } from '../../../src/import/csv.ts';
import { BTC_5M_MARKETS, PRICE_CHANGE_CSV, readFixtureJson, readFixtureText } from '../../helpers/fixtures.ts';

const json = (f: string) => readFixtureJson(f);

describe('Gamma', () => {
  it('reads JSON-in-string fields of a market; an open market has no resolution', () => {
    const m = parseGammaMarket(json('gamma/market.json'));
    expect(m.market).toMatchObject({
      conditionId: '0x9c1a953fe92c8357f1b646ba25d983aa83e90c525992db14fb726fa895cb5763',
      negRisk: false,
      tickMicros: 10_000,
      minOrderSizeMicros: 5_000_000,
      closed: false,
    });
    expect(m.market.tokens.map((t) => t.outcome)).toEqual(['Yes', 'No']);
    expect(m.market.tokens[0]!.tokenId).toBe('8501497159083948713316135768103773293754490207922884688769443031624417212426');
    expect(m.payouts).toBeUndefined();
  });

  it('turns closed markets of an event into resolutions', () => {
    const markets = parseGammaEvent(json('gamma/event.json'));
    expect(markets).toHaveLength(4);
    const resolved = markets.filter((m) => m.payouts);
    expect(resolved).toHaveLength(2);
    expect(Object.values(resolved[0]!.payouts!)).toEqual([0, 1_000_000]);
    expect(markets[0]!.market.tickMicros).toBe(1_000);
  });

  it('parses all 48 vendor rows via their raw Gamma object: all resolved, fees from feeSchedule', () => {
    const lines = readFixtureText(BTC_5M_MARKETS).trim().split('\n');
    const parsed = lines.map((l) => parseGammaMarket((JSON.parse(l) as { raw: unknown }).raw));
    expect(parsed).toHaveLength(48);
    expect(parsed.every((p) => p.payouts && p.resolvedMs)).toBe(true);
    expect(parsed[0]!.market).toMatchObject({ feeRate: 0.07, feeExponent: 1 });
    expect(parsed[0]!.payouts).toEqual({
      '72690798903588392269001731007662425920353908498880709179939493847828858696064': 1_000_000,
      '57726118860664877408225679006057036191805241206083874875095996065406561439567': 0,
    });
    expect(parsed[0]!.resolvedMs).toBe(Date.parse('2026-07-24T00:00:16Z'));
  });
});

describe('CLOB market channel', () => {
  it('reverses the wire book (best LAST) to best first', () => {
    const frame = json('ws/book-example.json') as { bids: { price: string }[]; asks: { price: string }[] };
    const book = parseBookFrame(frame);
    expect(book.tsEvent).toBe(1737487185966);
    expect(book.bids[0]!.priceMicros).toBe(Math.round(Number(frame.bids.at(-1)!.price) * 1e6));
    expect(book.asks[0]!.priceMicros).toBe(Math.round(Number(frame.asks.at(-1)!.price) * 1e6));
    for (let i = 1; i < book.bids.length; i++) expect(book.bids[i]!.priceMicros).toBeLessThan(book.bids[i - 1]!.priceMicros);
    for (let i = 1; i < book.asks.length; i++) expect(book.asks[i]!.priceMicros).toBeGreaterThan(book.asks[i - 1]!.priceMicros);
    expect(book.bids[0]!.priceMicros).toBeLessThan(book.asks[0]!.priceMicros);
  });

  it('reads the old price_change format', () => {
    const [e] = parseMarketMessage(json('ws/price-change-example.json'));
    expect(e).toEqual({
      type: 'book_change',
      tsEvent: 1737487191055,
      tsRecv: 1737487191055,
      tokenId: '54774190602932495681624596813895280541057113822779394733336244613748178149294',
      changes: [{ side: 'BUY', priceMicros: 644_000, sizeMicros: 0 }],
    });
  });

  it('reads every row of the price_change capture', () => {
    const { records } = parseCsv(readFixtureText(PRICE_CHANGE_CSV));
    let changes = 0;
    for (const r of records) {
      const { events } = parsePriceChangeFrame({ asset_id: r.values.asset_id, timestamp: 0, changes: JSON.parse(r.values.changes!) });
      changes += events[0]!.changes.length;
    }
    expect(records).toHaveLength(3829);
    expect(changes).toBe(6129);
  });

  it('reads the new price_changes format with best bid/ask ("" = none), one event per asset', () => {
    const frame = {
      event_type: 'price_change',
      market: '0x5f65',
      timestamp: '1757908892351',
      price_changes: [
        { asset_id: 'A', price: '0.5', size: '200', side: 'BUY', hash: 'h1', best_bid: '0.5', best_ask: '1' },
        { asset_id: 'B', price: '0.5', size: '200', side: 'SELL', hash: 'h2', best_bid: '', best_ask: '0.5' },
        { asset_id: 'A', price: '0.49', size: '0', side: 'BUY', hash: 'h3', best_bid: '0.5', best_ask: '1' },
      ],
    };
    const { events, best } = parsePriceChangeFrame(frame, 1757908892400);
    expect(events.map((e) => [e.tokenId, e.changes.length, e.tsRecv])).toEqual([
      ['A', 2, 1757908892400],
      ['B', 1, 1757908892400],
    ]);
    expect(best).toEqual([
      { tokenId: 'A', bestBidMicros: 500_000, bestAskMicros: 1_000_000 },
      { tokenId: 'B', bestBidMicros: undefined, bestAskMicros: 500_000 },
    ]);
  });

  it('names the bad field in a frame', () => {
    expect(() => parseBookFrame({ asset_id: 'x', timestamp: '1', bids: [{ price: '0.4', size: 'lots' }], asks: [] })).toThrow(
      /field "bids.0.size"/,
    );
  });

  it('refuses impossible values (found by the fuzz): negative times, prices outside (0, 1), sizes beyond a billion', () => {
    expect(() => parseBookFrame({ asset_id: 'x', timestamp: -9, bids: [], asks: [] })).toThrow(
      /field "timestamp": expected a time in ms from 1970/,
    );
    expect(() => parseBookFrame({ asset_id: 'x', timestamp: 1, bids: [{ price: '1.5', size: '1' }], asks: [] })).toThrow(/bids.0.price/);
    expect(() => parseBookFrame({ asset_id: 'x', timestamp: 1, bids: [{ price: '0.5', size: '1e13' }], asks: [] })).toThrow(/bids.0.size/);
  });
});

describe('RTDS activity trades', () => {
  it('reads an RTDS activity/trades message: payload seconds → tsEvent, delivery ms → tsRecv, float price → micros', () => {
    const msg = {
      connection_id: 'x',
      timestamp: 1771675405025,
      topic: 'activity',
      type: 'trades',
      payload: {
        asset: '50305',
        conditionId: '0xe1ab',
        side: 'BUY',
        price: 0.3996666666666667,
        size: 5.5,
        timestamp: 1771675404,
        transactionHash: '0x12d6',
        proxyWallet: '0x095F',
        outcome: 'Up',
        outcomeIndex: 0,
        name: 'PBot2',
        slug: 's',
      },
    };
    const t = parseRtdsTrade(msg);
    expect(t).toMatchObject({
      tsEvent: 1771675404000,
      tsRecv: 1771675405025,
      trade: { wallet: '0x095f', priceMicros: 399_667, sizeMicros: 5_500_000, usdcMicros: 2_198_169 },
    });
    expect(parseRtdsTrade(msg.payload, 5).tsRecv).toBe(5);
  });
});
