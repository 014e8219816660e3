/**
 * `polytail approve`: reads which approvals the wallet lacks (collateral `approve` and outcome-token
 * `setApprovalForAll` for the exchange, the neg-risk exchange and the neg-risk adapter), shows the
 * transactions it would send, asks, sends them one nonce at a time under the fee cap, then asks the CLOB
 * to re-read balances and allowances (`/balance-allowance/update`).
 */
import { describeAllowance, planApprovals, readApprovals, type ApprovalStatus } from '../chain/approvals.ts';
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
  } else if (!w.sender) {
    o.print(`${plan.length} approval(s) missing; ${noSenderReason(w.account, 'approve')}`);
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
