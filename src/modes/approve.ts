/**
 * `polytail approve`: reads which approvals the wallet lacks (collateral `approve` and outcome-token
 * `setApprovalForAll` for the exchange, the neg-risk exchange and the neg-risk adapter), shows the
 * transactions it would send, asks, sends them one nonce at a time under the fee cap (a proxy or Safe
 * wallet: one transaction through Polymarket's relayer), then asks the CLOB
 * to re-read balances and allowances (`/balance-allowance/update`).
 */
import { describeAllowance, planApprovals, readApprovals, type ApprovalStatus, type PlannedTx } from '../chain/approvals.ts';
import { RELAYER_DONE, type RelaySender } from '../chain/relay-sender.ts';
import { readBalances } from '../chain/balances.ts';
import { redactedMessage } from '../core/redact.ts';
import { ClobApi, createClobClient } from '../exec/clob/clob-api.ts';
import { loadApiCreds } from '../wallet/index.ts';
import { noSenderReason, openChainWallet, type ChainWalletOptions } from './chain-wallet.ts';
import { utils } from 'ethers';

export interface ApproveOptions extends ChainWalletOptions {
  /** Asked before anything is sent; `yes` skips it. */
  confirm: (question: string) => Promise<boolean>;
  yes?: boolean;
  print: (line: string) => void;
}

export interface ApproveResult {
  exitCode: 0 | 1;
  /** Transactions sent and mined, with their hashes. */
  sent: { description: string; hash: string; ok: boolean }[];
  /** Approvals still missing at the end. */
  missing: number;
}

export function formatApprovals(status: ApprovalStatus[]): string[] {
  return status.map(
    (s) =>
      `  ${s.spenderName.padEnd(18)} ${s.spender}  pUSD allowance ${describeAllowance(s.collateralAllowance)}; outcome tokens ${s.outcomeTokensApproved ? 'approved' : 'NOT approved'}`,
  );
}

export async function runApprove(o: ApproveOptions): Promise<ApproveResult> {
  const w = await openChainWallet(o);
  const holder = w.account.funderAddress;
  const c = w.settings.contracts;
  const bal = await readBalances(w.provider, c, holder, w.account.address);
  o.print(`wallet ${holder} on chain ${w.settings.chainId} (${w.settings.rpcUrl})`);
  o.print(`  pUSD ${(bal.collateralMicros / 1e6).toFixed(2)}; gas ${utils.formatEther(bal.gasWei.toString())} POL at ${w.account.address}`);
  const status = await readApprovals(w.provider, c, holder);
  o.print('approvals now:');
  for (const line of formatApprovals(status)) o.print(line);
  const plan = planApprovals(c, status);
  const sent: ApproveResult['sent'] = [];
  if (plan.length === 0) {
    o.print('every approval is in place: nothing to send');
  } else if (w.relay) {
    if (!(await approveViaRelay(o, w.relay, plan, sent))) return { exitCode: 1, sent, missing: plan.length };
  } else if (!w.sender) {
    o.print(`${plan.length} approval(s) missing; ${noSenderReason(w)}`);
    return { exitCode: 1, sent, missing: plan.length };
  } else {
    o.print(`polytail would send ${plan.length} transaction(s) from ${w.sender.address} (max fee ${w.settings.maxFeeGwei} gwei each):`);
    plan.forEach((tx, i) => o.print(`  ${i + 1}. ${tx.description} → ${tx.to}`));
    if (!o.yes && !(await o.confirm(`send these ${plan.length} transaction(s)?`))) {
      o.print('nothing sent');
      return { exitCode: 1, sent, missing: plan.length };
    }
    for (const tx of plan) {
      try {
        const r = await w.sender.send(tx);
        sent.push({ description: tx.description, hash: r.transactionHash, ok: r.status === 1 });
        o.print(`  ${r.status === 1 ? '✓' : '✗ reverted'} ${tx.description}: ${r.transactionHash}`);
      } catch (err) {
        o.print(`  ✗ ${tx.description}: ${redactedMessage(err)}`);
        break;
      }
    }
  }
  const after = planApprovals(c, await readApprovals(w.provider, c, holder));
  await refreshClob(o, w, sent.length > 0);
  o.print(
    after.length === 0 ? 'ready: every approval is in place' : `${after.length} approval(s) still missing: run polytail approve again`,
  );
  return { exitCode: after.length === 0 ? 0 : 1, sent, missing: after.length };
}

/**
 * A proxy/Safe wallet: every missing approval in one relayer transaction (a Safe batches them through
 * MultiSend), the relayer paying the gas; a Safe not yet on chain is deployed through the relayer first.
 */
async function approveViaRelay(o: ApproveOptions, relay: RelaySender, plan: PlannedTx[], sent: ApproveResult['sent']): Promise<boolean> {
  o.print(`polytail would submit ${plan.length} call(s) from ${relay.wallet()} as one relayer transaction (the relayer pays the gas):`);
  plan.forEach((tx, i) => o.print(`  ${i + 1}. ${tx.description} → ${tx.to}`));
  if (!o.yes && !(await o.confirm(`submit these ${plan.length} call(s) through Polymarket's relayer?`))) {
    o.print('nothing sent');
    return false;
  }
  try {
    if (!(await relay.deployed())) {
      const d = await relay.deploy();
      const ok = RELAYER_DONE.includes(d.state);
      sent.push({ description: 'deploy the Safe', hash: d.transactionHash, ok });
      o.print(`  ${ok ? '✓' : '✗'} deployed the Safe through the relayer: ${d.transactionHash}`);
      if (!ok) return true;
    }
    const sub = await relay.submit(plan);
    const t = await relay.wait(sub.transactionID);
    const ok = RELAYER_DONE.includes(t.state);
    sent.push({ description: `${plan.length} approval(s), relayer transaction ${sub.transactionID}`, hash: t.transactionHash, ok });
    o.print(`  ${ok ? '✓' : `✗ ${t.state}`} ${plan.length} approval(s) in relayer transaction ${sub.transactionID}: ${t.transactionHash}`);
  } catch (err) {
    o.print(`  ✗ relayer: ${redactedMessage(err)}`);
  }
  return true;
}

/** The CLOB caches allowances: ask it to re-read them from the chain (failing here is a warning, not an error). */
async function refreshClob(o: ApproveOptions, w: Awaited<ReturnType<typeof openChainWallet>>, changed: boolean): Promise<void> {
  if (!changed) return;
  try {
    const { creds } = await loadApiCreds(w.account);
    await new ClobApi(createClobClient(w.account, creds), 15_000).refreshBalance();
    o.print('the CLOB re-read balance and allowances (/balance-allowance/update)');
  } catch (err) {
    o.print(`warning: the CLOB did not re-read the allowances (${redactedMessage(err)}); it will within minutes, or run polytail doctor`);
  }
}
