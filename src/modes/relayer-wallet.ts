/**
 * A proxy (signature type 1) or Safe (type 2) wallet on chain: Polymarket's relayer moves it, with the
 * builder credentials from POLYTAIL_BUILDER_API_KEY / _SECRET / _PASSPHRASE (environment only, never the
 * config file, never logged). Against a loopback relayer (the sandbox's) its public sandbox credentials
 * stand in when none are set. The wallet the client derives from the key must be the configured funder:
 * otherwise the relayer would act for a wallet that does not hold the positions.
 */
import { Wallet, type providers } from 'ethers';
import { type BuilderCreds, RelaySender } from '../chain/relay-sender.ts';
import type { LiveAccount } from '../wallet/index.ts';
import { SANDBOX_BUILDER_CREDS } from '../sandbox/relayer/builder-creds.ts';
import { SANDBOX_PROXY_CONTRACTS } from '../sandbox/relayer/proxy-contracts.ts';
import type { ChainSettings } from './session-chain.ts';

export const BUILDER_ENV = {
  key: 'POLYTAIL_BUILDER_API_KEY',
  secret: 'POLYTAIL_BUILDER_SECRET',
  passphrase: 'POLYTAIL_BUILDER_PASSPHRASE',
};

const LOOPBACK = /^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(\/|$)/;

export function builderCreds(env: NodeJS.ProcessEnv, relayerUrl: string): BuilderCreds | undefined {
  const key = env[BUILDER_ENV.key]?.trim();
  const secret = env[BUILDER_ENV.secret]?.trim();
  const passphrase = env[BUILDER_ENV.passphrase]?.trim();
  if (key && secret && passphrase) return { key, secret, passphrase };
  return LOOPBACK.test(relayerUrl) ? { ...SANDBOX_BUILDER_CREDS } : undefined;
}

/** Chain ids where Polymarket's relayer client has no proxy factory: only the sandbox's can stand in there. */
const NO_PROXY_FACTORY = [80002];

/**
 * The proxy factory and relay hub for the client, when it must not use its own table: a loopback relayer
 * (the sandbox's) on a chain where Polymarket has none. Everywhere else, Polymarket's real table (the
 * client's) is used as is, so a real relayer never sees a sandbox address.
 */
export function proxyContractsFor(relayerUrl: string, chainId: number): typeof SANDBOX_PROXY_CONTRACTS | undefined {
  return LOOPBACK.test(relayerUrl) && NO_PROXY_FACTORY.includes(chainId) ? SANDBOX_PROXY_CONTRACTS : undefined;
}

export type RelayOpen = { relay: RelaySender; wallet: string } | { reason: string };

/** The relayer sender for the account, or why there is none, in words a person can act on. */
export function openRelay(
  account: LiveAccount,
  settings: ChainSettings,
  provider: providers.Provider,
  env: NodeJS.ProcessEnv,
  pollMs?: number,
): RelayOpen {
  if (account.signatureType === 3)
    return { reason: 'deposit wallets (signature type 3) cannot act on chain from polytail yet: do it on polymarket.com' };
  const kind = account.signatureType === 1 ? 'proxy' : 'safe';
  if (!settings.relayerUrl)
    return {
      reason: `${kind} wallets (signature type ${account.signatureType}) act on chain through Polymarket's relayer: set chain.relayerUrl (https://relayer-v2.polymarket.com) and ${BUILDER_ENV.key}, ${BUILDER_ENV.secret}, ${BUILDER_ENV.passphrase}`,
    };
  const creds = builderCreds(env, settings.relayerUrl);
  if (!creds)
    return {
      reason: `the relayer needs builder credentials: set ${BUILDER_ENV.key}, ${BUILDER_ENV.secret} and ${BUILDER_ENV.passphrase} (polymarket.com → builder settings)`,
    };
  const proxyContracts = kind === 'proxy' ? proxyContractsFor(settings.relayerUrl, settings.chainId) : undefined;
  try {
    const relay = new RelaySender({
      relayerUrl: settings.relayerUrl,
      chainId: settings.chainId,
      rpcUrl: settings.rpcUrl,
      signer: new Wallet(account.signer.privateKey, provider),
      creds,
      kind,
      ...(pollMs ? { pollMs } : {}),
      ...(proxyContracts ? { proxyContracts } : {}),
    });
    const wallet = relay.wallet();
    if (wallet.toLowerCase() !== account.funderAddress.toLowerCase())
      return {
        reason: `the ${kind} wallet of ${account.address} is ${wallet}, not the configured funder ${account.funderAddress}: fix live.funderAddress (POLYTAIL_FUNDER_ADDRESS)`,
      };
    return { relay, wallet };
  } catch (err) {
    const proxyHint =
      kind === 'proxy' && NO_PROXY_FACTORY.includes(settings.chainId)
        ? ' (Polymarket has proxy wallets on Polygon, chain 137, only; the sandbox relayer emulates them on 80002)'
        : '';
    return { reason: `Polymarket's relayer client cannot act on chain ${settings.chainId}: ${(err as Error).message}${proxyHint}` };
  }
}
