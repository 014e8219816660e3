import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../src/core/events.ts';
import { SeededIds } from '../../../src/core/ids.ts';
import { book, btc5mMarkets, fills, harness, market, marketEvent, MIN, NO, orders, quote, resolved, skips, spec, YES } from './helpers.ts';

const END = 10 * MIN;
const base = {
  market: 'will-it-rain',
  tokenIds: [YES, NO],
  sizeUsdc: 20,
  minPrice: 0.95,
  maxPrice: 0.99,
  maxSpread: 0.02,
  minDepthUsdc: 50,
  windowMs: MIN,
};

async function setup(params: Record<string, unknown> = {}, m = market({ endMs: END })) {
  const h = harness([await spec('end-sweeper', { ...base, ...params }, 'es')]);
  h.feed([marketEvent(m, 0)]);
  return h;
}

describe('end-sweeper', () => {
  it('does nothing before the window, then buys the favourite in the last windowMs and holds it to resolution', async () => {
    const h = await setup();
    h.feed([quote(YES, END - 2 * MIN, 0.96, 0.97), quote(NO, END - 2 * MIN, 0.03, 0.04)]);
    expect(h.decisions).toHaveLength(0);
    h.clock.advanceTo(END - MIN); // the window opens on a timer, without a book update
    const [buy] = orders(h);
    expect(buy).toMatchObject({ side: 'BUY', tokenId: YES, tsMs: END - MIN });
    expect(buy!.message).toMatch(/"Yes" asks 0\.970, spread 0\.010/);
    const bought = fills(h);
    expect(bought.reduce((s, f) => s + f.sizeMicros, 0)).toBe(20_618_556); // $20 at 0.97
    h.feed([quote(YES, END - 30_000, 0.96, 0.97)]);
    expect(orders(h)).toHaveLength(1); // budget spent: no more
    h.feed([resolved(market(), YES, END + 5_000)]);
    const ledger = h.engine.portfolio.strategy('es');
    expect(ledger.size(YES)).toBe(0);
    expect(Math.abs(ledger.realizedMicros - (20_618_556 - 20_000_000))).toBeLessThanOrEqual(1); // cost-basis rounding
  });

  it('skips with the numbers when the spread is too wide, once, and buys when it narrows', async () => {
    const h = await setup();
    h.feed([quote(YES, END - 50_000, 0.9, 0.97), quote(YES, END - 40_000, 0.9, 0.97), quote(YES, END - 30_000, 0.9, 0.96)]);
    const s = skips(h, 'spread_too_wide');
    expect(s).toHaveLength(1);
    expect(s[0]!.details).toMatchObject({
      askMicros: 970_000,
      bidMicros: 900_000,
      spreadMicros: 70_000,
      maxSpreadMicros: 20_000,
      msToEnd: 50_000,
    });
    h.feed([quote(YES, END - 20_000, 0.95, 0.96)]);
    expect(orders(h)).toHaveLength(1);
  });

  it('skips a thin book (too_thin) and a favourite priced above maxPrice (price_above_max)', async () => {
    const h = await setup();
    h.feed([
      book(
        YES,
        END - 50_000,
        [[0.96, 500]],
        [
          [0.97, 10],
          [0.995, 500],
        ],
      ),
    ]); // $9.70 up to 0.99
    expect(skips(h, 'too_thin')[0]!.details).toMatchObject({ depthMicros: 9_700_000, minDepthMicros: 50_000_000 });
    h.feed([book(YES, END - 40_000, [[0.99, 500]], [[0.995, 500]])]);
    expect(skips(h, 'price_above_max')).toHaveLength(1);
    expect(orders(h)).toHaveLength(0);
  });

  it('buys only the named outcome when outcome is set', async () => {
    const h = await setup({ outcome: 'No' });
    h.feed([quote(YES, END - 30_000, 0.96, 0.97), quote(NO, END - 30_000, 0.02, 0.03)]);
    expect(orders(h)).toHaveLength(0);
    expect(skips(h, 'no_outcome_in_range')).toHaveLength(1);
  });

  it('derives the end of a btc-updown-5m market from its slug when endMs is missing', async () => {
    const start = 1_784_851_500;
    const m = market({
      slug: `btc-updown-5m-${start}`,
      endMs: undefined,
      tokens: [
        { tokenId: YES, outcome: 'Up' },
        { tokenId: NO, outcome: 'Down' },
      ],
    });
    const h = harness([await spec('end-sweeper', { ...base, market: m.slug }, 'es')], start * 1000);
    const end = (start + 300) * 1000;
    h.feed([marketEvent(m, start * 1000), quote(YES, end - 61_000, 0.96, 0.97), quote(YES, end - 59_000, 0.96, 0.97)]);
    // The first book (61 s before the end) arms the window timer: it buys at end − 60 s.
    expect(orders(h).map((d) => d.tsMs)).toEqual([end - 60_000]);
  });
});

/**
 * The real BTC 5-minute markets of 2026-07-24 with their real resolutions. The file has no books, so
 * each market gets a synthetic book for its last 90 s: the side that will win is the favourite in 90%
 * of markets (price 0.95–0.985), and in the other 10% the favourite is the side that will LOSE — a
 * late reversal. Spreads and depth vary so every skip reason shows up. These PnL numbers measure the
 * synthetic assumption, not the market.
 */
describe('end-sweeper on the real BTC 5-minute markets (synthetic books)', () => {
  it('sweeps, skips with reasons and settles at the real resolutions', async () => {
    const all = btc5mMarkets();
    expect(all).toHaveLength(48);
    const specs = await Promise.all(
      all.map((m, i) =>
        spec(
          'end-sweeper',
          { ...base, market: m.market.slug!, tokenIds: m.market.tokens.map((t) => t.tokenId), sizeUsdc: 10, minDepthUsdc: 20 },
          `es#${i}`,
        ),
      ),
    );
    const h = harness(
      specs,
      all.reduce((a, m) => Math.min(a, m.startMs), Infinity),
    );
    const rnd = new SeededIds(42);
    const events: EngineEvent[] = [];
    let reversals = 0;
    for (const m of all) {
      events.push(marketEvent(m.market, m.startMs));
      const [up, down] = m.market.tokens;
      const reversal = rnd.random() < 0.1;
      if (reversal) reversals++;
      const favourite = (m.upWon !== reversal ? up : down)!.tokenId;
      const other = favourite === up!.tokenId ? down!.tokenId : up!.tokenId;
      for (let t = m.endMs - 90_000; t < m.endMs; t += 15_000) {
        const ask = 0.95 + Math.floor(rnd.random() * 36) / 1000; // 0.950–0.985
        const spread = rnd.random() < 0.15 ? 0.05 : 0.01;
        const depth = rnd.random() < 0.1 ? 15 : 400;
        events.push(
          book(
            favourite,
            t,
            [[ask - spread, 300]],
            [
              [ask, depth],
              [0.999, 1_000],
            ],
          ),
        );
        events.push(book(other, t, [[1 - ask - 0.01, 300]], [[1 - ask + spread, 300]]));
      }
      events.push(resolved(m.market, m.upWon ? up!.tokenId : down!.tokenId, m.endMs + 20_000));
    }
    events.sort((a, b) => a.tsRecv - b.tsRecv);
    h.feed(events);

    const buys = fills(h).filter((f) => f.side === 'BUY');
    const boughtMarkets = new Set(buys.map((f) => f.conditionId));
    const reasons: Record<string, number> = {};
    for (const d of skips(h)) reasons[d.reason] = (reasons[d.reason] ?? 0) + 1;
    const ledgers = specs.map((s) => h.engine.portfolio.strategy(s.id!));
    const pnl = ledgers.reduce((s, l) => s + l.realizedMicros, 0);
    const fees = buys.reduce((s, f) => s + f.feeMicros, 0);
    const losers = ledgers.filter((l) => l.realizedMicros < 0).length;

    // The seed fixes the synthetic books, so every figure is exact: 4 of the 48 markets reverse late, and
    // the sweeper buys once in every market (the spread and depth skips clear before the window closes).
    expect({ reversals, marketsBought: boughtMarkets.size, buys: buys.length, losers, skips: reasons }).toEqual({
      reversals: 4,
      marketsBought: 48,
      buys: 48,
      losers: 4,
      skips: { spread_too_wide: 7, too_thin: 4 },
    });
    expect(pnl).toBe(-25_915_355);
    expect(fees).toBe(1_055_600); // the markets carry a 0.07 taker fee rate
    // The same PnL from the fills and the real resolutions alone: payout − price per share (fees are
    // counted apart; cost-basis rounding: at most 1 micro per market).
    const winners = new Set(all.map((m) => m.market.tokens[m.upWon ? 0 : 1]!.tokenId));
    const fromFills = buys.reduce(
      (s, f) => s + Math.round((f.sizeMicros * ((winners.has(f.tokenId) ? 1_000_000 : 0) - f.priceMicros)) / 1e6),
      0,
    );
    expect(Math.abs(pnl - fromFills)).toBeLessThanOrEqual(all.length);
    // Every bought market settled (no open positions left), and every buy was in [0.95, 0.99].
    expect(h.engine.portfolio.total.open()).toHaveLength(0);
    for (const f of buys) (expect(f.priceMicros).toBeGreaterThanOrEqual(950_000), expect(f.priceMicros).toBeLessThanOrEqual(990_000));
  });
});
