/** Shared setup for the local-chain tests: a sandbox with a chain, the test wallet, approvals. */
import { Wallet } from 'ethers';
import { planApprovals, readApprovals } from '../../../src/chain/approvals.ts';
import { RetryingRpcProvider } from '../../../src/chain/rpc.ts';
import { TxSender } from '../../../src/chain/tx-sender.ts';
import type { Sandbox, ScenarioInput } from '../../../src/sandbox/index.ts';
import { startSandbox } from '../../../src/sandbox/index.ts';
import { TEST_SCENARIO } from '../sandbox/helpers.ts';

export { TEST_KEY, seedBook, tokenOf, conditionOf, tradingClient, getJson } from '../sandbox/helpers.ts';

export async function startChainSandbox(overrides: Partial<ScenarioInput> = {}, synthetic = false, blockTimeMs = 200): Promise<Sandbox> {
  return startSandbox({ port: 0, scenario: { ...TEST_SCENARIO, ...overrides }, synthetic, chain: { blockTimeMs } });
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

export async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
