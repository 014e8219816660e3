/**
 * The proxy side of the sandbox relayer on the local chain: SandboxProxyFactory and SandboxRelayHub at
 * the sandbox-only addresses the client is given (proxy-contracts.ts), and each owner's
 * SandboxProxyWallet placed (anvil_setCode, factory in slot 0) at the address the client derives,
 * CREATE2(factory, keccak256(abi.encodePacked(owner)), PROXY_INIT_CODE_HASH) as in its
 * dist/builder/derive.js, because the real wallet's init code is not reproducible here.
 */
import { Contract, type providers, utils } from 'ethers';
import type { OperatorSender } from '../chain/operator.ts';
import { artifact, deployData } from '../chain/artifacts.ts';
import { PROXY_INIT_CODE_HASH, SANDBOX_PROXY_CONTRACTS } from './proxy-contracts.ts';

export function proxyAddressOf(owner: string): string {
  const salt = utils.keccak256(utils.solidityPack(['address'], [owner]));
  return utils.getCreate2Address(SANDBOX_PROXY_CONTRACTS.ProxyFactory, salt, PROXY_INIT_CODE_HASH);
}

export class ProxyWallets {
  private constructor(
    private readonly provider: providers.JsonRpcProvider,
    private readonly walletCode: string,
  ) {}

  /** Deploys templates to copy runtime code from; places the factory (hub in slot 0) and the hub. */
  static async install(op: OperatorSender): Promise<ProxyWallets> {
    const code = async (name: 'SandboxProxyWallet' | 'SandboxProxyFactory' | 'SandboxRelayHub') =>
      (await op.provider.send('eth_getCode', [await op.deploy(deployData(name)), 'latest'])) as string;
    const { ProxyFactory, RelayHub } = SANDBOX_PROXY_CONTRACTS;
    await op.provider.send('anvil_setCode', [ProxyFactory, await code('SandboxProxyFactory')]);
    await op.provider.send('anvil_setStorageAt', [ProxyFactory, utils.hexZeroPad('0x0', 32), utils.hexZeroPad(RelayHub, 32)]);
    await op.provider.send('anvil_setCode', [RelayHub, await code('SandboxRelayHub')]);
    return new ProxyWallets(op.provider, await code('SandboxProxyWallet'));
  }

  async placed(wallet: string): Promise<boolean> {
    return ((await this.provider.send('eth_getCode', [wallet, 'latest'])) as string) !== '0x';
  }

  /** What the real factory does on an owner's first call: the wallet appears at its derived address. */
  async place(owner: string): Promise<string> {
    const wallet = proxyAddressOf(owner);
    if (await this.placed(wallet)) return wallet;
    await this.provider.send('anvil_setCode', [wallet, this.walletCode]);
    const factory = utils.hexZeroPad(SANDBOX_PROXY_CONTRACTS.ProxyFactory, 32);
    await this.provider.send('anvil_setStorageAt', [wallet, utils.hexZeroPad('0x0', 32), factory]);
    return wallet;
  }

  /** The hub's next nonce for an owner (on chain). */
  async nonce(owner: string): Promise<number> {
    const hub = new Contract(SANDBOX_PROXY_CONTRACTS.RelayHub, artifact('SandboxRelayHub').abi as string[], this.provider);
    return ((await hub.getNonce(owner)) as { toNumber(): number }).toNumber();
  }
}
