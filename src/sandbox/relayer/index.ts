/** The sandbox relayer: started with the local chain when it runs as a chain id the relayer client accepts. */
import type { SandboxChain } from '../chain/sandbox-chain.ts';
import { SandboxRelayer } from './relayer.ts';
import { ProxyWallets } from './proxy-wallets.ts';
import { SafeWallets } from './safe-wallets.ts';

export { SandboxRelayer } from './relayer.ts';
export { SANDBOX_BUILDER_CREDS } from './builder-creds.ts';
export { safeAddressOf } from './safe-wallets.ts';
export { proxyAddressOf } from './proxy-wallets.ts';
export { SANDBOX_PROXY_CONTRACTS } from './proxy-contracts.ts';
export { registerRelayer } from './routes.ts';

/** @polymarket/builder-relayer-client 0.0.10 throws "Invalid network" for any other chain id. */
export const RELAYER_CHAIN_IDS = [137, 80002];

export async function startSandboxRelayer(chain: SandboxChain, log?: (msg: string) => void): Promise<SandboxRelayer | undefined> {
  if (!RELAYER_CHAIN_IDS.includes(chain.node.chainId)) return undefined;
  const safes = await SafeWallets.install(chain.op);
  return new SandboxRelayer(chain.op, safes, await ProxyWallets.install(chain.op), chain.node.chainId, log);
}
