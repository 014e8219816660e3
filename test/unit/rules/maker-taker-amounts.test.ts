import { describe, expect, it } from 'vitest';
import { exchangeAmounts, makerTakerAmounts, validateOrderForExchange } from '../../../src/polymarket/order-rules.ts';
import type { MarketInfo, OrderType, Side } from '../../../src/core/types.ts';
import { toMicros } from '../../../src/core/money.ts';

// Amounts @polymarket/clob-client-v2 1.1.0 signed for these orders (observed against a local server),
// plus rows where the Python client agrees.
const rows: Array<[string, Side, OrderType, string, string, string, number, number]> = [
  // case, side, type, quantity (shares, or USDC for market BUY), price, tick, maker, taker
  ['limit BUY 10 @ 0.50', 'BUY', 'GTC', '10', '0.50', '0.01', 5000000, 10000000],
  ['limit SELL 10 @ 0.55', 'SELL', 'GTC', '10', '0.55', '0.01', 10000000, 5500000],
  ['limit BUY 33.339 @ 0.57', 'BUY', 'GTC', '33.339', '0.57', '0.01', 18998100, 33330000],
  ['limit BUY 7 @ 0.29', 'BUY', 'GTC', '7', '0.29', '0.01', 2030000, 7000000],
  ['limit BUY 10 @ 0.5049', 'BUY', 'GTC', '10', '0.5049', '0.01', 5000000, 10000000],
  ['limit BUY 10 @ 0.123 tick 0.001', 'BUY', 'GTC', '10', '0.123', '0.001', 1230000, 10000000],
  ['limit SELL 12.345 @ 0.4567 tick 0.001', 'SELL', 'GTC', '12.345', '0.4567', '0.001', 12340000, 5639380],
  ['limit BUY 3.3333 @ 0.333 tick 0.001', 'BUY', 'GTC', '3.3333', '0.333', '0.001', 1108890, 3330000],
  ['market FOK BUY $10 @ 0.52', 'BUY', 'FOK', '10', '0.52', '0.01', 10000000, 19230700],
  ['market FOK BUY $50 @ 0.55', 'BUY', 'FOK', '50', '0.55', '0.01', 50000000, 90909000],
  ['market FOK BUY $10.555 @ 0.55', 'BUY', 'FOK', '10.555', '0.55', '0.01', 10550000, 19181800],
  ['market FAK SELL 30 @ 0.48', 'SELL', 'FAK', '30', '0.48', '0.01', 30000000, 14400000],
  ['market FOK BUY $10 @ 0.523 tick 0.001', 'BUY', 'FOK', '10', '0.523', '0.001', 10000000, 19120450],
  ['market FOK SELL 30 @ 0.487 tick 0.001', 'SELL', 'FOK', '30', '0.487', '0.001', 30000000, 14610000],
  ['py parity BUY 21.04 @ 0.56', 'BUY', 'GTC', '21.04', '0.56', '0.01', 11782400, 21040000],
  ['py parity SELL 21.04 @ 0.056 tick 0.001', 'SELL', 'GTC', '21.04', '0.056', '0.001', 21040000, 1178240],
  ['py parity BUY 20 @ 0.82', 'BUY', 'GTC', '20', '0.82', '0.01', 16400000, 20000000],
  ['SDK precision example: BUY 10.129 @ 0.52', 'BUY', 'GTC', '10.129', '0.52', '0.01', 5262400, 10120000],
  ['SDK precision example: market SELL 120 @ 0.45', 'SELL', 'FOK', '120', '0.45', '0.01', 120000000, 54000000],
];

describe('makerTakerAmounts reproduces clob-client-v2', () => {
  it.each(rows)('%s', (_name, side, type, qty, price, tick, maker, taker) => {
    const marketBuy = (type === 'FOK' || type === 'FAK') && side === 'BUY';
    const got = makerTakerAmounts({
      side,
      type,
      priceMicros: toMicros(price),
      tickMicros: toMicros(tick),
      ...(marketBuy ? { amountMicros: toMicros(qty) } : { sizeMicros: toMicros(qty) }),
    });
    expect([got.makerAmountMicros, got.takerAmountMicros]).toEqual([maker, taker]);
  });

  it('limit prices round to the nearest allowed decimal, market prices down (SDK behaviour)', () => {
    expect(
      makerTakerAmounts({ side: 'BUY', type: 'GTC', priceMicros: 505_000, sizeMicros: 10_000_000, tickMicros: 10_000 }).priceMicros,
    ).toBe(510_000);
    expect(
      makerTakerAmounts({ side: 'BUY', type: 'FOK', priceMicros: 505_000, amountMicros: 10_000_000, tickMicros: 10_000 }).priceMicros,
    ).toBe(500_000);
  });

  it('refuses a tick the CLOB does not use, saying which ticks exist', () => {
    expect(() => makerTakerAmounts({ side: 'BUY', type: 'GTC', priceMicros: 500_000, sizeMicros: 1, tickMicros: 20_000 })).toThrow(
      /0\.1, 0\.01/,
    );
  });
});

describe('exchangeAmounts stays inside the server precision rules', () => {
  const fineTick: MarketInfo = { conditionId: 'c', tokens: [], negRisk: false, tickMicros: 1_000, minOrderSizeMicros: 5_000_000 };

  it('the SDK market BUY on a 0.001 tick signs a 5-decimal taker the server rejects; exchangeAmounts floors it to 4', () => {
    const sdk = makerTakerAmounts({ side: 'BUY', type: 'FOK', priceMicros: 523_000, amountMicros: 10_000_000, tickMicros: 1_000 });
    expect(validateOrderForExchange({ side: 'BUY', type: 'FOK', ...sdk }, fineTick)).toBe(
      'invalid amounts, the market buy orders maker amount supports a max accuracy of 2 decimals, taker amount a max of 4 decimals',
    );
    const safe = exchangeAmounts({ side: 'BUY', type: 'FOK', priceMicros: 523_000, amountMicros: 10_000_000, tickMicros: 1_000 });
    expect(safe).toMatchObject({ makerAmountMicros: 10_000_000, takerAmountMicros: 19_120_400 });
    expect(validateOrderForExchange({ side: 'BUY', type: 'FOK', ...safe }, fineTick)).toBeNull();
  });

  it('a market SELL whose proceeds have 5 decimals is floored to 4', () => {
    const safe = exchangeAmounts({ side: 'SELL', type: 'FAK', priceMicros: 487_000, sizeMicros: 30_010_000, tickMicros: 1_000 });
    expect(safe).toMatchObject({ makerAmountMicros: 30_010_000, takerAmountMicros: 14_614_800 });
    expect(validateOrderForExchange({ side: 'SELL', type: 'FAK', ...safe }, fineTick)).toBeNull();
  });
});
