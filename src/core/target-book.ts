/**
 * What each watched wallet holds, per token, as far as we have seen: seeded from a `/positions`
 * snapshot and advanced by its trades. A target SELL is copied as the same fraction of our position,
 * which needs the target's position before the sell.
 */
import type { Micros } from './money.ts';
import type { TargetTrade } from './types.ts';

export class TargetBook {
  private positions = new Map<string, Map<string, Micros>>();
  private values = new Map<string, Micros>();
  /**
   * A trade's wallet as spelled in the event → that wallet's positions: `apply` runs for every target trade,
   * and one lookup of the string as it comes (its hash cached on the string) spares lower-casing it each time.
   */
  private byWallet = new Map<string, Map<string, Micros>>();

  /** Replaces a wallet's positions with a snapshot (e.g. Data API /positions). */
  seed(wallet: string, positions: { tokenId: string; sizeMicros: Micros }[], portfolioValueMicros?: Micros): void {
    const map = new Map<string, Micros>();
    for (const p of positions) if (p.sizeMicros > 0) map.set(p.tokenId, p.sizeMicros);
    this.positions.set(wallet.toLowerCase(), map);
    this.byWallet.clear(); // the wallet's positions are a new map now
    if (portfolioValueMicros !== undefined) this.values.set(wallet.toLowerCase(), portfolioValueMicros);
  }

  setPortfolioValue(wallet: string, valueMicros: Micros): void {
    this.values.set(wallet.toLowerCase(), valueMicros);
  }

  portfolioValue(wallet: string): Micros | undefined {
    return this.values.get(wallet.toLowerCase());
  }

  position(wallet: string, tokenId: string): Micros {
    return this.positions.get(wallet.toLowerCase())?.get(tokenId) ?? 0;
  }

  positionsOf(wallet: string): Map<string, Micros> {
    return this.positions.get(wallet.toLowerCase()) ?? new Map();
  }

  /** Advances the wallet's position by one trade. A SELL never takes it below zero (we may have missed the buy). */
  apply(trade: TargetTrade): void {
    let map = this.byWallet.get(trade.wallet);
    if (map === undefined) {
      const wallet = trade.wallet.toLowerCase();
      map = this.positions.get(wallet);
      if (!map) {
        map = new Map();
        this.positions.set(wallet, map);
      }
      this.byWallet.set(trade.wallet, map);
    }
    const before = map.get(trade.tokenId) ?? 0;
    const after = trade.side === 'BUY' ? before + trade.sizeMicros : Math.max(0, before - trade.sizeMicros);
    if (after === 0) map.delete(trade.tokenId);
    else map.set(trade.tokenId, after);
  }

  wallets(): string[] {
    return [...this.positions.keys()];
  }
}
