/**
 * The market of a token, for sources that name only the token: an OrderFilled log carries asset ids and
 * amounts, not the condition id, outcome or title the engine and the TUI show. Known markets come from
 * the session's registry; others are read from Gamma once (`/markets?clob_token_ids=`) and cached.
 */
import type { MarketRegistry } from '../core/market-registry.ts';
import type { MarketInfo } from '../core/types.ts';
import { getJson } from '../feeds/http-json.ts';
import { parseGammaMarket } from '../polymarket/wire/gamma.ts';

export interface TokenMarket {
  conditionId: string;
  outcome: string;
  outcomeIndex?: number;
  slug?: string;
  title?: string;
}

export class TokenLookup {
  private readonly cache = new Map<string, Promise<MarketInfo | undefined>>();

  constructor(
    private readonly gammaUrl: string,
    private readonly markets?: MarketRegistry,
  ) {}

  /** The token's market and outcome; undefined when neither the registry nor Gamma knows it. */
  async describe(tokenId: string): Promise<TokenMarket | undefined> {
    const market = this.markets?.byTokenId(tokenId) ?? (await this.fetch(tokenId));
    if (!market) return undefined;
    const index = market.tokens.findIndex((t) => t.tokenId === tokenId);
    if (index < 0) return undefined;
    return {
      conditionId: market.conditionId,
      outcome: market.tokens[index]!.outcome,
      outcomeIndex: index,
      ...(market.slug ? { slug: market.slug } : {}),
      ...(market.question ? { title: market.question } : {}),
    };
  }

  private fetch(tokenId: string): Promise<MarketInfo | undefined> {
    let p = this.cache.get(tokenId);
    if (!p) {
      p = this.read(tokenId).catch(() => {
        this.cache.delete(tokenId); // a failed read is tried again next time
        return undefined;
      });
      this.cache.set(tokenId, p);
    }
    return p;
  }

  private async read(tokenId: string): Promise<MarketInfo | undefined> {
    const body = await getJson(`${this.gammaUrl.replace(/\/$/, '')}/markets?clob_token_ids=${tokenId}`, { attempts: 3, timeoutMs: 5000 });
    for (const row of Array.isArray(body) ? body : []) {
      const { market } = parseGammaMarket(row);
      if (market.tokens.some((t) => t.tokenId === tokenId)) return market;
    }
    return undefined;
  }
}
