/**
 * Synthetic market activity: makers quote around a drifting fair value, traders take liquidity at
 * Poisson-distributed times, markets close and resolve on schedule. Wall-clock timers (this is a fake
 * exchange, not the engine); every random draw comes from the seeded generator.
 */
import { SeededIds } from '../../core/ids.ts';
import { mulDiv } from '../../core/money.ts';
import type { SandboxContext } from '../context.ts';
import type { SandboxMarket } from '../exchange/types.ts';
import type { MakerSpec, Scenario, TraderSpec } from '../scenario.ts';
import { addressFor } from '../world.ts';

export interface FlowStats {
  makerQuotes: number;
  traderOrders: number;
  traderRejects: number;
  lastReject?: string;
}

export class SyntheticFlow {
  readonly stats: FlowStats = { makerQuotes: 0, traderOrders: 0, traderRejects: 0 };
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly rng: SeededIds;
  private stopped = false;

  constructor(
    private readonly ctx: SandboxContext,
    private readonly scenario: Scenario,
  ) {
    this.rng = new SeededIds(scenario.seed);
  }

  start(): void {
    const speed = this.scenario.clockSpeed;
    this.scenario.makers.forEach((m, i) => this.startMaker(m, i));
    for (const t of this.scenario.traders) this.scheduleTrader(t);
    this.scenario.markets.forEach((spec) => {
      const m = [...this.ctx.exchange.markets.values()].find((x) => x.slug === spec.slug);
      if (!m) return;
      if (spec.closeAfterSec) this.after((spec.closeAfterSec * 1000) / speed, () => this.ctx.exchange.closeMarket(m.conditionId));
      if (spec.resolveAfterSec) {
        this.after((spec.resolveAfterSec * 1000) / speed, () => {
          const forced = spec.resolvesTo;
          const winner = forced === '50-50' ? null : (forced ?? (this.rng.random() < m.fairMicros / 1e6 ? 0 : 1));
          this.ctx.exchange.resolveMarket(m.conditionId, winner);
        });
      }
    });
    for (const f of this.scenario.faults) this.after(f.atSec * 1000, () => this.ctx.faults.add(f.fault));
    if (this.scenario.durationSec) this.after(this.scenario.durationSec * 1000, () => this.stop());
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private after(ms: number, fn: () => void): void {
    if (this.stopped) return;
    const t = setTimeout(
      () => {
        this.timers.delete(t);
        if (!this.stopped) fn();
      },
      Math.max(0, ms),
    );
    t.unref();
    this.timers.add(t);
  }

  private gaussian(): number {
    const u = Math.max(1e-12, this.rng.random());
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.rng.random());
  }

  private marketsFor(list: 'all' | string[]): SandboxMarket[] {
    return [...this.ctx.exchange.markets.values()].filter(
      (m) => m.tradable && m.status === 'open' && (list === 'all' || list.includes(m.slug)),
    );
  }

  /**
   * One requote by every maker on every market, now. A paced flow (the sandbox started with
   * `synthetic: false`) calls this and `trade` itself, so it decides when the book moves.
   */
  requoteAll(): void {
    this.scenario.makers.forEach((spec, i) => {
      const address = this.makerAccount(spec, i);
      for (const m of this.marketsFor(spec.markets)) this.requote(m, spec, address);
    });
  }

  private makerAccount(spec: MakerSpec, i: number): string {
    const address = (spec.address ?? addressFor(`maker:${this.scenario.seed}:${i}`)).toLowerCase();
    const acct = this.ctx.exchange.accounts.get(address);
    acct.unlimited = true;
    acct.name = acct.name || `sandbox-maker-${i + 1}`;
    return address;
  }

  private startMaker(spec: MakerSpec, i: number): void {
    const address = this.makerAccount(spec, i);
    const refresh = () => {
      for (const m of this.marketsFor(spec.markets)) this.requote(m, spec, address);
      this.after(spec.refreshMs / this.scenario.clockSpeed, refresh);
    };
    refresh();
  }

  /** Moves the fair value one step and replaces this maker's quotes on both outcomes. */
  private requote(m: SandboxMarket, spec: MakerSpec, address: string): void {
    const ex = this.ctx.exchange;
    const drift = Math.round(this.gaussian() * m.volatility * 1e6);
    m.fairMicros = Math.min(970_000, Math.max(30_000, m.fairMicros + drift));
    ex.cancel(ex.liveOrders((o) => o.makerAddress === address && o.conditionId === m.conditionId).map((o) => o.id));
    const size = Math.round(spec.sizeShares * 100) * 10_000; // 2-decimal shares
    m.tokenIds.forEach((token, idx) => {
      const fair = idx === 0 ? m.fairMicros : 1_000_000 - m.fairMicros;
      for (let level = 0; level < spec.levels; level++) {
        const off = (spec.spreadTicks + level * spec.stepTicks) * m.tickMicros;
        const bid = Math.floor((fair - off) / m.tickMicros) * m.tickMicros;
        const ask = Math.ceil((fair + off) / m.tickMicros) * m.tickMicros;
        if (bid >= m.tickMicros) this.quote(token, 'BUY', bid, size, address);
        if (ask <= 1_000_000 - m.tickMicros) this.quote(token, 'SELL', ask, size, address);
      }
    });
  }

  private quote(tokenId: string, side: 'BUY' | 'SELL', price: number, size: number, address: string): void {
    const usdc = mulDiv(size, price, 1_000_000, 'nearest');
    const res = this.ctx.exchange.place({
      id: this.ctx.exchange.hash32('maker-order'),
      owner: 'synthetic',
      makerAddress: address,
      signer: address,
      tokenId,
      side,
      type: 'GTC',
      makerAmountMicros: side === 'BUY' ? usdc : size,
      takerAmountMicros: side === 'BUY' ? size : usdc,
      expirationSec: 0,
      postOnly: false,
      source: 'synthetic',
    });
    if (res.ok) this.stats.makerQuotes += 1;
  }

  private scheduleTrader(spec: TraderSpec): void {
    const perMs = (spec.ratePerMinute * this.scenario.clockSpeed) / 60_000;
    const wait = -Math.log(Math.max(1e-12, this.rng.random())) / perMs;
    this.after(wait, () => {
      this.trade(spec);
      this.scheduleTrader(spec);
    });
  }

  /** One taker trade: sells part of a holding sometimes, otherwise buys a random outcome with FAK. */
  trade(spec: TraderSpec): void {
    const ex = this.ctx.exchange;
    const markets = this.marketsFor(spec.markets);
    if (markets.length === 0) return;
    const address = spec.address.toLowerCase();
    const m = markets[Math.floor(this.rng.random() * markets.length)]!;
    const held = m.tokenIds.filter((t) => ex.freeTokens(address, t) >= 10_000);
    const id = ex.hash32('trader-order');
    let res;
    if (held.length > 0 && this.rng.random() < spec.sellProbability) {
      const token = held[Math.floor(this.rng.random() * held.length)]!;
      const fraction = 0.25 + 0.75 * this.rng.random();
      const shares = Math.floor((ex.freeTokens(address, token) * fraction) / 10_000) * 10_000;
      if (shares < 10_000) return;
      res = ex.place({
        id,
        owner: 'synthetic',
        makerAddress: address,
        signer: address,
        tokenId: token,
        side: 'SELL',
        type: 'FAK',
        makerAmountMicros: shares,
        takerAmountMicros: shares / 100,
        expirationSec: 0,
        postOnly: false,
        source: 'synthetic',
      });
    } else {
      // Lean towards the outcome the fair value favours, like a trader with an opinion.
      const idx = this.rng.random() < m.fairMicros / 1e6 ? 0 : 1;
      const [lo, hi] = spec.sizeUsd;
      const usdc = Math.max(1_000_000, Math.floor((lo + (hi - lo) * this.rng.random()) * 100) * 10_000);
      const worst = 1_000_000 - m.tickMicros;
      const shares = Math.floor((usdc * 1_000_000) / worst / 100) * 100; // ≤ 4 decimals
      res = ex.place({
        id,
        owner: 'synthetic',
        makerAddress: address,
        signer: address,
        tokenId: m.tokenIds[idx],
        side: 'BUY',
        type: 'FAK',
        makerAmountMicros: usdc,
        takerAmountMicros: shares,
        expirationSec: 0,
        postOnly: false,
        source: 'synthetic',
      });
    }
    this.stats.traderOrders += 1;
    if (!res.ok) {
      this.stats.traderRejects += 1;
      this.stats.lastReject = res.error;
    }
  }
}
