import type { TargetTradeSeen } from '../../src/core/events.ts';
import type { SourceName } from '../../src/core/types.ts';

/** A BUY of `size` micro-shares of one token at 0.50 in transaction `tx`, as `source` reports it at `ts`: what dedup sees. */
export function dedupTrade(tx: string, size: number, source: SourceName, ts: number, key?: string): TargetTradeSeen {
  const e: TargetTradeSeen = {
    type: 'target_trade',
    source,
    seq: 0,
    tsEvent: ts,
    tsRecv: ts,
    trade: {
      wallet: '0xa',
      txHash: tx,
      tokenId: 'tok',
      conditionId: 'c',
      side: 'BUY',
      sizeMicros: size,
      priceMicros: 500_000,
      usdcMicros: size / 2,
      outcome: 'Yes',
    },
  };
  if (key !== undefined) e.key = key;
  return e;
}
