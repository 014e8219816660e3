/**
 * Auto-redeem for live sessions: every interval, the wallet's positions the Data API lists as
 * redeemable are redeemed on chain (the Redeemer checks the chain's own resolution first, so a position
 * the API calls redeemable before the payouts are reported simply waits for the next round).
 */
import type { RedeemMarket, RedeemResult, Redeemer } from './redeemer.ts';

export interface AutoRedeemOptions {
  redeemer: Redeemer;
  /** Data API base URL (…/data-api or https://data-api.polymarket.com). */
  dataUrl: string;
  intervalMs?: number;
  /** Spacing of the rounds that follow a nudge (default 5 s). */
  soonMs?: number;
  log?: (level: 'info' | 'warn' | 'error', message: string) => void;
  /**
   * Taken around every round so that one process redeems at a time (a `polytail redeem` beside the
   * session shares its journal and its wallet's nonces). Throws when another process holds it: the round
   * is skipped and the next one tries again. Returns the release.
   */
  exclusive?: () => Promise<() => void>;
}

interface PositionRow {
  asset?: string;
  oppositeAsset?: string;
  conditionId?: string;
  outcomeIndex?: number;
  negativeRisk?: boolean;
  redeemable?: boolean;
  title?: string;
}

/** Redeemable markets of a wallet from Data API /positions (one entry per condition). */
export async function fetchRedeemable(dataUrl: string, wallet: string): Promise<RedeemMarket[]> {
  const res = await fetch(`${dataUrl.replace(/\/$/, '')}/positions?user=${wallet}&redeemable=true&sizeThreshold=0&limit=500`);
  if (!res.ok) throw new Error(`Data API /positions answered ${res.status}`);
  const rows = (await res.json()) as PositionRow[];
  const out = new Map<string, RedeemMarket>();
  for (const r of rows) {
    if (!r.redeemable || !r.conditionId || !r.asset || !r.oppositeAsset) continue;
    const ids: [string, string] = r.outcomeIndex === 1 ? [r.oppositeAsset, r.asset] : [r.asset, r.oppositeAsset];
    out.set(r.conditionId.toLowerCase(), { conditionId: r.conditionId, negRisk: r.negativeRisk === true, tokenIds: ids, title: r.title });
  }
  return [...out.values()];
}

export class AutoRedeem {
  private timer?: NodeJS.Timeout;
  private running?: Promise<RedeemResult[]>;
  private stopped = false;
  private fastRounds = 0;
  readonly results: RedeemResult[] = [];

  constructor(private readonly o: AutoRedeemOptions) {}

  start(): void {
    this.stopped = false;
    this.loop();
  }

  /**
   * A resolution was seen (market WS, Gamma, the chain): look now, and a few more times soon after, since
   * the redeemer waits until the chain's resolution is `confirmations` blocks deep.
   */
  nudge(): void {
    if (this.stopped) return;
    this.fastRounds = 6;
    if (this.timer === undefined) return; // a round is running; the fast rounds follow it
    clearTimeout(this.timer);
    this.timer = undefined;
    this.loop();
  }

  private loop(): void {
    if (this.stopped) return;
    const every = this.o.intervalMs ?? 60_000;
    void this.runOnce().finally(() => {
      if (this.stopped) return;
      const fast = this.fastRounds > 0;
      if (fast) this.fastRounds--;
      this.timer = setTimeout(() => this.loop(), fast ? Math.min(every, this.o.soonMs ?? 5_000) : every);
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => {});
  }

  /** One round: resume anything a crash left, then redeem what is redeemable. */
  runOnce(): Promise<RedeemResult[]> {
    if (this.running) return this.running;
    const log = this.o.log ?? (() => {});
    this.running = (async () => {
      const done: RedeemResult[] = [];
      let release: () => void = () => {};
      if (this.o.exclusive) {
        try {
          release = await this.o.exclusive();
        } catch (err) {
          log('info', `auto-redeem waits for the next round: ${(err as Error).message}`);
          return done;
        }
      }
      try {
        done.push(...(await this.o.redeemer.resume()));
        for (const m of await fetchRedeemable(this.o.dataUrl, this.o.redeemer.holder)) {
          const r = await this.o.redeemer.redeem(m).catch((err: Error) => {
            log('error', `redeem of ${m.title ?? m.conditionId} failed: ${err.message}`);
            return undefined;
          });
          if (r) done.push(r);
        }
      } catch (err) {
        log('warn', `auto-redeem round failed: ${(err as Error).message}`);
      } finally {
        release();
      }
      for (const r of done) {
        log(
          r.ok ? 'info' : 'warn',
          `redeemed ${r.conditionId.slice(0, 10)}…: ${r.ok ? `$${(r.payoutMicros / 1e6).toFixed(2)}` : 'reverted'} (tx ${r.txHash})`,
        );
      }
      this.results.push(...done);
      return done;
    })().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }
}
