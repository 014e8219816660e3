/** Synthetic books, markets and real-data loaders for the market strategy tests. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BookSnapshotted, EngineEvent, MarketResolved, MarketUpdated } from '../../../src/core/events.ts';
import { toMicros } from '../../../src/core/money.ts';
import type { Decision } from '../../../src/core/ports.ts';
import type { Fill, MarketInfo } from '../../../src/core/types.ts';
import type { StrategySpec } from '../../../src/strategy/strategy-instance.ts';
import { importFiles } from '../../../src/import/import-files.ts';
import { loadStrategy, parseStrategyParams } from '../../../src/strategy/loader.ts';
import { RecordingStore } from '../../../src/store/index.ts';
import { buildHarness, type Harness } from '../../helpers/engine-harness.ts';
import { BTC_5M_MARKETS, PRICE_CHANGE_CSV, readFixtureText } from '../../helpers/fixtures.ts';

/** The one token of the price-change capture, and its market (from the CSV's `market` column). */
export const PC_TOKEN = '19132077152294710079876824487679725658489209861892422335113898186089131197703';
export const PC_CONDITION = '0xe0a5b98f6e96050b794603710e39a0e3f5c0e24b409f51370b75b46a45d2dbc3';

export const YES = '1000000001';
export const NO = '1000000002';
export const MIN = 60_000;

export function market(over: Partial<MarketInfo> = {}): MarketInfo {
  return {
    conditionId: '0x' + 'c'.repeat(64),
    slug: 'will-it-rain',
    question: 'Will it rain?',
    tokens: [
      { tokenId: YES, outcome: 'Yes' },
      { tokenId: NO, outcome: 'No' },
    ],
    negRisk: false,
    tickMicros: 10_000,
    minOrderSizeMicros: 5_000_000,
    endMs: 24 * 60 * MIN,
    ...over,
  };
}

export function marketEvent(m: MarketInfo, ts = 0): MarketUpdated {
  return { type: 'market', tsEvent: ts, tsRecv: ts, market: m };
}

type Levels = [price: number, size: number][];

/** A full book: prices and sizes in plain decimals for readability. */
export function book(tokenId: string, ts: number, bids: Levels, asks: Levels): BookSnapshotted {
  const lv = (l: Levels) => l.map(([p, s]) => ({ priceMicros: toMicros(p), sizeMicros: toMicros(s) }));
  return { type: 'book_snapshot', tsEvent: ts, tsRecv: ts, tokenId, bids: lv(bids), asks: lv(asks) };
}

/** A one-level-each-side book around a bid/ask, deep enough for test orders. */
export function quote(tokenId: string, ts: number, bid: number, ask: number, size = 1_000): BookSnapshotted {
  return book(tokenId, ts, [[bid, size]], [[ask, size]]);
}

export function resolved(m: MarketInfo, winner: string, ts: number): MarketResolved {
  const payouts = Object.fromEntries(m.tokens.map((t) => [t.tokenId, t.tokenId === winner ? 1_000_000 : 0]));
  return { type: 'market_resolved', tsEvent: ts, tsRecv: ts, conditionId: m.conditionId, payouts };
}

export async function spec(name: string, raw: Record<string, unknown>, id?: string): Promise<StrategySpec> {
  const definition = await loadStrategy(name);
  return { definition, params: parseStrategyParams(definition, raw) as Record<string, unknown>, id };
}

export function harness(specs: StrategySpec[], startMs = 0): Harness {
  return buildHarness({ strategies: specs, fillModel: 'book-walk', startMs });
}

export const orders = (h: Harness): Decision[] => h.decisions.filter((d) => d.action === 'order');
export const skips = (h: Harness, reason?: string): Decision[] =>
  h.decisions.filter((d) => d.action === 'skip' && (!reason || d.reason === reason));
export const cancels = (h: Harness, reason?: string): Decision[] =>
  h.decisions.filter((d) => d.action === 'cancel' && (!reason || d.reason === reason));
export const fills = (h: Harness) =>
  h.orderEvents.filter((e) => e.type === 'order_filled' || e.type === 'order_partially_filled').map((e) => (e as { fill: Fill }).fill);

/**
 * The real price-change capture, imported by polytail's own importer, plus the market event it lacks
 * (the capture has no metadata: tick 0.01 from its prices, the usual 5-share minimum, no end time).
 */
export async function priceChangeRecording(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'polytail-mw-'));
  const path = join(dir, 'price-change.duckdb');
  await importFiles([PRICE_CHANGE_CSV], path);
  const store = await RecordingStore.open(path);
  const range = await store.timeRange();
  const info: MarketInfo = {
    conditionId: PC_CONDITION,
    tokens: [{ tokenId: PC_TOKEN, outcome: 'Yes' }],
    negRisk: false,
    tickMicros: 10_000,
    minOrderSizeMicros: 5_000_000,
  };
  store.appendEvent(marketEvent(info, range!.fromMs));
  await store.flush();
  await store.close();
  return path;
}

export async function recordingEvents(path: string): Promise<EngineEvent[]> {
  const store = await RecordingStore.open(path, { readOnly: true });
  const out: EngineEvent[] = [];
  for await (const batch of store.streamEvents()) out.push(...batch);
  await store.close();
  return out;
}

export interface Btc5mMarket {
  market: MarketInfo;
  upWon: boolean;
  startMs: number;
  endMs: number;
}

/** The first 48 real BTC 5-minute markets of 2026-07-24 (four hours) with their real resolutions (no books in the file). */
export function btc5mMarkets(): Btc5mMarket[] {
  const lines = readFixtureText(BTC_5M_MARKETS).split('\n').filter(Boolean);
  return lines.map((line) => {
    const r = JSON.parse(line) as {
      slug: string;
      condition_id: string;
      token_ids: string[];
      start_sec: number;
      end_sec: number;
      outcome_prices: string[];
      raw: { orderPriceMinTickSize: number; orderMinSize: number; feeSchedule?: { rate: number; exponent: number } };
    };
    const m: MarketInfo = {
      conditionId: r.condition_id,
      slug: r.slug,
      tokens: [
        { tokenId: r.token_ids[0]!, outcome: 'Up' },
        { tokenId: r.token_ids[1]!, outcome: 'Down' },
      ],
      negRisk: false,
      tickMicros: toMicros(r.raw.orderPriceMinTickSize),
      minOrderSizeMicros: toMicros(r.raw.orderMinSize),
      feeRate: r.raw.feeSchedule?.rate,
      feeExponent: r.raw.feeSchedule?.exponent,
      // endMs left out on purpose: the strategy must derive it from the slug.
    };
    return { market: m, upWon: r.outcome_prices[0] === '1', startMs: r.start_sec * 1000, endMs: r.end_sec * 1000 };
  });
}
