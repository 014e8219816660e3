/**
 * The one outcome token a market strategy trades, resolved lazily: until the market's metadata has
 * arrived it answers a 'market_unknown' skip (once, not per tick), then the token, its market and
 * the market's end time.
 */
import {
  marketEndMs,
  parseMarketRef,
  resolveMarketRef,
  type MarketInfo,
  type MarketRefParams,
  type Skip,
  type StrategyContext,
} from 'polytail/strategy';
import { SkipLatch } from './skip-latch.ts';

export interface Target {
  tokenId: string;
  outcome: string;
  market: MarketInfo;
  /** Undefined when neither the metadata nor the slug tells. */
  endMs: number | undefined;
}

export class MarketTarget {
  private resolved: Target | undefined;
  private readonly latch = new SkipLatch();

  constructor(private readonly params: MarketRefParams) {}

  /** The target, or a skip to return (undefined when that skip was already reported). */
  resolve(ctx: StrategyContext): { target: Target } | { skip: Skip | undefined } {
    if (this.resolved) {
      // Metadata can change (closed, end time): re-read the market, keep the token.
      const market = ctx.market(this.resolved.tokenId) ?? this.resolved.market;
      this.resolved = { ...this.resolved, market, endMs: marketEndMs(market) };
      return { target: this.resolved };
    }
    const ref = parseMarketRef(this.params.market);
    const lookup = {
      byId: (id: string) => ctx.market(id),
      candidates: () => (this.params.tokenIds ?? []).map((t) => ctx.market(t)).filter((m): m is MarketInfo => m !== undefined),
    };
    const r = resolveMarketRef(ref, this.params.outcome, lookup);
    if (!r.ok) {
      const hint =
        r.reason === 'market_unknown' && ref.kind !== 'token' && !this.params.tokenIds?.length
          ? ' (and no tokenIds to route its books: run it with `polytail run`, which fills them in, or set tokenIds)'
          : ' (waiting for its market metadata)';
      return {
        skip: this.latch.report(r.reason, r.message + (r.reason === 'market_unknown' ? hint : ''), {
          market: this.params.market,
          outcome: this.params.outcome ?? null,
        }),
      };
    }
    this.latch.clear();
    this.resolved = { tokenId: r.tokenId, outcome: r.outcome, market: r.market, endMs: marketEndMs(r.market) };
    ctx.log(`trading ${r.market.slug ?? r.market.conditionId} outcome "${r.outcome}" (token ${r.tokenId})`);
    return { target: this.resolved };
  }
}
