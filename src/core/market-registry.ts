import type { MarketInfo } from './types.ts';

/** Markets by condition id and by token id. Metadata arrives as `market` events. */
export class MarketRegistry {
  private byCondition = new Map<string, MarketInfo>();
  private byToken = new Map<string, MarketInfo>();

  /** Keeps a frozen copy: strategies read these objects (ctx.market) and must not change them. */
  upsert(market: MarketInfo): void {
    const previous = this.byCondition.get(market.conditionId);
    const merged = frozen(previous ? mergeTokens(previous, market) : market);
    this.byCondition.set(market.conditionId, merged);
    for (const t of merged.tokens) this.byToken.set(t.tokenId, merged);
  }

  byConditionId(conditionId: string): MarketInfo | undefined {
    return this.byCondition.get(conditionId);
  }

  byTokenId(tokenId: string): MarketInfo | undefined {
    return this.byToken.get(tokenId);
  }

  /** The complementary outcome's token (the other side of a binary market), if known. */
  oppositeToken(tokenId: string): string | undefined {
    const market = this.byToken.get(tokenId);
    if (!market || market.tokens.length !== 2) return undefined;
    return market.tokens.find((t) => t.tokenId !== tokenId)?.tokenId;
  }

  all(): MarketInfo[] {
    return [...this.byCondition.values()];
  }
}

function frozen(market: MarketInfo): MarketInfo {
  return Object.freeze({ ...market, tokens: Object.freeze(market.tokens.map((t) => Object.freeze({ ...t }))) as MarketInfo['tokens'] });
}

/** A later update may know fewer tokens (e.g. a trade that saw only one); keep what we knew. */
function mergeTokens(previous: MarketInfo, next: MarketInfo): MarketInfo {
  const tokens = [...next.tokens];
  for (const t of previous.tokens) if (!tokens.some((n) => n.tokenId === t.tokenId)) tokens.push(t);
  return { ...previous, ...next, tokens };
}
