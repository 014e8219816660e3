/**
 * Which market (and which outcome of it) a market strategy trades. Users name a market the way they
 * meet it: a Polymarket URL, a slug, a condition id or a token id. `parseMarketRef` reads that text;
 * `resolveMarketRef` turns it into a token once the market's metadata is known (ctx.market() inside
 * a strategy, the recording's or Gamma's markets in the CLI).
 */
import { z } from 'zod';
import type { MarketInfo } from '../core/types.ts';

export type MarketRef =
  | { kind: 'token'; tokenId: string; text: string }
  | { kind: 'condition'; conditionId: string; text: string }
  | { kind: 'slug'; slug: string; eventSlug?: string; text: string };

const CONDITION = /^0x[0-9a-fA-F]{64}$/;
const TOKEN = /^\d{10,80}$/;
const SLUG = /^[a-z0-9][a-z0-9-]*$/i;

/** Reads a market reference; throws an Error that says which forms are accepted. */
export function parseMarketRef(input: string): MarketRef {
  const text = input.trim();
  if (CONDITION.test(text)) return { kind: 'condition', conditionId: text.toLowerCase(), text };
  if (TOKEN.test(text)) return { kind: 'token', tokenId: text, text };
  if (/^https?:\/\//i.test(text) || /^(www\.)?polymarket\.com\//i.test(text)) return fromUrl(text);
  if (SLUG.test(text)) return { kind: 'slug', slug: text.toLowerCase(), text };
  throw new Error(
    `"${input}" is not a market: give a Polymarket URL (https://polymarket.com/event/<event>/<market>), a market slug, a condition id (0x + 64 hex) or a token id`,
  );
}

function fromUrl(text: string): MarketRef {
  let url: URL;
  try {
    url = new URL(/^https?:\/\//i.test(text) ? text : `https://${text}`);
  } catch {
    throw new Error(`"${text}" is not a valid URL`);
  }
  if (!/(^|\.)polymarket\.com$/i.test(url.hostname)) throw new Error(`"${text}" is not a polymarket.com URL`);
  const parts = url.pathname.split('/').filter(Boolean);
  const at = parts.findIndex((p) => p === 'event' || p === 'market');
  const first = at >= 0 ? parts[at + 1] : undefined;
  if (!first || !SLUG.test(first)) {
    throw new Error(`cannot find a market in ${text}: expected https://polymarket.com/event/<event-slug>/<market-slug> or /market/<slug>`);
  }
  const second = parts[at] === 'event' ? parts[at + 2] : undefined;
  if (second && SLUG.test(second)) return { kind: 'slug', slug: second.toLowerCase(), eventSlug: first.toLowerCase(), text };
  // An event URL without a market part: single-market events share the slug with their market.
  return { kind: 'slug', slug: first.toLowerCase(), eventSlug: parts[at] === 'event' ? first.toLowerCase() : undefined, text };
}

/** Where resolution looks markets up. */
export interface MarketLookup {
  /** By token or condition id. */
  byId(id: string): MarketInfo | undefined;
  /** Markets that may match a slug (a strategy passes the markets of its subscribed tokens). */
  candidates(): MarketInfo[];
}

export type Resolved =
  | { ok: true; market: MarketInfo; tokenId: string; outcome: string }
  | { ok: false; reason: 'market_unknown' | 'outcome_unknown' | 'outcome_required'; message: string };

/** Finds the market a reference names (undefined until its metadata is known). */
export function findMarket(ref: MarketRef, lookup: MarketLookup): MarketInfo | undefined {
  if (ref.kind === 'token') return lookup.byId(ref.tokenId);
  if (ref.kind === 'condition') return lookup.byId(ref.conditionId);
  const all = lookup.candidates();
  return (
    all.find((m) => m.slug?.toLowerCase() === ref.slug) ??
    (ref.eventSlug ? all.find((m) => m.slug?.toLowerCase() === ref.eventSlug) : undefined)
  );
}

/** Resolves a reference plus an outcome name ("Yes", "up", ...) to one token of a known market. */
export function resolveMarketRef(ref: MarketRef, outcome: string | undefined, lookup: MarketLookup): Resolved {
  const market = findMarket(ref, lookup);
  if (!market) return { ok: false, reason: 'market_unknown', message: `no metadata yet for market ${ref.text}` };
  if (ref.kind === 'token') {
    const token = market.tokens.find((t) => t.tokenId === ref.tokenId);
    const name = token?.outcome ?? '';
    if (outcome && name && !sameOutcome(name, outcome)) {
      return { ok: false, reason: 'outcome_unknown', message: `token ${ref.tokenId} is the "${name}" outcome, not "${outcome}"` };
    }
    return { ok: true, market, tokenId: ref.tokenId, outcome: name };
  }
  const token = pickOutcome(market, outcome);
  if (token) return { ok: true, market, tokenId: token.tokenId, outcome: token.outcome };
  const names = market.tokens.map((t) => `"${t.outcome}"`).join(', ');
  if (!outcome)
    return {
      ok: false,
      reason: 'outcome_required',
      message: `market ${market.slug ?? market.conditionId} has outcomes ${names}: choose one with outcome`,
    };
  return {
    ok: false,
    reason: 'outcome_unknown',
    message: `market ${market.slug ?? market.conditionId} has no outcome "${outcome}" (it has ${names})`,
  };
}

function pickOutcome(market: MarketInfo, outcome: string | undefined) {
  if (!outcome) return market.tokens.length === 1 ? market.tokens[0] : undefined;
  return market.tokens.find((t) => sameOutcome(t.outcome, outcome));
}

function sameOutcome(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

const FIVE_OR_FIFTEEN = /^btc-updown-(5|15)m-(\d{9,11})$/;

/**
 * When the market ends (ms): MarketInfo.endMs, or for BTC up/down slugs (`btc-updown-15m-<start unix>`)
 * the start plus 5 or 15 minutes.
 */
export function marketEndMs(market: MarketInfo): number | undefined {
  if (market.endMs !== undefined) return market.endMs;
  const m = FIVE_OR_FIFTEEN.exec(market.slug ?? '');
  if (!m) return undefined;
  return (Number(m[2]) + Number(m[1]) * 60) * 1000;
}

/** The zod fields every market strategy shares. */
export const marketRefShape = {
  market: z
    .string()
    .min(1)
    .superRefine((value, ctx) => {
      try {
        parseMarketRef(value);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
      }
    })
    .describe('Polymarket URL, market slug, condition id or token id'),
  outcome: z.string().min(1).optional().describe('outcome to trade, e.g. Yes, No, Up, Down (not needed for a token id)'),
  tokenIds: z
    .array(z.string().regex(TOKEN, 'expected a token id (digits)'))
    .optional()
    .describe('token ids of the market, so the engine routes their books here (`polytail run` fills this in)'),
};

export interface MarketRefParams {
  market: string;
  outcome?: string;
  tokenIds?: string[];
}

/** Tokens whose books the strategy must receive: the given token ids, or the market itself when it is a token id. */
export function subscribedTokens(params: MarketRefParams): string[] {
  const tokens = new Set(params.tokenIds ?? []);
  const ref = parseMarketRef(params.market);
  if (ref.kind === 'token') tokens.add(ref.tokenId);
  return [...tokens];
}
