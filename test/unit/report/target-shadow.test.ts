import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../src/core/events.ts';
import { TargetShadow } from '../../../src/report/target-shadow.ts';

const A = '0x' + 'aa'.repeat(20);
const B = '0x' + 'bb'.repeat(20);
const trade = (wallet: string, side: 'BUY' | 'SELL', sizeMicros: number, priceMicros = 500_000): EngineEvent => ({
  type: 'target_trade',
  source: 'import:test',
  seq: 1,
  tsEvent: 1,
  tsRecv: 1,
  trade: {
    wallet,
    txHash: '0x1',
    tokenId: 'yes',
    conditionId: 'c',
    side,
    sizeMicros,
    priceMicros,
    usdcMicros: (sizeMicros * priceMicros) / 1e6,
    outcome: 'Yes',
  },
});

describe('TargetShadow', () => {
  it("books a watched wallet's trades, whatever the case of its address, and only those", () => {
    const shadow = new TargetShadow([A]);
    shadow.onEvent(trade(A.toUpperCase().replace('0X', '0x'), 'BUY', 10_000_000));
    shadow.onEvent(trade(B, 'BUY', 10_000_000));
    shadow.onEvent(trade(A, 'SELL', 4_000_000, 600_000));
    expect([...shadow.ledgers.keys()]).toEqual([A]);
    const ledger = shadow.ledgers.get(A)!;
    expect(ledger.size('yes')).toBe(6_000_000);
    expect(ledger.realizedMicros).toBe(400_000);
    expect(shadow.buyVolumeMicros.get(A)).toBe(5_000_000);
    expect(shadow.buyVolumeMicros.has(B)).toBe(false);
  });

  it('books a SELL only up to what it saw bought', () => {
    const shadow = new TargetShadow([A]);
    shadow.onEvent(trade(A, 'BUY', 2_000_000));
    shadow.onEvent(trade(A, 'SELL', 5_000_000));
    expect(shadow.ledgers.get(A)!.size('yes')).toBe(0);
  });

  it('starts booking a wallet once it is watched, even after trades of it were passed over', () => {
    const shadow = new TargetShadow([A]);
    shadow.onEvent(trade(B, 'BUY', 10_000_000));
    shadow.watch([B]);
    shadow.onEvent(trade(B, 'BUY', 3_000_000));
    expect(shadow.ledgers.get(B)!.size('yes')).toBe(3_000_000);
    expect(shadow.buyVolumeMicros.get(B)).toBe(1_500_000);
  });

  it('settles every ledger at resolution', () => {
    const shadow = new TargetShadow([A]);
    shadow.onEvent(trade(A, 'BUY', 10_000_000));
    shadow.onEvent({ type: 'market_resolved', tsEvent: 2, tsRecv: 2, conditionId: 'c', payouts: { yes: 1_000_000 } } as EngineEvent);
    const ledger = shadow.ledgers.get(A)!;
    expect(ledger.size('yes')).toBe(0);
    expect(ledger.realizedMicros).toBe(5_000_000);
  });
});
