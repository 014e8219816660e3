/**
 * The chain half of `npm run chaos -- --chain`: the wallet's approvals before the run, the chain faults
 * in the rotation (a dropped subscription, reorgs, RPC 429/5xx through the sandbox's RPC proxy), and
 * after trading stops the markets resolve so auto-redeem runs; `redeemReport` counts what was redeemed
 * and whether anything was redeemed or booked twice.
 */
import { Wallet } from 'ethers';
import { planApprovals, readApprovals } from '../src/chain/approvals.ts';
import { RetryingRpcProvider } from '../src/chain/rpc.ts';
import { TxSender } from '../src/chain/tx-sender.ts';
import { fetchRedeemable } from '../src/chain/auto-redeem.ts';
import type { PolytailConfig } from '../src/config/config.ts';
import type { LiveSession } from '../src/modes/live-session.ts';
import type { Sandbox } from '../src/sandbox/index.ts';
import { SANDBOX_TEST_PRIVATE_KEY } from '../src/sandbox/test-key.ts';

export type FaultStep = { name: string; faults: unknown[]; holdMs: number; run?: () => Promise<void> };

/** The session's chain settings: RPC through the sandbox's proxy (so HTTP faults reach it), WebSocket direct. */
export function chainConfig(sb: Sandbox): PolytailConfig['chain'] {
  const c = sb.chain!;
  return {
    rpcUrl: `${sb.urls.clob}/rpc`,
    wsUrl: c.wsUrl,
    chainId: c.chainId,
    feed: true,
    confirmations: 2,
    autoRedeem: true,
    redeemIntervalSeconds: 2,
    maxFeeGwei: 500,
    priorityFeeGwei: 1,
    contracts: c.contracts,
  };
}

/** Every approval the test wallet needs, sent from the EOA before the session starts. */
export async function approveTestWallet(sb: Sandbox): Promise<number> {
  const provider = new RetryingRpcProvider(sb.chain!.rpcUrl, sb.chain!.chainId);
  const sender = new TxSender(new Wallet(SANDBOX_TEST_PRIVATE_KEY, provider), provider, { pollMs: 100, priorityFeeGwei: 1 });
  const plan = planApprovals(sb.chain!.contracts, await readApprovals(provider, sb.chain!.contracts, sender.address));
  for (const tx of plan) {
    const r = await sender.send(tx);
    if (r.status !== 1) throw new Error(`approval failed: ${tx.description}`);
  }
  return plan.length;
}

export function chainFaults(sb: Sandbox, session: () => LiveSession | undefined): FaultStep[] {
  const reorg = (depth: number) => async () => {
    const res = await fetch(`${sb.urls.admin}/chain/reorg`, { method: 'POST', body: JSON.stringify({ depth, keepTxs: true }) });
    if (!res.ok) throw new Error(`reorg: HTTP ${res.status} ${await res.text()}`);
  };
  return [
    { name: 'chain subscription dropped', faults: [], holdMs: 1500, run: async () => session()?.chain?.feed?.dropSocket() },
    { name: 'chain reorg (1 block)', faults: [], holdMs: 2000, run: reorg(1) },
    { name: 'RPC 429', faults: [{ kind: 'http', path: '/rpc', status: 429, retryAfterSec: 1, times: 6 }], holdMs: 3000 },
    { name: 'chain reorg (2 blocks)', faults: [], holdMs: 2000, run: reorg(2) },
    { name: 'RPC 5xx', faults: [{ kind: 'http', path: '/rpc', status: 502, times: 4 }], holdMs: 3000 },
  ];
}

export interface RedeemReport {
  redeems: number;
  redeemDuplicates: number;
  redeemedUsdc: number;
  stillRedeemable: number;
}

/** Resolves the markets, waits for auto-redeem to empty the wallet's redeemable positions, and counts. */
export async function resolveAndRedeem(
  sb: Sandbox,
  session: LiveSession,
  me: string,
  slugs: string[],
  timeoutMs = 90_000,
): Promise<RedeemReport> {
  for (const [i, slug] of slugs.entries()) {
    await fetch(`${sb.urls.admin}/resolve`, { method: 'POST', body: JSON.stringify({ slug, winner: i % 2 }) });
  }
  const deadline = Date.now() + timeoutMs;
  let left = -1;
  // Resolutions reach the chain a block later and the Data API lists them then: wait for a quiet, empty list.
  for (let empty = 0; empty < 3 && Date.now() < deadline;) {
    await new Promise((r) => setTimeout(r, 1500));
    left = (await fetchRedeemable(sb.urls.data, me).catch(() => [1])).length;
    empty = left === 0 ? empty + 1 : 0;
  }
  const rows = await session.recording.query(`SELECT redeem_id, condition_id, payout_micros FROM redeems WHERE ok`);
  const activity = (await (await fetch(`${sb.urls.data}/activity?user=${me}&type=REDEEM&limit=500`)).json()) as { conditionId: string }[];
  const perCondition = new Map<string, number>();
  for (const a of activity) perCondition.set(a.conditionId.toLowerCase(), (perCondition.get(a.conditionId.toLowerCase()) ?? 0) + 1);
  const onChainTwice = [...perCondition.values()].reduce((s, n) => s + Math.max(0, n - 1), 0);
  const bookedTwice = rows.length - new Set(rows.map((r) => String(r.redeem_id))).size;
  const conditionsBookedTwice = rows.length - new Set(rows.map((r) => String(r.condition_id))).size;
  return {
    redeems: rows.length,
    redeemDuplicates: onChainTwice + bookedTwice + conditionsBookedTwice,
    redeemedUsdc: rows.reduce((s, r) => s + Number(r.payout_micros), 0) / 1e6,
    stillRedeemable: left,
  };
}

/** Waits until every match the sandbox made is mined (or failed) on the chain; resolves to the time it took. */
export async function waitForSettlement(sb: Sandbox, timeoutMs = 180_000): Promise<number> {
  const t0 = Date.now();
  while (sb.state.ledger.some((f) => f.settledAtMs === Number.MAX_SAFE_INTEGER) && Date.now() - t0 < timeoutMs) {
    await new Promise((r) => setTimeout(r, 250));
  }
  return Date.now() - t0;
}
