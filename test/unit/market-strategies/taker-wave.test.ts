import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../src/core/events.ts';
import { fills, harness, market, marketEvent, MIN, orders, quote, skips, spec, YES } from './helpers.ts';

const base = {
  market: 'will-it-rain',
  outcome: 'Yes',
  tokenIds: [YES],
  sizeUsdc: 10,
  dropPct: 5,
  profitPct: 5,
  stopPct: 5,
  referenceWindowMs: MIN,
  cooldownMs: MIN,
  latestEntryBeforeEndMs: 10 * MIN,
  exitBeforeEndMs: 5 * MIN,
};

/** A steady 0.49/0.50 book every 10 s from `from` to `to`. */
function steady(from: number, to: number, bid = 0.49, ask = 0.5): EngineEvent[] {
  const out: EngineEvent[] = [];
  for (let t = from; t <= to; t += 10_000) out.push(quote(YES, t, bid, ask));
  return out;
}

async function setup(params: Record<string, unknown> = {}, m = market()) {
  const h = harness([await spec('taker-wave', { ...base, ...params }, 'tw')]);
  h.feed([marketEvent(m, 0), ...steady(1_000, 61_000)]);
  return h;
}

describe('taker-wave', () => {
  it('buys with a FAK when the ask drops dropPct below the rolling max, and only then', async () => {
    const h = await setup();
    expect(orders(h)).toHaveLength(0);
    h.feed([quote(YES, 71_000, 0.47, 0.48)]); // 4% below 0.50: not yet
    expect(orders(h)).toHaveLength(0);
    h.feed([quote(YES, 81_000, 0.46, 0.47)]); // 6% below the max
    const [entry] = orders(h);
    expect(entry).toMatchObject({ side: 'BUY', reason: 'approved' });
    expect(entry!.message).toMatch(/6\.00% below the max 0\.500/);
    const [fill] = fills(h);
    expect(fill).toMatchObject({ side: 'BUY', priceMicros: 470_000, liquidity: 'taker' });
    expect(h.engine.portfolio.strategy('tw').size(YES)).toBe(fill!.sizeMicros);
    // No skip for the ticks that did not trigger.
    expect(skips(h)).toHaveLength(0);
  });

  it('sells at the profit target', async () => {
    const h = await setup();
    h.feed([quote(YES, 81_000, 0.46, 0.47), quote(YES, 91_000, 0.48, 0.49)]); // bid +2%: hold
    expect(orders(h)).toHaveLength(1);
    h.feed([quote(YES, 101_000, 0.5, 0.51)]); // bid 0.50 = +6.4% over 0.47
    const sell = orders(h)[1]!;
    expect(sell).toMatchObject({ side: 'SELL' });
    expect(sell.message).toMatch(/take profit/);
    // A market BUY by amount leaves fractional shares; the SELL is cut to 2 decimals: dust below 0.01 stays.
    expect(h.engine.portfolio.strategy('tw').size(YES)).toBeLessThan(10_000);
    expect(h.engine.portfolio.strategy('tw').realizedMicros).toBeGreaterThan(0);
  });

  it('sells at the stop loss', async () => {
    const h = await setup();
    h.feed([quote(YES, 81_000, 0.46, 0.47), quote(YES, 91_000, 0.44, 0.45)]);
    const sell = orders(h)[1]!;
    expect(sell.message).toMatch(/stop loss: bid 0\.440 is 6\.38% below the entry 0\.470/);
    expect(h.engine.portfolio.strategy('tw').realizedMicros).toBeLessThan(0);
  });

  it('exits on its timer exitBeforeEndMs before the end, even when the book is quiet', async () => {
    const h = await setup({ latestEntryBeforeEndMs: 0 }, market({ endMs: 10 * MIN }));
    h.feed([quote(YES, 81_000, 0.46, 0.47)]);
    expect(orders(h)).toHaveLength(1);
    h.clock.advanceTo(5 * MIN - 1);
    expect(orders(h)).toHaveLength(1);
    h.clock.advanceTo(5 * MIN);
    const sell = orders(h)[1]!;
    expect(sell).toMatchObject({ side: 'SELL', tsMs: 5 * MIN });
    expect(sell.message).toMatch(/time exit 300s before the end/);
  });

  it('does not enter near the end: one too_close_to_end skip with the numbers, not one per tick', async () => {
    const h = await setup({}, market({ endMs: 11 * MIN }));
    h.feed([quote(YES, 81_000, 0.46, 0.47), quote(YES, 82_000, 0.45, 0.46), quote(YES, 83_000, 0.46, 0.47)]);
    expect(orders(h)).toHaveLength(0);
    const s = skips(h, 'too_close_to_end');
    expect(s).toHaveLength(1);
    expect(s[0]!.details).toMatchObject({ priceMicros: 470_000, referenceMicros: 500_000, dropBps: 600, latestEntryBeforeEndMs: 10 * MIN });
    expect(s[0]!.details['msToEnd']).toBe(11 * MIN - 81_000);
  });

  it('waits cooldownMs after an exit before the next entry, and says so once', async () => {
    const h = await setup({ referenceWindowMs: 30_000 });
    h.feed([quote(YES, 81_000, 0.46, 0.47), quote(YES, 91_000, 0.5, 0.51)]); // in and out
    expect(orders(h)).toHaveLength(2);
    h.feed([...steady(101_000, 131_000, 0.5, 0.51), quote(YES, 141_000, 0.46, 0.47), quote(YES, 142_000, 0.46, 0.47)]);
    expect(orders(h)).toHaveLength(2);
    expect(skips(h, 'cooldown')).toHaveLength(1);
    expect(skips(h, 'cooldown')[0]!.details['msLeft']).toBe(91_000 + MIN - 141_000);
    h.feed([quote(YES, 152_000, 0.46, 0.47)]);
    expect(orders(h)).toHaveLength(3);
  });

  it('waits for the market metadata: one market_unknown skip, then trades', async () => {
    const h = harness([await spec('taker-wave', base, 'tw')]);
    h.feed(steady(1_000, 61_000));
    expect(skips(h, 'market_unknown')).toHaveLength(1);
    expect(skips(h, 'market_unknown')[0]!.message).toMatch(/will-it-rain/);
    h.feed([marketEvent(market(), 62_000), ...steady(71_000, 131_000), quote(YES, 141_000, 0.46, 0.47)]);
    expect(orders(h)).toHaveLength(1);
  });

  it('resolves a Polymarket URL and the outcome by name, case-insensitively', async () => {
    const h = harness([
      await spec('taker-wave', { ...base, market: 'https://polymarket.com/event/weather/will-it-rain?tid=1', outcome: 'yes' }, 'tw'),
    ]);
    h.feed([marketEvent(market(), 0), ...steady(1_000, 61_000), quote(YES, 81_000, 0.46, 0.47)]);
    expect(orders(h)).toHaveLength(1);
  });

  it('measures the drop against the mean when asked', async () => {
    const h = await setup({ reference: 'mean', dropPct: 3 });
    h.feed([quote(YES, 71_000, 0.47, 0.48)]); // 4% below the mean 0.50
    expect(orders(h)).toHaveLength(1);
  });

  it('refuses a market text that is none of URL, slug, condition id or token id', async () => {
    await expect(spec('taker-wave', { ...base, market: 'not a market!' })).rejects.toThrow(/params\.market.*Polymarket URL/s);
  });
});
