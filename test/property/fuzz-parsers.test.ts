/**
 * Every parser a stranger can feed, fuzzed: RTDS frames, CLOB market-channel frames, Data API pages,
 * Gamma markets and events, config files, import files (CSV, JSON, JSON lines, gzip) and journals.
 * Each input must give either a typed error (one that says what is wrong: WireError, ImportError,
 * ConfigError, ...) or values the engine and the recording can hold (prices in (0, 1), sizes and
 * times that fit micro-units) — never another throw, never a hang.
 *
 * A few hundred runs per parser in the suite; `npm run fuzz -- --runs 10000` runs 10,000 each
 * (FUZZ_RUNS, optional FUZZ_SEED; FUZZ_REPORT=path writes the run counts and times as JSON).
 */
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig, parseConfig } from '../../src/config/config.ts';
import { ConfigError } from '../../src/core/errors.ts';
import type { EngineEvent } from '../../src/core/events.ts';
import { JournalCorruptError, readJournal } from '../../src/core/journal-lines.ts';
import { readActivityWindow } from '../../src/feeds/activity-pages.ts';
import { HttpError } from '../../src/feeds/http-json.ts';
import { MarketWsFeed } from '../../src/feeds/market-ws-feed.ts';
import { RtdsFeed } from '../../src/feeds/rtds-feed.ts';
import { collectFile } from '../../src/import/collect.ts';
import { ImportError } from '../../src/import/import-error.ts';
import { readSource } from '../../src/import/read-source.ts';
import { assemble } from '../../src/modes/assemble.ts';
import { parseActivityRow, parsePositionRow, parseTradesRow } from '../../src/polymarket/wire/data-api.ts';
import { MAX_AMOUNT_MICROS, WireError } from '../../src/polymarket/wire/fields.ts';
import { parseGammaEvent, parseGammaMarket, type GammaMarket } from '../../src/polymarket/wire/gamma.ts';
import { parseMarketMessage } from '../../src/polymarket/wire/clob-market.ts';
import { StrategyLoadError, StrategyParamsError } from '../../src/strategy/errors.ts';

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
/** Per-test budget: generous, and growing with the runs (a loaded 2-core machine, 10,000 runs). */
const BUDGET_MS = 60_000 + RUNS * 40;
const HANG_MS = 10_000;
const report: Record<string, { runs: number; ms: number }> = {};
afterAll(() => {
  if (process.env.FUZZ_REPORT) appendFileSync(process.env.FUZZ_REPORT, JSON.stringify(report) + '\n');
});

const TYPED = [WireError, ImportError, ConfigError, StrategyLoadError, StrategyParamsError, HttpError, JournalCorruptError];
function typed(err: unknown): boolean {
  return TYPED.some((T) => err instanceof T) && (err as Error).message.length > 0 && !(err as Error).message.includes('[object Object]');
}

/** Runs `fn` on each input: it must return (then `check` the value) or throw a typed error. */
function outcome<T>(fn: () => T, check: (value: T) => void): void {
  let value: T;
  try {
    value = fn();
  } catch (err) {
    if (!typed(err)) throw new Error(`untyped throw: ${(err as Error)?.stack ?? String(err)}`);
    return;
  }
  check(value);
}

async function outcomeAsync<T>(fn: () => Promise<T>, check: (value: T) => void): Promise<void> {
  let value: T;
  try {
    value = await Promise.race([
      fn(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`hang: no answer within ${HANG_MS} ms`)), HANG_MS).unref()),
    ]);
  } catch (err) {
    if (!typed(err)) throw new Error(`untyped throw: ${(err as Error)?.stack ?? String(err)}`);
    return;
  }
  check(value);
}

async function fuzz<T extends [unknown, ...unknown[]]>(name: string, property: fc.IProperty<T> | fc.IAsyncProperty<T>): Promise<void> {
  const started = Date.now();
  await fc.assert(property, { numRuns: RUNS, seed: SEED, endOnFailure: true });
  report[name] = { runs: RUNS, ms: Date.now() - started };
}

// ---- what valid values look like -------------------------------------------------------------

const safe = (n: unknown) => typeof n === 'number' && Number.isSafeInteger(n);
const price = (p: number) => safe(p) && p > 0 && p < 1_000_000;
const size = (s: number) => safe(s) && s > 0 && s <= MAX_AMOUNT_MICROS;
const levelSize = (s: number) => safe(s) && s >= 0 && s <= MAX_AMOUNT_MICROS;
const time = (t: number) => safe(t) && t >= 0;

function validTrade(t: {
  wallet: string;
  txHash: string;
  tokenId: string;
  conditionId: string;
  side: string;
  sizeMicros: number;
  priceMicros: number;
  usdcMicros: number;
}): void {
  expect(t.wallet.length).toBeGreaterThan(0);
  expect(t.tokenId.trim().length).toBeGreaterThan(0);
  expect(t.txHash.trim().length).toBeGreaterThan(0);
  expect(t.conditionId.trim().length).toBeGreaterThan(0);
  expect(['BUY', 'SELL']).toContain(t.side);
  expect(size(t.sizeMicros) && price(t.priceMicros), JSON.stringify(t)).toBe(true);
  expect(safe(t.usdcMicros) && t.usdcMicros >= -MAX_AMOUNT_MICROS && t.usdcMicros <= MAX_AMOUNT_MICROS).toBe(true);
}

function validEvent(e: EngineEvent): void {
  expect(time(e.tsEvent) && time(e.tsRecv), JSON.stringify(e)).toBe(true);
  switch (e.type) {
    case 'target_trade':
      return validTrade(e.trade);
    case 'book_snapshot':
      for (const l of [...e.bids, ...e.asks]) expect(price(l.priceMicros) && levelSize(l.sizeMicros), JSON.stringify(l)).toBe(true);
      return;
    case 'book_change':
      for (const c of e.changes) expect(price(c.priceMicros) && levelSize(c.sizeMicros) && ['BUY', 'SELL'].includes(c.side)).toBe(true);
      return;
    case 'trade_print':
      expect(price(e.priceMicros) && size(e.sizeMicros)).toBe(true);
      return;
    case 'market':
      return validMarket({ market: e.market });
    default:
      return;
  }
}

function validMarket(g: Pick<GammaMarket, 'market' | 'payouts' | 'resolvedMs' | 'startMs'>): void {
  const m = g.market;
  expect(m.conditionId.trim().length).toBeGreaterThan(0);
  expect(m.tokens.length).toBeGreaterThan(0);
  expect(new Set(m.tokens.map((t) => t.tokenId)).size).toBe(m.tokens.length);
  expect(m.tickMicros > 0 && m.tickMicros < 1_000_000 && safe(m.tickMicros), JSON.stringify(m)).toBe(true);
  expect(safe(m.minOrderSizeMicros) && m.minOrderSizeMicros >= 0 && m.minOrderSizeMicros <= MAX_AMOUNT_MICROS).toBe(true);
  if (m.feeRate !== undefined) expect(m.feeRate >= 0 && m.feeRate <= 1).toBe(true);
  for (const p of Object.values(g.payouts ?? {})) expect([0, 500_000, 1_000_000]).toContain(p);
  for (const t of [g.resolvedMs, g.startMs, m.endMs]) if (t !== undefined) expect(safe(t)).toBe(true);
}

// ---- inputs ----------------------------------------------------------------------------------

const WALLET = '0x1111111111111111111111111111111111111111';
const tricky = fc.constantFrom(
  '',
  ' ',
  '0',
  '1',
  '-1',
  '0.5',
  '0.999',
  '1.5',
  '1e13',
  '1e400',
  '-0',
  'NaN',
  'Infinity',
  '0x',
  'BUY',
  'sell',
  '1777091974',
  '1777091974123',
  '17770919741230000',
  '2026-04-25T05:19:34',
  '2026-04-25',
  '{}',
  '[]',
  '[1]',
  '["a","b"]',
  '["1","2"]',
  '["0","1"]',
  'null',
  '9007199254740993',
  '__proto__',
  'constructor',
);
/** Any value a JSON field can hold, weighted towards the edge cases parsers meet. */
const value: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: tricky },
  { weight: 2, arbitrary: fc.double() },
  { weight: 2, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.constantFrom(0, 1, -1, 0.5, 1e13, 1e21, 1777091974, 1777091974123, Number.MAX_SAFE_INTEGER, 2 ** 63) },
  { weight: 1, arbitrary: fc.string() },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
);
const good = {
  wallet: fc.constantFrom(WALLET, WALLET.toUpperCase().replace('0X', '0x')),
  side: fc.constantFrom('BUY', 'SELL', 'buy'),
  price: fc.constantFrom(0.5, '0.42', 0.001, 0.999, 0.5799998259997042),
  size: fc.constantFrom(10, '5', 0.000001, 1e9, '123.456789'),
  ts: fc.constantFrom(1777091974, '1777091974'),
  token: fc.constantFrom('315', '316', 'tok-a'),
};
const mix = <T>(g: fc.Arbitrary<T>) => fc.oneof({ weight: 3, arbitrary: g }, { weight: 2, arbitrary: value });

const tradePayload = fc.record(
  {
    proxyWallet: mix(good.wallet),
    asset: mix(good.token),
    conditionId: mix(fc.constantFrom('0x0044', '0xabc')),
    side: mix(good.side),
    price: mix(good.price),
    size: mix(good.size),
    timestamp: mix(good.ts),
    transactionHash: mix(fc.constantFrom('0xcbd4', '0x9dd2')),
    outcome: mix(fc.constantFrom('Yes', 'No')),
    outcomeIndex: mix(fc.constantFrom(0, 1, 999)),
    slug: value,
    title: value,
    type: mix(fc.constantFrom('TRADE', 'REWARD', 'REDEEM', 'trade')),
    usdcSize: mix(fc.constantFrom(5, '2.5')),
    avgPrice: value,
  },
  { requiredKeys: [] },
);
const text = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.json(),
  fc.constantFrom('', '\n', 'pong', 'PONG', 'PING', '{', '[', 'null', '[[[[[]]]]]'),
);

describe('fuzz: every parser a stranger can feed gives a typed error or a valid value', () => {
  it(
    'RTDS frames (the feed end to end, filtering and re-delivery included)',
    async () => {
      const feed = new RtdsFeed({ wallets: [WALLET], log: () => {} });
      const events: EngineEvent[] = [];
      (feed as unknown as { emit: (e: EngineEvent) => void }).emit = (e) => events.push(e);
      const frame = (t: string) => (feed as unknown as { frame(t: string): void }).frame(t);
      const envelope = fc.record(
        { topic: mix(fc.constant('activity')), type: mix(fc.constant('trades')), timestamp: value, payload: mix(tradePayload) },
        { requiredKeys: [] },
      );
      await fuzz(
        'rtds',
        fc.property(
          fc.oneof(
            text,
            envelope.map((e) => JSON.stringify(e)),
          ),
          (t) => {
            events.length = 0;
            frame(t); // the socket handler: it must never throw
            for (const e of events) validEvent(e);
          },
        ),
      );
    },
    BUDGET_MS,
  );

  it(
    'CLOB market-channel frames: the parser, and the feed that keeps books from them',
    async () => {
      const level = fc.record({ price: mix(good.price), size: mix(good.size) }, { requiredKeys: [] });
      const frameObj = fc.record(
        {
          event_type: mix(fc.constantFrom('book', 'price_change', 'last_trade_price', 'tick_size_change', 'best_bid_ask')),
          asset_id: mix(good.token),
          market: mix(fc.constant('0x0044')),
          timestamp: mix(fc.constantFrom(1777091974000, '1777091975000')),
          bids: mix(fc.array(level, { maxLength: 4 })),
          asks: mix(fc.array(level, { maxLength: 4 })),
          changes: mix(
            fc.array(fc.record({ price: mix(good.price), size: mix(good.size), side: mix(good.side) }, { requiredKeys: [] }), {
              maxLength: 3,
            }),
          ),
          price_changes: mix(
            fc.array(
              fc.record(
                {
                  asset_id: mix(good.token),
                  price: mix(good.price),
                  size: mix(good.size),
                  side: mix(good.side),
                  best_bid: value,
                  best_ask: value,
                },
                { requiredKeys: [] },
              ),
              { maxLength: 3 },
            ),
          ),
          price: mix(good.price),
          size: mix(good.size),
          side: mix(good.side),
          new_tick_size: mix(fc.constantFrom('0.01', '0.001')),
          tick_size: mix(fc.constantFrom('0.01', '0.001')),
          min_order_size: value,
          neg_risk: value,
        },
        { requiredKeys: [] },
      );
      const message = fc.oneof(frameObj, fc.array(frameObj, { maxLength: 3 }), fc.jsonValue());
      await fuzz(
        'market-ws (parser)',
        fc.property(message, (m) =>
          outcome(
            () => parseMarketMessage(m, 1777091976000),
            (events) => events.forEach(validEvent),
          ),
        ),
      );
      const feed = new MarketWsFeed({
        assetIds: ['315', '316', 'tok-a'],
        log: () => {},
        http: { fetch: () => Promise.reject(new Error('offline')), attempts: 1 },
      });
      const events: EngineEvent[] = [];
      (feed as unknown as { emit: (e: EngineEvent) => void }).emit = (e) => events.push(e);
      const frame = (t: string) => (feed as unknown as { frame(t: string): void }).frame(t);
      await fuzz(
        'market-ws (feed)',
        fc.property(
          fc.oneof(
            text,
            message.map((m) => JSON.stringify(m)),
          ),
          (t) => {
            events.length = 0;
            frame(t);
            for (const e of events) validEvent(e);
          },
        ),
      );
      await feed.stop();
    },
    BUDGET_MS * 2,
  );

  it(
    'Data API pages and rows (activity, trades, positions), paged as the poller pages them',
    async () => {
      await fuzz(
        'data-api rows',
        fc.property(fc.oneof(tradePayload, fc.jsonValue()), (row) => {
          outcome(
            () => parseActivityRow(row),
            (r) => (r.kind === 'trade' ? validTrade(r.trade) : expect(safe(r.sizeMicros) && safe(r.usdcMicros) && time(r.tsMs)).toBe(true)),
          );
          outcome(
            () => parseTradesRow(row),
            (r) => (validTrade(r.trade), expect(time(r.tsMs)).toBe(true)),
          );
          outcome(
            () => parsePositionRow(row),
            (p) => expect(safe(p.sizeMicros) && safe(p.avgPriceMicros)).toBe(true),
          );
        }),
      );
      const page = fc.oneof({ weight: 3, arbitrary: fc.array(tradePayload, { maxLength: 4 }) }, { weight: 1, arbitrary: fc.jsonValue() });
      const body = fc.oneof({ weight: 5, arbitrary: page.map((p) => JSON.stringify(p)) }, { weight: 1, arbitrary: fc.string() });
      await fuzz(
        'data-api pages',
        fc.asyncProperty(fc.array(body, { minLength: 1, maxLength: 4 }), fc.boolean(), async (bodies, repeat) => {
          let i = 0;
          // A server answering the generated pages in turn, then either nothing or the same pages forever.
          const fetch = async () => {
            const b = i < bodies.length || repeat ? bodies[i % bodies.length]! : '[]';
            i++;
            return new Response(b, { status: 200 });
          };
          await outcomeAsync(
            () =>
              readActivityWindow({
                baseUrl: 'http://fuzz.invalid',
                wallet: WALLET,
                startSec: 1777091900,
                endSec: 1777092000,
                pageLimit: 3,
                offsetCap: 12,
                http: { fetch: fetch as typeof globalThis.fetch, attempts: 1 },
                onMalformed: () => {},
              }),
            (fills) => {
              for (const f of fills) {
                validTrade(f.trade);
                expect(time(f.tsMs) && f.occurrence >= 1).toBe(true);
              }
            },
          );
        }),
      );
    },
    BUDGET_MS * 2,
  );

  it(
    'Gamma markets and events',
    async () => {
      const market = fc.record(
        {
          conditionId: mix(fc.constant('0x0044')),
          slug: value,
          question: value,
          outcomes: mix(fc.constantFrom('["Yes","No"]', '["Yes"]', ['Up', 'Down'])),
          outcomePrices: mix(fc.constantFrom('["1","0"]', '["0.5","0.5"]', '["0.3","0.7"]', '["1"]')),
          clobTokenIds: mix(fc.constantFrom('["315","316"]', '["315","315"]', '[""]', '[]', ['a', 'b'])),
          negRisk: value,
          orderPriceMinTickSize: mix(fc.constantFrom(0.01, '0.001', 0.1)),
          orderMinSize: mix(fc.constantFrom(5, '15')),
          closed: value,
          umaResolutionStatus: mix(fc.constantFrom('resolved', 'proposed')),
          endDate: mix(fc.constantFrom('2026-07-24T00:00:16Z', '2026-07-24 00:00:16+00', '2026-07-24')),
          startDate: value,
          createdAt: value,
          closedTime: value,
          umaEndDate: value,
          feesEnabled: value,
          feeSchedule: mix(fc.record({ rate: mix(fc.constantFrom(0.02, 0)), exponent: value }, { requiredKeys: [] })),
        },
        { requiredKeys: [] },
      );
      await fuzz(
        'gamma',
        fc.property(
          fc.oneof(market, fc.jsonValue()),
          fc.array(fc.oneof(market, fc.jsonValue()), { maxLength: 3 }),
          value,
          (m, list, negRisk) => {
            outcome(() => parseGammaMarket(m), validMarket);
            outcome(
              () => parseGammaEvent({ slug: 'e', negRisk, markets: list }),
              (ms) => ms.forEach(validMarket),
            );
          },
        ),
      );
    },
    BUDGET_MS,
  );

  it(
    'config files (read from disk, then assembled into strategies and risk limits)',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'polytail-fuzz-config-'));
      const path = join(dir, 'config.json');
      const target = fc.record(
        {
          wallet: mix(good.wallet),
          strategy: mix(fc.constantFrom('mirror', 'fade', 'proportional', 'selective', 'nosuch', '../x.ts', 'lib/book')),
          params: mix(fc.dictionary(fc.constantFrom('sizing', 'minTargetUsdc', 'orderType', 'typo'), value, { maxKeys: 2 })),
          label: value,
        },
        { requiredKeys: [] },
      );
      const config = fc.record(
        {
          startingCashUsdc: value,
          targets: mix(fc.array(target, { maxLength: 2 })),
          risk: mix(
            fc.dictionary(fc.constantFrom('maxOrderUsdc', 'minOrderUsdc', 'maxDailyLossUsdc', 'maxSlippageBps', 'nope'), value, {
              maxKeys: 2,
            }),
          ),
          fillModel: value,
          seed: value,
          maxTradeAgeSeconds: value,
          hosts: value,
          dataDir: value,
        },
        { requiredKeys: [] },
      );
      await fuzz(
        'config',
        fc.asyncProperty(
          fc.oneof({ weight: 3, arbitrary: config.map((c) => JSON.stringify(c)) }, { weight: 1, arbitrary: text }),
          async (content) => {
            writeFileSync(path, content);
            await outcomeAsync(
              async () => assemble(loadConfig(path, {})),
              (a) => {
                expect(a.wallets.every((w) => /^0x[0-9a-f]{40}$/.test(w))).toBe(true);
                expect(a.strategies.length).toBe(a.wallets.length);
              },
            );
            let json: unknown;
            try {
              json = JSON.parse(content);
            } catch {
              return; // loadConfig above met the same text
            }
            outcome(
              () => parseConfig(json),
              (c) => expect(c.startingCashUsdc > 0 && Number.isFinite(c.startingCashUsdc)).toBe(true),
            );
          },
        ),
      );
    },
    BUDGET_MS,
  );

  it(
    'import files: CSV, JSON, JSON lines and gzip, whatever their columns',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'polytail-fuzz-import-'));
      const columns = fc.uniqueArray(
        fc.constantFrom(
          'proxyWallet',
          'wallet',
          'user',
          'asset',
          'token_id',
          'side',
          'size',
          'qty',
          'price',
          'px',
          'timestamp',
          'time',
          'transactionHash',
          'conditionId',
          'type',
          'changes',
          'asset_id',
          'x',
        ),
        { minLength: 1, maxLength: 8 },
      );
      const cell = fc.oneof(
        fc.string({ maxLength: 12 }),
        tricky,
        good.price.map(String),
        good.size.map(String),
        good.ts.map(String),
        good.wallet,
        good.side,
      );
      const csv = columns.chain((cols) =>
        fc
          .array(fc.array(cell, { minLength: cols.length, maxLength: cols.length }), { maxLength: 5 })
          .map((rows) =>
            [cols.join(','), ...rows.map((r) => r.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(','))].join('\n'),
          ),
      );
      const records = fc.array(fc.oneof(tradePayload, fc.jsonValue({ maxDepth: 2 })), { maxLength: 5 });
      const file = fc.oneof(
        csv.map((t) => ({ name: 'f.csv', bytes: Buffer.from(t) })),
        records.map((r) => ({ name: 'f.json', bytes: Buffer.from(JSON.stringify(r)) })),
        records.map((r) => ({ name: 'f.json', bytes: Buffer.from(JSON.stringify({ data: r, pagination: {} })) })),
        records.map((r) => ({ name: 'f.jsonl', bytes: Buffer.from(r.map((x) => JSON.stringify(x)).join('\n')) })),
        records.map((r) => ({ name: 'f.json.gz', bytes: gzipSync(JSON.stringify(r)) })),
        fc.uint8Array({ maxLength: 64 }).map((b) => ({ name: 'f.json.gz', bytes: Buffer.from(b) })),
        text.map((t) => ({ name: 'f.json', bytes: Buffer.from(t) })),
        text.map((t) => ({ name: 'f.csv', bytes: Buffer.from(t) })),
      );
      let n = 0;
      await fuzz(
        'import',
        fc.property(file, ({ name, bytes }) => {
          const path = join(dir, `${n++ % 50}-${name}`);
          writeFileSync(path, bytes);
          outcome(
            () => collectFile(readSource(path)),
            (c) => {
              for (const t of c.trades) (validTrade(t.trade), expect(time(t.tsMs)).toBe(true));
              for (const o of c.others) expect(safe(o.other.sizeMicros) && safe(o.other.usdcMicros) && time(o.other.tsMs)).toBe(true);
              for (const e of [...c.snapshots, ...c.changes, ...c.prints]) validEvent(e);
              for (const m of c.markets) validMarket(m.gamma);
            },
          );
        }),
      );
    },
    BUDGET_MS,
  );

  it(
    'journals (the session journal and the intent journal read the same way)',
    async () => {
      const line = fc.oneof(
        fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
        fc.string(),
      );
      await fuzz(
        'journal',
        fc.property(fc.array(line, { maxLength: 6 }), fc.boolean(), (lines, newline) => {
          const body = lines.join('\n') + (newline ? '\n' : '');
          outcome(
            () => readJournal<object>(body, 'fuzz.jsonl'),
            (r) => {
              expect(r.records.every((x) => x !== null && typeof x === 'object')).toBe(true);
              expect(r.validBytes).toBeLessThanOrEqual(Buffer.byteLength(body));
            },
          );
        }),
      );
    },
    BUDGET_MS,
  );
});
