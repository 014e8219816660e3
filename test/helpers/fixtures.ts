/**
 * Real Polymarket files the tests read, copied into test/fixtures/polymarket (the README there says
 * where each came from and what was trimmed). Large CSVs are gzipped; polytail's importer reads `.gz`
 * itself, and `readFixtureText` gunzips for tests that parse a file directly.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

export const POLYMARKET_FIXTURES = join(import.meta.dirname, '../fixtures/polymarket');

/** Absolute path of a file under test/fixtures/polymarket, e.g. `fixture('trades/trades-sample.json')`. */
export function fixture(relative: string): string {
  return join(POLYMARKET_FIXTURES, relative);
}

export const ACTIVITY_0X05C1 = fixture('activity/wallet-0x05c1-btc15m-2025-12-03.csv.gz');
export const ACTIVITY_0X0FD4 = fixture('activity/wallet-0x0fd4-btc15m-2025-12-03.csv.gz');
export const NOBEL_TAPE = fixture('trades/nobel-peace-prize-2025-tape.csv.gz');
export const NOBEL_RESOLUTIONS = fixture('trades/nobel-peace-prize-2025-resolutions.json');
export const PRICE_CHANGE_CSV = fixture('ws/price-change-stream-2025-01.csv.gz');
export const BTC_5M_MARKETS = fixture('gamma/btc-5m-markets-2026-07-24.jsonl.gz');

/** A fixture's text, gunzipped when the name ends in `.gz`. */
export function readFixtureText(path: string): string {
  const bytes = readFileSync(path);
  return (path.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
}

/** A JSON fixture, parsed. */
export function readFixtureJson(relative: string): unknown {
  return JSON.parse(readFixtureText(fixture(relative)));
}
