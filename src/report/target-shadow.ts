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
import type { Fill } from '../core/types.ts';

/** One watched wallet's shadow: its ledger and the USDC of its BUYs. */
interface WalletShadow {
  readonly wallet: string;
  readonly ledger: Ledger;
  buyVolumeMicros: number;
}

type ShadowFill = Pick<Fill, 'tokenId' | 'conditionId' | 'side' | 'priceMicros' | 'sizeMicros' | 'feeMicros'>;

export class TargetShadow {
  private readonly watched = new Set<string>();
  /** Target wallet (lower case) → its shadow, in order of first trade. */
  private readonly shadows = new Map<string, WalletShadow>();
  /**
   * A trade's wallet as the event spells it → its shadow, or null when nobody watches it: every target trade
   * of a replay passes here, and most are of wallets not watched, so one lookup answers them without
   * lower-casing the address each time.
   */
  private readonly byWallet = new Map<string, WalletShadow | null>();
  /** What `Ledger.applyFill` reads of a trade, filled in for each one (the ledger keeps none of it). */
  private readonly fill: ShadowFill = { tokenId: '', conditionId: '', side: 'BUY', priceMicros: 0, sizeMicros: 0, feeMicros: 0 };

  constructor(wallets: Iterable<string> = []) {
    this.watch(wallets);
  }

  /** Wallets in lower case, as strategies and the dedup'd trades are keyed. */
  watch(wallets: Iterable<string>): void {
    for (const w of wallets) this.watched.add(w);
    // A wallet answered "not watched" before may be watched now.
    this.byWallet.clear();
  }

  /** A target's (lower case) own trades booked as if they were ours; undefined before its first trade. */
  ledgerOf(wallet: string): Ledger | undefined {
    return this.shadows.get(wallet)?.ledger;
  }

  /** USDC a target (lower case) spent on BUYs, for scaling its PnL to our size. */
  buyVolumeOf(wallet: string): number {
    return this.shadows.get(wallet)?.buyVolumeMicros ?? 0;
  }

  /** Every target with a shadow → its ledger, in order of first trade (made when read). */
  get ledgers(): ReadonlyMap<string, Ledger> {
    return new Map([...this.shadows].map(([wallet, s]) => [wallet, s.ledger]));
  }

  /** Every target with a shadow → the USDC of its BUYs (made when read). */
  get buyVolumeMicros(): ReadonlyMap<string, number> {
    return new Map([...this.shadows].map(([wallet, s]) => [wallet, s.buyVolumeMicros]));
  }

  /** A target trade after dedup (duplicates never reach it), or a resolution; other events are ignored. */
  onEvent(event: EngineEvent): void {
    if (event.type === 'target_trade') {
      const t = event.trade;
      let shadow = this.byWallet.get(t.wallet);
      if (shadow === undefined) {
        shadow = this.shadowOf(t.wallet.toLowerCase());
        this.byWallet.set(t.wallet, shadow);
      }
      if (shadow === null) return;
      const ledger = shadow.ledger;
      // A SELL of shares bought before the recording starts: book only what we saw them buy.
      const size = t.side === 'SELL' ? Math.min(t.sizeMicros, ledger.size(t.tokenId)) : t.sizeMicros;
      if (size > 0) {
        const fill = this.fill;
        fill.tokenId = t.tokenId;
        fill.conditionId = t.conditionId;
        fill.side = t.side;
        fill.priceMicros = t.priceMicros;
        fill.sizeMicros = size;
        ledger.applyFill(fill);
      }
      if (t.side === 'BUY') shadow.buyVolumeMicros += t.usdcMicros;
    } else if (event.type === 'market_resolved') {
      for (const { ledger } of this.shadows.values())
        for (const [token, payout] of Object.entries(event.payouts)) ledger.settle(token, payout);
    }
  }

  /** The shadow of a wallet (lower case), made at its first trade; null when it is not watched. */
  private shadowOf(wallet: string): WalletShadow | null {
    if (!this.watched.has(wallet)) return null;
    const known = this.shadows.get(wallet);
    if (known) return known;
    const shadow: WalletShadow = { wallet, ledger: new Ledger(0), buyVolumeMicros: 0 };
    this.shadows.set(wallet, shadow);
    return shadow;
  }
}
