import { describe, expect, it } from 'vitest';
import { parseActivityRow, parsePositionRow, parseTradesRow, WireError } from '../../../src/polymarket/wire/index.ts';
import { parseCsv } from '../../../src/import/csv.ts';
import { ACTIVITY_0X05C1, ACTIVITY_0X0FD4, NOBEL_TAPE, readFixtureJson, readFixtureText } from '../../helpers/fixtures.ts';

const json = (f: string) => readFixtureJson(f) as unknown[];

describe('Data API /activity', () => {
  it('splits the mixed file into 42 trades and 8 non-TRADE rows that never become trades', () => {
    const parsed = json('activity/activity-mixed-types.json').map(parseActivityRow);
    expect(parsed.filter((p) => p.kind === 'trade')).toHaveLength(42);
    const others = parsed.filter((p) => p.kind === 'other');
    expect(others.map((o) => (o.kind === 'other' ? o.type : '')).sort()).toEqual([
      'MAKER_REBATE',
      'REDEEM',
      'REDEEM',
      'REWARD',
      'REWARD',
      'REWARD',
      'REWARD',
      'TAKER_REBATE',
    ]);
    const rebate = others.find((o) => o.kind === 'other' && o.type === 'MAKER_REBATE');
    expect(rebate).toMatchObject({ usdcMicros: 3_597_760_300, side: undefined, tokenId: undefined, outcomeIndex: undefined });
  });

  it('reads REDEEM rows (side "", asset "", outcomeIndex 999) as non-trades', () => {
    const parsed = json('activity/activity-redeem-rows.json').map(parseActivityRow);
    expect(parsed).toHaveLength(15);
    expect(parsed.every((p) => p.kind === 'other' && p.type === 'REDEEM' && p.outcomeIndex === undefined)).toBe(true);
  });

  it('parses a full TRADE row with float noise to exact micros', () => {
    const [first] = json('activity/activity-nhl-2026-04-25.json').map(parseActivityRow);
    expect(first).toEqual({
      kind: 'trade',
      tsMs: 1777091978000,
      trade: expect.objectContaining({
        wallet: '0x6a72f61820b26b1fe4d956e17b6dc2a1ea3033ee',
        side: 'BUY',
        sizeMicros: 714_285_713,
        priceMicros: 860_000, // 0.860000001148
        usdcMicros: 614_285_714,
        outcome: 'Ducks',
        outcomeIndex: 1,
      }),
    });
  });

  it('parses every row of both wallet CSV exports (all strings) and keeps TRADE rows as trades', () => {
    for (const f of [ACTIVITY_0X05C1, ACTIVITY_0X0FD4]) {
      const { records } = parseCsv(readFixtureText(f));
      const parsed = records.map((r) => parseActivityRow(r.values));
      expect(parsed).toHaveLength(2000);
      expect(parsed.every((p) => p.kind === 'trade')).toBe(true);
    }
    const { records } = parseCsv(readFixtureText(ACTIVITY_0X05C1));
    const first = parseActivityRow(records[0]!.values);
    expect(first).toMatchObject({
      tsMs: 1764757509000,
      trade: { side: 'SELL', sizeMicros: 216_000_000, priceMicros: 980_000, usdcMicros: 211_680_000, outcome: 'Up' },
    });
  });

  it('names the field that is wrong', () => {
    const row = { ...(json('activity/activity-nhl-2026-04-25.json')[0] as object), price: 'abc' };
    expect(() => parseActivityRow(row)).toThrow(WireError);
    expect(() => parseActivityRow(row)).toThrow(/field "price": expected a decimal number \(got "abc"\)/);
    const { side: _side, ...noSide } = json('activity/activity-nhl-2026-04-25.json')[0] as Record<string, unknown>;
    expect(() => parseActivityRow(noSide)).toThrow(/field "side".*missing/);
  });
});

describe('Data API /trades and /positions', () => {
  it('parses the trades sample and the Nobel tape CSV (no type, no usdcSize: usdc = size × price)', () => {
    const sample = json('trades/trades-sample.json').map(parseTradesRow);
    expect(sample).toHaveLength(5);
    expect(sample[0]!.trade).toMatchObject({ sizeMicros: 30_974_624_038, priceMicros: 968_535, usdcMicros: 30_000_007_493 });
    const { records } = parseCsv(readFixtureText(NOBEL_TAPE));
    const tape = records.map((r) => parseTradesRow(r.values));
    expect(tape).toHaveLength(2000);
    expect(tape[0]!.trade).toMatchObject({
      wallet: '0xc9c36d3afb757d75fd54feafab1b1f04419d079f',
      side: 'SELL',
      sizeMicros: 100_100_000,
      priceMicros: 999_000,
      outcome: 'No',
      outcomeIndex: 1,
    });
  });

  it('parses open and closed positions', () => {
    const a = json('positions/positions-a.json').map(parsePositionRow);
    const b = json('positions/positions-b.json').map(parsePositionRow);
    const closed = json('positions/closed-positions.json').map(parsePositionRow);
    expect(a).toHaveLength(5);
    expect(b[0]).toMatchObject({
      sizeMicros: 2_251_963_123_700,
      avgPriceMicros: 508_600,
      redeemable: true,
      negRisk: true,
      outcomeIndex: 0,
    });
    expect(closed).toHaveLength(5);
    expect(closed[0]).toMatchObject({ sizeMicros: 0, avgPriceMicros: 270_000, realizedPnlMicros: 1_095_000_000_000 });
  });
});
