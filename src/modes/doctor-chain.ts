/**
 * Doctor's chain checks: the RPC answers for the right chain, the wallet's collateral and gas token,
 * every approval the exchanges and the neg-risk adapter need, each with its fix (`polytail approve`), and
 * for proxy/Safe wallets Polymarket's relayer (reachable, builder credentials accepted, Safe deployed). A
 * proxy wallet on 80002 works only against the sandbox's relayer (its own factory); elsewhere on 80002
 * openRelay's reason says Polymarket has proxy wallets on 137 only.
 */
import { utils } from 'ethers';
import { describeAllowance, readApprovals } from '../chain/approvals.ts';
import { readBalances } from '../chain/balances.ts';
import { RetryingRpcProvider } from '../chain/rpc.ts';
import { redactedMessage } from '../core/redact.ts';
import type { PolytailConfig } from '../config/config.ts';
import type { LiveAccount } from '../wallet/index.ts';
import type { DoctorCheck } from './doctor.ts';
import { type ChainSettings, resolveChain } from './session-chain.ts';
import { openRelay } from './relayer-wallet.ts';

/** Gas for a few redeems and approvals on Polygon; below it doctor warns. */
const MIN_GAS_WEI = utils.parseEther('0.1').toBigInt();

export async function checkChain(
  config: PolytailConfig,
  account: LiveAccount,
  sandboxUrl: string | undefined,
  add: (c: DoctorCheck) => boolean,
  env: NodeJS.ProcessEnv = {},
): Promise<void> {
  const settings = await resolveChain(config, sandboxUrl).catch(() => undefined);
  // No chain configured: balances and allowances come from the CLOB alone, as without this section.
  if (!settings) return;
  const provider = new RetryingRpcProvider(settings.rpcUrl, settings.chainId, { attempts: 2, baseDelayMs: 200, maxDelayMs: 1000 });
  let head: number;
  try {
    const served = Number(await provider.send('eth_chainId', []));
    head = await provider.getBlockNumber();
    if (served !== settings.chainId) {
      add({
        name: 'chain',
        ok: false,
        detail: `${settings.rpcUrl} serves chain ${served}, not ${settings.chainId}`,
        fix: 'point chain.rpcUrl (POLYTAIL_RPC_URL) at a Polygon RPC, or set chain.chainId',
      });
      return;
    }
  } catch (err) {
    add({
      name: 'chain',
      ok: false,
      detail: `cannot reach the RPC at ${settings.rpcUrl}: ${redactedMessage(err)}`,
      fix: 'check POLYTAIL_RPC_URL / chain.rpcUrl (an HTTP JSON-RPC URL of a Polygon provider)',
    });
    return;
  }
  add({
    name: 'chain',
    ok: true,
    detail: `chain ${settings.chainId} at block ${head}${settings.wsUrl ? '; WebSocket set' : '; no WebSocket: the chain feed polls'}`,
  });
  const holder = account.funderAddress;
  // The EOA pays gas for its own transactions; proxy and Safe wallets go through the relayer, which pays.
  const payer = account.signatureType === 0 ? account.address : undefined;
  const bal = await readBalances(provider, settings.contracts, holder, payer ?? holder);
  add({ name: 'pUSD on chain', ok: true, detail: `$${(bal.collateralMicros / 1e6).toFixed(2)} at ${holder}` });
  if (payer) {
    const enough = bal.gasWei >= MIN_GAS_WEI;
    add({
      name: 'gas (POL)',
      ok: enough,
      detail: `${utils.formatEther(bal.gasWei.toString())} POL at ${payer}`,
      fix: enough ? undefined : `send at least 0.1 POL to ${payer}: approvals and redeems are paid in POL`,
    });
  }
  if (!payer && account.signatureType !== 3) await checkRelayer(account, settings, provider, env, add);
  for (const s of await readApprovals(provider, settings.contracts, holder)) {
    const ok = s.collateralAllowance > 0n && s.outcomeTokensApproved;
    add({
      name: `approval ${s.spenderName}`,
      ok,
      detail: `pUSD allowance ${describeAllowance(s.collateralAllowance)}; outcome tokens ${s.outcomeTokensApproved ? 'approved' : 'not approved'} (${s.spender})`,
      fix: ok
        ? undefined
        : payer || settings.relayerUrl
          ? 'run polytail approve'
          : 'enable trading once on polymarket.com, or set chain.relayerUrl and builder credentials and run polytail approve',
    });
  }
}

/** Proxy/Safe wallets: the relayer answers, accepts the builder credentials, and (Safe) the wallet exists. */
async function checkRelayer(
  account: LiveAccount,
  settings: ChainSettings,
  provider: RetryingRpcProvider,
  env: NodeJS.ProcessEnv,
  add: (c: DoctorCheck) => boolean,
): Promise<void> {
  const opened = openRelay(account, settings, provider, env);
  if ('reason' in opened) {
    add({ name: 'relayer', ok: false, detail: opened.reason, fix: 'approve and redeem on polymarket.com until then' });
    return;
  }
  try {
    const mine = await opened.relay.list(); // an authed call: a bad builder credential fails here
    const deployed = await opened.relay.deployed();
    // A proxy wallet needs no deployment step: Polymarket's factory creates it in its first relayed call.
    const firstCall =
      opened.relay.kind === 'proxy' && (await provider.getCode(opened.wallet)) === '0x' ? ' (created by its first relayed call)' : '';
    add({
      name: 'relayer',
      ok: deployed,
      detail: `${settings.relayerUrl}: builder credentials accepted (${mine.length} transaction(s) on record); ${opened.relay.kind} wallet ${opened.wallet}${deployed ? firstCall : ' not deployed'}`,
      fix: deployed ? undefined : 'run polytail approve (it deploys the Safe through the relayer first)',
    });
  } catch (err) {
    add({
      name: 'relayer',
      ok: false,
      detail: `${settings.relayerUrl}: ${redactedMessage(err)}`,
      fix: 'check chain.relayerUrl and POLYTAIL_BUILDER_API_KEY / _SECRET / _PASSPHRASE',
    });
  }
}
