/**
 * The chain half of `npm run chaos -- --chain`: the wallet's approvals before the run, the chain faults
 * in the rotation (a dropped subscription, reorgs, RPC 429/5xx through the sandbox's RPC proxy), and
 * after trading stops the markets resolve; `polytail redeem` processes on the session's data folder are
 * killed in the middle of redeems (scripts/chaos-redeem-kills.ts), then the session's auto-redeem finishes
 * the rest. `resolveAndRedeem` counts what was redeemed and whether anything was redeemed or booked twice,
 * across the session's recording and the `polytail redeem` recording.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Wallet } from 'ethers';
import { planApprovals, readApprovals } from '../src/chain/approvals.ts';
import { RetryingRpcProvider } from '../src/chain/rpc.ts';
import { TxSender } from '../src/chain/tx-sender.ts';
import { fetchRedeemable } from '../src/chain/auto-redeem.ts';
import type { PolytailConfig } from '../src/config/config.ts';
import type { LiveSession } from '../src/modes/live-session.ts';
import type { Sandbox } from '../src/sandbox/index.ts';
import { SANDBOX_TEST_PRIVATE_KEY } from '../src/sandbox/test-key.ts';
import { RecordingStore } from '../src/store/index.ts';
import { killRedeems, type RedeemKill, type RedeemKillMoment } from './chaos-redeem-kills.ts';

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
  /** Redeems booked by the session's auto-redeem and by the killed `polytail redeem` processes. */
  redeemsBy: { session: number; cli: number };
  redeemKills: RedeemKill[];
}

/**
 * Resolves the markets; with auto-redeem paused, kills a `polytail redeem` at each of `killMoments`; then
 * lets auto-redeem empty the wallet's redeemable positions, and counts.
 */
export async function resolveAndRedeem(
  sb: Sandbox,
  session: LiveSession,
  me: string,
  slugs: string[],
  o: { dataDir: string; killMoments: RedeemKillMoment[]; say: (line: string) => void; timeoutMs?: number },
): Promise<RedeemReport> {
  const auto = session.chain?.autoRedeem;
  await auto?.stop();
  for (const [i, slug] of slugs.entries()) {
    await fetch(`${sb.urls.admin}/resolve`, { method: 'POST', body: JSON.stringify({ slug, winner: i % 2 }) });
  }
  const deadline = Date.now() + (o.timeoutMs ?? 120_000);
  // Every market listed as redeemable, and its resolution a few blocks deep, before the kills begin.
  while ((await fetchRedeemable(sb.urls.data, me).catch(() => [])).length < slugs.length && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 500));
  }
  await new Promise((r) => setTimeout(r, 2000)); // four 500 ms blocks
  const redeemKills = await killRedeems({
    sandboxUrl: sb.urls.clob,
    rpcUrl: sb.chain!.rpcUrl,
    dataDir: o.dataDir,
    moments: o.killMoments,
    say: o.say,
  });
  auto?.start();
  let left = -1;
  // Resolutions reach the chain a block later and the Data API lists them then: wait for a quiet, empty list.
  for (let empty = 0; empty < 3 && Date.now() < deadline;) {
    await new Promise((r) => setTimeout(r, 1500));
    left = (await fetchRedeemable(sb.urls.data, me).catch(() => [1])).length;
    empty = left === 0 ? empty + 1 : 0;
  }
  const sessionRows = await session.recording.query(`SELECT redeem_id, condition_id, payout_micros FROM redeems WHERE ok`);
  // What a killed `polytail redeem` booked before it died (its own recording in the same data folder).
  const cliPath = join(o.dataDir, 'sessions', 'redeems.duckdb');
  let cliRows: typeof sessionRows = [];
  if (existsSync(cliPath)) {
    const cli = await RecordingStore.open(cliPath, { readOnly: true });
    cliRows = await cli.query(`SELECT redeem_id, condition_id, payout_micros FROM redeems WHERE ok`).catch(() => []);
    await cli.close();
  }
  const rows = [...sessionRows, ...cliRows];
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
    redeemsBy: { session: sessionRows.length, cli: cliRows.length },
    redeemKills,
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
