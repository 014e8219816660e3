/** Shared setup for the local-chain tests: a sandbox with a chain, the test wallet, approvals. */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { AssetType, OrderType, Side } from '@polymarket/clob-client-v2';
import { Contract, Wallet } from 'ethers';
import { planApprovals, readApprovals } from '../../../src/chain/approvals.ts';
import { RelaySender } from '../../../src/chain/relay-sender.ts';
import { ERC20_ABI } from '../../../src/polymarket/contracts.ts';
import { SANDBOX_BUILDER_CREDS, SANDBOX_PROXY_CONTRACTS } from '../../../src/sandbox/relayer/index.ts';
import { RetryingRpcProvider } from '../../../src/chain/rpc.ts';
import { TxSender } from '../../../src/chain/tx-sender.ts';
import type { Sandbox, ScenarioInput } from '../../../src/sandbox/index.ts';
import { startSandbox } from '../../../src/sandbox/index.ts';
import { TEST_KEY, TEST_SCENARIO, seedBook, tokenOf, tradingClient } from '../sandbox/helpers.ts';

export { TEST_KEY, TEST_SCENARIO, seedBook, tokenOf, conditionOf, tradingClient, getJson } from '../sandbox/helpers.ts';

export async function startChainSandbox(
  overrides: Partial<ScenarioInput> = {},
  synthetic = false,
  blockTimeMs = 200,
  chainId?: number,
): Promise<Sandbox> {
  return startSandbox({
    port: 0,
    scenario: { ...TEST_SCENARIO, ...overrides },
    synthetic,
    chain: { blockTimeMs, ...(chainId ? { chainId } : {}) },
  });
}

export function chainProvider(sb: Sandbox): RetryingRpcProvider {
  const p = new RetryingRpcProvider(sb.chain!.rpcUrl, sb.chain!.chainId);
  p.pollingInterval = 50;
  return p;
}

export function fastSender(sb: Sandbox, key: string): TxSender {
  const provider = chainProvider(sb);
  return new TxSender(new Wallet(key, provider), provider, { pollMs: 50, priorityFeeGwei: 1 });
}

/** Sends every missing approval for the wallet from the EOA itself; returns how many were sent. */
export async function approveAll(sb: Sandbox, key: string): Promise<number> {
  const sender = fastSender(sb, key);
  const plan = planApprovals(sb.chain!.contracts, await readApprovals(chainProvider(sb), sb.chain!.contracts, sender.address));
  for (const tx of plan) {
    const r = await sender.send(tx);
    if (r.status !== 1) throw new Error(`approval failed: ${tx.description}`);
  }
  return plan.length;
}

/** The collateral balance (micro-units) of `holder` on the sandbox's chain. */
export async function collateralOf(sb: Sandbox, holder: string): Promise<number> {
  return Number((await new Contract(sb.chain!.contracts.collateral, ERC20_ABI, chainProvider(sb)).balanceOf(holder)).toString());
}

/** How many of the trading approvals `holder` still lacks. */
export async function missingApprovals(sb: Sandbox, holder: string): Promise<number> {
  return planApprovals(sb.chain!.contracts, await readApprovals(chainProvider(sb), sb.chain!.contracts, holder)).length;
}

/** A relay sender for TEST_KEY's Safe or proxy wallet through the sandbox's relayer (chain `chainId`). */
export function sandboxRelaySender(sb: Sandbox, kind: 'safe' | 'proxy', chainId: number): RelaySender {
  return new RelaySender({
    relayerUrl: sb.urls.relayer!,
    chainId,
    rpcUrl: sb.chain!.rpcUrl,
    signer: new Wallet(TEST_KEY, chainProvider(sb)),
    creds: { ...SANDBOX_BUILDER_CREDS },
    kind,
    pollMs: 50,
    // The relayer client knows proxy contracts for 137 only; on the sandbox's chain it is given them.
    ...(kind === 'proxy' ? { proxyContracts: SANDBOX_PROXY_CONTRACTS } : {}),
  });
}

/** A test script (next to the test, run by tsx) in a child process; `output()` is all it printed so far. */
export function spawnTestScript(script: URL, args: string[]): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(script), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  return { child, output: () => out };
}

export async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The test wallet (TEST_KEY) buys `shares` of outcome `index` at `price` and waits until it settles on chain. */
export async function buyOnChain(
  sb: Sandbox,
  slug: string,
  index: 0 | 1,
  shares: number,
  price: number,
  /** A proxy (1) or Safe (2) wallet signed by TEST_KEY buys instead of the key's own address. */
  as?: { signatureType: 1 | 2; funder: string },
): Promise<void> {
  const key = new Wallet(TEST_KEY).address.toLowerCase();
  const me = as ? as.funder.toLowerCase() : key;
  const token = tokenOf(sb, slug, index);
  seedBook(sb, token, [[price - 0.1, 500]], [[price, 500]]);
  if (as) sb.state.accounts.funders.set(key, me);
  const client = await (as
    ? tradingClient(sb, TEST_KEY, { signatureType: as.signatureType, funderAddress: as.funder })
    : tradingClient(sb));
  await client.updateBalanceAllowance({ asset_type: AssetType.COLLATERAL });
  const negRisk = sb.state.market(token)!.market.negRisk;
  const res = await client.createAndPostOrder(
    { tokenID: token, price, size: shares, side: Side.BUY },
    { tickSize: '0.01', negRisk },
    OrderType.GTC,
  );
  if (res.status !== 'matched') throw new Error(`buy on ${slug} did not match: ${JSON.stringify(res)}`);
  const fill = sb.ctx.exchange.ledger.filter((f) => f.takerAddress === me).at(-1)!;
  await until('settled on chain', () => (fill.settledAtMs < Number.MAX_SAFE_INTEGER ? true : undefined));
}

export async function resolveMarket(sb: Sandbox, slug: string, winner: 0 | 1): Promise<void> {
  const res = await fetch(`${sb.urls.admin}/resolve`, { method: 'POST', body: JSON.stringify({ slug, winner }) });
  if (!res.ok) throw new Error(`resolve ${slug}: HTTP ${res.status}`);
}
