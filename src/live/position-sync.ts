/**
 * The reconciliation loop: every `intervalMs`, each target's positions from the Data API are compared
 * with what the TargetBook says (seeded at start, advanced by the trades we saw). A difference beyond
 * the tolerance that is still there on the next check (so trades in flight do not raise it) is a
 * `missed_trade` alert with the numbers. In live mode our own positions are compared with the
 * venue's token balances the same way (`position_mismatch`). `catchUp` re-seeds the TargetBook from
 * the API so later SELLs are sized against the target's real position; no order is placed for the
 * difference (a missed trade is reported, not chased).
 */
import { describeError } from '../core/describe-error.ts';
import type { Micros } from '../core/money.ts';
import type { Alert } from '../core/ports.ts';
import type { Clock } from '../core/clock.ts';
import type { EngineView } from '../core/control.ts';
import type { FeedLog } from '../feeds/feed.ts';
import type { TargetPosition } from '../polymarket/wire/data-api.ts';

/** What the sync reads of the engine (its snapshot, the targets' tracked positions) and may ask of it. */
export interface SyncedEngine {
  readonly clock: Pick<Clock, 'now'>;
  readonly control: EngineView;
  readonly targets: { positionsOf(wallet: string): ReadonlyMap<string, Micros> };
  seedTarget(wallet: string, positions: { tokenId: string; sizeMicros: Micros }[]): void;
  emitAlert(alert: Alert): void;
}

export interface PositionSyncOptions {
  engine: SyncedEngine;
  wallets: string[];
  fetchPositions: (wallet: string) => Promise<TargetPosition[]>;
  /** Live: our token balance on the venue, in share micros. */
  venueBalance?: (tokenId: string) => Promise<Micros>;
  intervalMs?: number;
  /** Differences up to max(toleranceShares, tolerancePct of the larger side) are fine. Defaults 1 share, 1%. */
  toleranceShares?: number;
  tolerancePct?: number;
  catchUp?: boolean;
  log: FeedLog;
}

export interface SyncReport {
  checkedWallets: number;
  missed: { wallet: string; tokenId: string; apiMicros: Micros; bookMicros: Micros }[];
  mismatched: { tokenId: string; venueMicros: Micros; oursMicros: Micros }[];
  errors: string[];
}

export class PositionSync {
  private timer?: NodeJS.Timeout;
  private running?: Promise<SyncReport>;
  /** Differences seen on the previous check, to confirm them on this one. */
  private suspects = new Set<string>();
  lastReport?: SyncReport;

  constructor(private readonly options: PositionSyncOptions) {}

  start(): void {
    const every = this.options.intervalMs ?? 30_000;
    if (every <= 0 || this.timer) return;
    this.timer = setInterval(() => void this.runNow().catch(() => undefined), every);
    this.timer.unref();
  }

  /** Targets added or removed while the session runs. */
  addWallet(wallet: string): void {
    if (!this.options.wallets.includes(wallet)) this.options.wallets = [...this.options.wallets, wallet];
  }

  removeWallet(wallet: string): void {
    this.options.wallets = this.options.wallets.filter((w) => w !== wallet);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One check now (the TUI's `r`); concurrent calls share one run. */
  runNow(): Promise<SyncReport> {
    if (!this.running) this.running = this.check().finally(() => (this.running = undefined));
    return this.running;
  }

  private tolerance(a: Micros, b: Micros): Micros {
    const shares = (this.options.toleranceShares ?? 1) * 1_000_000;
    return Math.max(shares, Math.round((Math.max(a, b) * (this.options.tolerancePct ?? 1)) / 100));
  }

  private async check(): Promise<SyncReport> {
    const { engine } = this.options;
    const report: SyncReport = { checkedWallets: 0, missed: [], mismatched: [], errors: [] };
    const suspects = new Set<string>();
    for (const wallet of this.options.wallets) {
      let rows: TargetPosition[];
      try {
        rows = await this.options.fetchPositions(wallet);
      } catch (err) {
        report.errors.push(`positions of ${wallet}: ${describeError(err)}`);
        continue;
      }
      report.checkedWallets++;
      const api = new Map(rows.map((r) => [r.tokenId, r.sizeMicros] as const));
      const book = engine.targets.positionsOf(wallet);
      for (const tokenId of new Set([...api.keys(), ...book.keys()])) {
        const a = api.get(tokenId) ?? 0;
        const b = book.get(tokenId) ?? 0;
        if (Math.abs(a - b) <= this.tolerance(a, b)) continue;
        const id = `${wallet}:${tokenId}:${a}`;
        suspects.add(id);
        if (this.suspects.has(id)) report.missed.push({ wallet, tokenId, apiMicros: a, bookMicros: b });
      }
      if (this.options.catchUp && report.missed.some((m) => m.wallet === wallet)) engine.seedTarget(wallet, rows);
    }
    if (this.options.venueBalance) await this.checkOurs(report, suspects);
    this.suspects = suspects;
    for (const m of report.missed) {
      this.alert(
        'warn',
        'missed_trade',
        `target ${m.wallet.slice(0, 10)}… holds ${fmt(m.apiMicros)} shares of ${m.tokenId.slice(0, 12)}… per the Data API, ${fmt(m.bookMicros)} by the trades we saw (a trade was missed${this.options.catchUp ? '; target book re-seeded' : ''})`,
        {
          wallet: m.wallet,
          tokenId: m.tokenId,
          apiMicros: m.apiMicros,
          bookMicros: m.bookMicros,
          diffMicros: m.apiMicros - m.bookMicros,
        },
      );
    }
    for (const m of report.mismatched) {
      this.alert(
        'critical',
        'position_mismatch',
        `we hold ${fmt(m.venueMicros)} shares of ${m.tokenId.slice(0, 12)}… on the venue but ${fmt(m.oursMicros)} by our fills`,
        { tokenId: m.tokenId, venueMicros: m.venueMicros, oursMicros: m.oursMicros, diffMicros: m.venueMicros - m.oursMicros },
      );
    }
    for (const e of report.errors) this.options.log('warn', `position sync: ${e}`);
    this.lastReport = report;
    return report;
  }

  private async checkOurs(report: SyncReport, suspects: Set<string>): Promise<void> {
    const ours = new Map<string, Micros>();
    for (const p of this.options.engine.control.snapshot().positions) if (!p.settled) ours.set(p.tokenId, p.sizeMicros);
    for (const [tokenId, oursMicros] of ours) {
      let venue: Micros;
      try {
        venue = await this.options.venueBalance!(tokenId);
      } catch (err) {
        report.errors.push(`balance of ${tokenId.slice(0, 12)}…: ${describeError(err)}`);
        continue;
      }
      if (Math.abs(venue - oursMicros) <= this.tolerance(venue, oursMicros)) continue;
      const id = `us:${tokenId}:${venue}`;
      suspects.add(id);
      if (this.suspects.has(id)) report.mismatched.push({ tokenId, venueMicros: venue, oursMicros });
    }
  }

  private alert(level: Alert['level'], code: Alert['code'], message: string, details: Alert['details']): void {
    this.options.engine.emitAlert({ tsMs: this.options.engine.clock.now(), level, code, message, details });
  }
}

function fmt(micros: Micros): string {
  return (micros / 1_000_000).toFixed(2);
}
