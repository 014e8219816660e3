/**
 * The wallet on chain, for `polytail approve`, `polytail redeem` and doctor: the live account (key,
 * funder, signature type), where the chain is (config `chain` / POLYTAIL_RPC_URL, or a sandbox's own
 * chain) and a JSON-RPC provider with backoff. An EOA (signature type 0) sends its own transactions;
 * proxy and Safe wallets act on chain through Polymarket's relayer (chain.relayerUrl, builder credentials).
 */
import { Wallet } from 'ethers';
import { ConfigError } from '../core/errors.ts';
import { loadConfig, type PolytailConfig } from '../config/config.ts';
import { RetryingRpcProvider } from '../chain/rpc.ts';
import { TxSender } from '../chain/tx-sender.ts';
import type { RelaySender } from '../chain/relay-sender.ts';
import { openRelay } from './relayer-wallet.ts';
import { isLoopback, type PolymarketHosts } from '../polymarket/hosts.ts';
import { SANDBOX_TEST_PRIVATE_KEY } from '../sandbox/test-key.ts';
import { loadAccount, PRIVATE_KEY_ENV, type LiveAccount } from '../wallet/index.ts';
import { envWithKey } from '../wallet/keystore.ts';
import { resolveChain, type ChainSettings } from './session-chain.ts';
import { resolveHosts } from './session-hosts.ts';

export interface ChainWallet {
  config: PolytailConfig;
  hosts: PolymarketHosts;
  account: LiveAccount;
  settings: ChainSettings;
  provider: RetryingRpcProvider;
  /** The EOA's own sender; undefined for proxy/Safe/deposit wallets (they act through the relayer). */
  sender?: TxSender;
  /** Proxy and Safe wallets: Polymarket's relayer, when configured (else `noRelay` says what is missing). */
  relay?: RelaySender;
  noRelay?: string;
}

export interface ChainWalletOptions {
  configPath?: string;
  env: NodeJS.ProcessEnv;
  /** A sandbox started with `polytail sandbox --chain`: every host and the chain come from it. */
  sandboxUrl?: string;
  dataDir?: string;
  /** Asks for the keystore passphrase when the key is not in the environment (a terminal). */
  prompt?: (question: string) => Promise<string>;
  /** Receipt polling (tests use a fast one). */
  pollMs?: number;
}

export async function openChainWallet(o: ChainWalletOptions): Promise<ChainWallet> {
  let config = loadConfig(o.configPath, o.env);
  if (o.dataDir) config = { ...config, dataDir: o.dataDir };
  const hosts = resolveHosts(config, o.sandboxUrl);
  config = { ...config, hosts: { ...config.hosts, ...hosts } };
  const settings = await resolveChain(config, o.sandboxUrl);
  if (!settings) {
    throw new ConfigError(
      o.sandboxUrl
        ? `the sandbox at ${o.sandboxUrl} runs without a chain: start it with \`polytail sandbox --chain\``
        : 'no chain configured: set POLYTAIL_RPC_URL (a Polygon HTTP JSON-RPC URL) or chain.rpcUrl in the config (docs/live.md, "The chain")',
    );
  }
  // The key: the environment, else the data dir's keystore; against the sandbox only, its public test key.
  let env = (await envWithKey(config.dataDir, { env: o.env, prompt: o.prompt })).env;
  if (!env[PRIVATE_KEY_ENV] && isLoopback(hosts)) env = { ...env, [PRIVATE_KEY_ENV]: SANDBOX_TEST_PRIVATE_KEY };
  const account = loadAccount(env, config);
  const provider = new RetryingRpcProvider(settings.rpcUrl, settings.chainId);
  if (o.pollMs) provider.pollingInterval = o.pollMs;
  const served = Number(await provider.send('eth_chainId', []));
  if (served !== settings.chainId) {
    throw new ConfigError(
      `the RPC at ${settings.rpcUrl} serves chain ${served}, not ${settings.chainId}: point chain.rpcUrl at Polygon (137) or set chain.chainId`,
    );
  }
  const sender =
    account.signatureType === 0
      ? new TxSender(new Wallet(account.signer.privateKey, provider), provider, {
          maxFeeGwei: settings.maxFeeGwei,
          priorityFeeGwei: settings.priorityFeeGwei,
          ...(o.pollMs ? { pollMs: o.pollMs } : {}),
        })
      : undefined;
  const opened = account.signatureType === 0 ? undefined : openRelay(account, settings, provider, o.env, o.pollMs);
  const relay = opened && 'relay' in opened ? opened.relay : undefined;
  const noRelay = opened && 'reason' in opened ? opened.reason : undefined;
  return { config, hosts, account, settings, provider, sender, ...(relay ? { relay } : {}), ...(noRelay ? { noRelay } : {}) };
}

/** Why a wallet can neither send its own transactions nor use the relayer, in words a person can act on. */
export function noSenderReason(w: ChainWallet): string {
  return w.noRelay ?? `signature type ${w.account.signatureType} cannot act on chain from polytail`;
}
