/** Proxy (type 1) and Safe (type 2) wallets act on chain through Polymarket's relayer (src/chain/relayer.ts). */
import type { providers } from 'ethers';
import type { RelayerPort } from '../chain/redeemer.ts';
import type { FeedLog } from '../feeds/feed.ts';
import type { LiveAccount } from '../wallet/live-account.ts';
import type { ChainSettings } from './session-chain.ts';

export function buildRelayer(
  account: LiveAccount,
  settings: ChainSettings,
  provider: providers.Provider,
  log: FeedLog,
): RelayerPort | undefined {
  void account;
  void provider;
  void log;
  if (!settings.relayerUrl) return undefined;
  return undefined;
}
