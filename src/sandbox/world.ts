/** Builds a fresh exchange from a scenario: markets with deterministic ids, funded accounts. */
import { createHash } from 'node:crypto';
import { toMicros } from '../core/money.ts';
import { Exchange } from './exchange/exchange.ts';
import type { SandboxMarket } from './exchange/types.ts';
import type { MarketSpec, Scenario } from './scenario.ts';

const hex32 = (label: string) => '0x' + createHash('sha256').update(label).digest('hex');
/** A uint256 decimal token id, like the real 77-digit ones. */
export const tokenIdFor = (label: string) => BigInt(hex32(label)).toString(10);
/** A deterministic address for synthetic wallets. */
export const addressFor = (label: string) => '0x' + createHash('sha256').update(label).digest('hex').slice(0, 40);

export function marketFromSpec(spec: MarketSpec, seed: number, n: number, nowMs: number): SandboxMarket {
  const cid = spec.conditionId ?? hex32(`condition:${seed}:${spec.slug}`);
  const endMs = nowMs + (spec.resolveAfterSec ?? spec.closeAfterSec ?? 30 * 86_400) * 1000;
  return {
    id: String(500_000 + n),
    conditionId: cid,
    questionId: hex32(`question:${seed}:${spec.slug}`),
    slug: spec.slug,
    question: spec.question ?? spec.slug.replace(/-/g, ' ') + '?',
    eventId: String(90_000 + n),
    eventSlug: spec.eventSlug ?? spec.slug,
    eventTitle: spec.eventTitle ?? spec.question ?? spec.slug,
    outcomes: spec.outcomes,
    tokenIds: spec.tokenIds ?? [tokenIdFor(`token:${seed}:${spec.slug}:0`), tokenIdFor(`token:${seed}:${spec.slug}:1`)],
    tickMicros: toMicros(spec.tickSize),
    minOrderSizeMicros: toMicros(spec.minOrderSize),
    negRisk: spec.negRisk,
    feeRate: spec.fee?.rate ?? 0,
    feeExponent: spec.fee?.exponent ?? 1,
    createdAtMs: nowMs,
    endDateIso: new Date(endMs).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    status: 'open',
    fairMicros: toMicros(spec.fairValue),
    volatility: spec.volatility,
    tradable: true,
  };
}

export function buildExchange(scenario: Scenario, now: () => number): Exchange {
  const ex = new Exchange(now, scenario.seed);
  ex.settlementDelayMs = scenario.settlementDelayMs;
  scenario.markets.forEach((spec, i) => ex.addMarket(marketFromSpec(spec, scenario.seed, i, now())));
  for (const a of scenario.accounts) {
    const acct = ex.accounts.get(a.address);
    acct.usdcMicros = toMicros(a.usdc);
    for (const [token, shares] of Object.entries(a.tokens)) ex.accounts.addTokens(a.address, token, toMicros(shares));
    if (a.funder) ex.accounts.funders.set(a.address.toLowerCase(), a.funder.toLowerCase());
  }
  for (const t of scenario.traders) {
    const acct = ex.accounts.get(t.address);
    acct.usdcMicros = toMicros(t.startingUsdc);
    if (t.name) acct.name = t.name;
    if (t.pseudonym) acct.pseudonym = t.pseudonym;
  }
  return ex;
}
