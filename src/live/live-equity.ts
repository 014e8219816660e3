/**
 * Live equity starts from the wallet's money, not from a configured number: the collateral the venue
 * reports for the funder (the CLOB reads it from the chain), less what the fills replayed from the
 * session journal will book again, so after they are restored the engine's cash equals that balance and
 * its positions are the journal's. Paper and replay keep `startingCashUsdc`.
 */
import type { Micros } from '../core/money.ts';
import { notional } from '../core/money.ts';
import type { Fill } from '../core/types.ts';
import type { FeedLog } from '../feeds/feed.ts';

export interface CollateralReader {
  collateral(): Promise<{ balanceMicros: number }>;
}

/** Cash to start the engine with so that, after `restored` fills are re-applied, cash = the venue's balance now. */
export async function liveStartingCash(api: CollateralReader, restored: { fill: Fill }[], fallback: Micros, log: FeedLog): Promise<Micros> {
  let balanceMicros: number;
  try {
    ({ balanceMicros } = await api.collateral());
  } catch (err) {
    log('warn', `balance not read from the venue (${(err as Error).message}); equity starts from startingCashUsdc until a restart`);
    return fallback;
  }
  let replayed = 0;
  for (const { fill } of restored) {
    const value = notional(fill.sizeMicros, fill.priceMicros);
    replayed += fill.side === 'BUY' ? -(value + fill.feeMicros) : value - fill.feeMicros;
  }
  log(
    'info',
    `equity from the venue: $${(balanceMicros / 1e6).toFixed(2)} pUSD at the funder${restored.length ? ` (${restored.length} journalled fills restored)` : ''}`,
  );
  return balanceMicros - replayed;
}
