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
  /** Target wallet (lower case) → their own trades booked as if they were ours. */
  readonly ledgers = new Map<string, Ledger>();
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

  /** USDC each target spent on BUYs, for scaling their PnL to our size (made when read: the report reads it once). */
  get buyVolumeMicros(): ReadonlyMap<string, number> {
    const out = new Map<string, number>();
    for (const s of this.shadows.values()) out.set(s.wallet, s.buyVolumeMicros);
    return out;
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
      for (const ledger of this.ledgers.values()) for (const [token, payout] of Object.entries(event.payouts)) ledger.settle(token, payout);
    }
  }

  /** The shadow of a wallet (lower case), made at its first trade; null when it is not watched. */
  private shadowOf(wallet: string): WalletShadow | null {
    if (!this.watched.has(wallet)) return null;
    const known = this.shadows.get(wallet);
    if (known) return known;
    const shadow: WalletShadow = { wallet, ledger: new Ledger(0), buyVolumeMicros: 0 };
    this.shadows.set(wallet, shadow);
    this.ledgers.set(wallet, shadow.ledger);
    return shadow;
  }
}
