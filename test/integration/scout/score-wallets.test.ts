/**
 * scoreWallets on a flow small enough to work out by hand: a target BUY, a later print of another
 * wallet that moves the price, a resolution. Delay 0 and 2 s copy at the target's price; at 10 s the
 * book has moved past the mirror's 2% slippage guard and the copy is missed.
 */
import { describe, expect, it } from 'vitest';
import type { EngineEvent, TargetTradeSeen } from '../../../src/core/events.ts';
import { parseConfig } from '../../../src/config/config.ts';
import { withPrintBooks } from '../../../src/modes/scout/print-books.ts';
import { rankScores } from '../../../src/modes/scout/rank.ts';
import { scoreWallets } from '../../../src/modes/scout/score-wallets.ts';

const TARGET = '0x' + 'a'.repeat(40);
const OTHER = '0x' + 'b'.repeat(40);
const T0 = 1_760_000_000_000;

function trade(wallet: string, tsMs: number, priceMicros: number, sizeMicros: number, seq: number): TargetTradeSeen {
  return {
    type: 'target_trade',
    source: 'import:test',
    seq,
    tsEvent: tsMs,
    tsRecv: tsMs,
    trade: {
      wallet,
      txHash: `0x${seq}`,
      tokenId: 'yes',
      conditionId: 'cond',
      side: 'BUY',
      sizeMicros,
      priceMicros,
      usdcMicros: Math.round((sizeMicros * priceMicros) / 1e6),
      outcome: 'Yes',
    },
  };
}

const flow: EngineEvent[] = [
  {
    type: 'market',
    tsEvent: T0,
    tsRecv: T0,
    market: {
      conditionId: 'cond',
      tokens: [
        { tokenId: 'yes', outcome: 'Yes' },
        { tokenId: 'no', outcome: 'No' },
      ],
      negRisk: false,
      tickMicros: 10_000,
      minOrderSizeMicros: 5_000_000,
    },
  },
  trade(TARGET, T0 + 1_000, 400_000, 100_000_000, 1),
  trade(OTHER, T0 + 6_000, 450_000, 10_000_000, 2),
  { type: 'market_resolved', tsEvent: T0 + 60_000, tsRecv: T0 + 60_000, conditionId: 'cond', payouts: { yes: 1_000_000, no: 0 } },
];

describe('scoreWallets', () => {
  it('copies at the target price within the delay the price holds, misses it after, and says so', async () => {
    const span = { from: T0, to: T0 + 60_001 };
    const scores = await scoreWallets({ events: withPrintBooks(flow) }, [TARGET], [0, 2_000, 10_000], {
      config: parseConfig({ startingCashUsdc: 1000 }),
      windowsOf: () => ({ train: span, test: span }),
    });
    const test = scores[0]!.test;
    expect(test.target).toMatchObject({ trades: 1, buys: 1, sells: 0, volumeUsdc: 40, markets: 1, topMarketShare: 1, pnl: 60 });
    expect(test.runs.map((r) => [r.delayMs, r.pnl, r.fills, r.missed])).toEqual([
      [0, 60, 1, 0],
      [2_000, 60, 1, 0],
      [10_000, 0, 0, 1],
    ]);
    expect(test.runs[0]).toMatchObject({ captureRatio: 1, costBps: 0, belowMinimum: 0, decided: 1, fees: 0 });
    const [row] = rankScores(scores, [0, 2_000, 10_000], 2_000);
    expect(row!.test).toMatchObject({ halfLifeS: 6, halfLife: '6s', trades: 1, fills: 1, belowMinimumShare: 0 });
  });

  it('charges impact when the copy walks past the first level, in bps of the target-priced notional', async () => {
    const span = { from: T0, to: T0 + 60_001 };
    // $500 at 0.50 (1,000 sh), then $500 at 0.51 (inside the 2% guard): a $750 copy buys 1,000 sh at
    // 0.50 and $250 / 0.51 at 0.51.
    const events = withPrintBooks([flow[0]!, trade(TARGET, T0 + 1_000, 500_000, 1_500_000_000, 1), flow[3]!]);
    const [score] = await scoreWallets({ events }, [TARGET], [0], {
      config: parseConfig({ startingCashUsdc: 10_000 }),
      windowsOf: () => ({ train: span, test: span }),
    });
    const run = score!.test.runs[0]!;
    expect(run.skipped).toEqual({});
    expect(run.fills).toBe(2);
    const atSecond = 250 / 0.51;
    const expectedBps = ((0.01 * atSecond) / (0.5 * (1000 + atSecond))) * 10_000;
    expect(run.costBps).toBeCloseTo(expectedBps, 1);
    expect(run.pnl).toBeCloseTo(1000 + atSecond - 750, 2);
    expect(score!.test.target.pnl).toBe(750);
  });
});
