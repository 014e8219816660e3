/** Shared setup for the sandbox integration tests: an in-process sandbox and real SDK clients. */
import { ClobClient } from '@polymarket/clob-client-v2';
import { Wallet } from 'ethers';
import { toMicros } from '../../../src/core/money.ts';
import { type Sandbox, type ScenarioInput, startSandbox } from '../../../src/sandbox/index.ts';

export const TEST_KEY = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80'; // hardhat #0, sandbox only
export const MAKER = '0x9999999999999999999999999999999999999999';

/** Two binary markets (tick 0.01 and 0.001) plus a neg-risk one; no timers unless a test asks. */
export const TEST_SCENARIO: ScenarioInput = {
  seed: 42,
  defaultUsdc: 1000,
  rtdsPingIntervalMs: 0,
  markets: [
    { slug: 'cents-market', question: 'Will the cents market resolve Yes?', tickSize: '0.01', minOrderSize: 5, fairValue: 0.5 },
    { slug: 'mills-market', tickSize: '0.001', minOrderSize: 5, fairValue: 0.3 },
    { slug: 'neg-risk-market', tickSize: '0.01', negRisk: true, fairValue: 0.4 },
  ],
};

export async function startTestSandbox(overrides: Partial<ScenarioInput> = {}, synthetic = false): Promise<Sandbox> {
  return startSandbox({ port: 0, scenario: { ...TEST_SCENARIO, ...overrides }, synthetic });
}

export function tokenOf(sb: Sandbox, slug: string, index: 0 | 1 = 0): string {
  const m = [...sb.state.markets.values()].find((x) => x.slug === slug);
  if (!m) throw new Error(`no market ${slug}`);
  return m.tokenIds[index];
}

export function conditionOf(sb: Sandbox, slug: string): string {
  return [...sb.state.markets.values()].find((x) => x.slug === slug)!.conditionId;
}

/** Puts resting synthetic-maker orders on a token: levels as [price, shares]. */
export function seedBook(sb: Sandbox, tokenId: string, bids: [number, number][], asks: [number, number][], maker = MAKER): void {
  sb.state.accounts.get(maker).unlimited = true;
  for (const [side, levels] of [
    ['BUY', bids],
    ['SELL', asks],
  ] as const) {
    for (const [price, shares] of levels) {
      const p = toMicros(price);
      const s = toMicros(shares);
      const usdc = Math.round((p * s) / 1e6);
      const res = sb.state.place({
        id: sb.state.hash32('seed'),
        owner: 'synthetic',
        makerAddress: maker,
        signer: maker,
        tokenId,
        side,
        type: 'GTC',
        makerAmountMicros: side === 'BUY' ? usdc : s,
        takerAmountMicros: side === 'BUY' ? s : usdc,
        expirationSec: 0,
        postOnly: false,
        source: 'synthetic',
      });
      if (!res.ok) throw new Error(`seedBook: ${res.error}`);
    }
  }
}

/** A trading client: creates (or derives) the API key through the real L1 flow first. */
export async function tradingClient(sb: Sandbox, key = TEST_KEY, extra: Record<string, unknown> = {}): Promise<ClobClient> {
  const signer = new Wallet(key);
  const l1 = new ClobClient({ host: sb.urls.clob, chain: 137, signer });
  const creds = await l1.createOrDeriveApiKey();
  if (!creds.key) throw new Error('no API key');
  return new ClobClient({ host: sb.urls.clob, chain: 137, signer, creds, throwOnError: true, ...extra });
}

/** Resolves to the rejection of a promise (fails the test if it resolves). */
export async function rejection(p: Promise<unknown>): Promise<Error & { status?: number; data?: unknown }> {
  try {
    const v = await p;
    throw new Error(`expected a rejection, got ${JSON.stringify(v)}`);
  } catch (err) {
    return err as Error & { status?: number };
  }
}

export async function getJson(url: string): Promise<unknown> {
  const res = await fetch(url);
  return res.json();
}
