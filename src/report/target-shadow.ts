/**
 * Each watched target's own trades booked in a shadow ledger, as if they were ours (the report's
 * capture ratio: my PnL against the target's, scaled to my size), and the USDC each spent on BUYs.
 *
 * It depends only on the events and on which wallets are watched — never on a run's settings — so the
 * runs of one window in a one-pass sweep share one (each run's collector reads it), fed once per event
 * with the union of their wallets. A wallet's ledger depends on that wallet's trades and the
 * resolutions alone, so watching more wallets leaves each one's numbers as they would be alone.
 */
import { Ledger } from '../core/ledger.ts';
import type { EngineEvent } from '../core/events.ts';

export class TargetShadow {
  /** Target wallet (lower case) → their own trades booked as if they were ours. */
  readonly ledgers = new Map<string, Ledger>();
  /** USDC each target spent on BUYs, for scaling their PnL to our size. */
  readonly buyVolumeMicros = new Map<string, number>();
  private readonly watched = new Set<string>();

  constructor(wallets: Iterable<string> = []) {
    this.watch(wallets);
  }

  /** Wallets in lower case, as strategies and the dedup'd trades are keyed. */
  watch(wallets: Iterable<string>): void {
    for (const w of wallets) this.watched.add(w);
  }

  /** A target trade after dedup (duplicates never reach it), or a resolution; other events are ignored. */
  onEvent(event: EngineEvent): void {
    if (event.type === 'target_trade') {
      const t = event.trade;
      const wallet = t.wallet.toLowerCase();
      if (!this.watched.has(wallet)) return;
      let ledger = this.ledgers.get(wallet);
      if (!ledger) {
        ledger = new Ledger(0);
        this.ledgers.set(wallet, ledger);
      }
      // A SELL of shares bought before the recording starts: book only what we saw them buy.
      const size = t.side === 'SELL' ? Math.min(t.sizeMicros, ledger.size(t.tokenId)) : t.sizeMicros;
      if (size > 0)
        ledger.applyFill({
          tokenId: t.tokenId,
          conditionId: t.conditionId,
          side: t.side,
          priceMicros: t.priceMicros,
          sizeMicros: size,
          feeMicros: 0,
        });
      if (t.side === 'BUY') this.buyVolumeMicros.set(wallet, (this.buyVolumeMicros.get(wallet) ?? 0) + t.usdcMicros);
    } else if (event.type === 'market_resolved') {
      for (const ledger of this.ledgers.values()) for (const [token, payout] of Object.entries(event.payouts)) ledger.settle(token, payout);
    }
  }
}
