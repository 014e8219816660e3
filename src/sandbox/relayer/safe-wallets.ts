/**
 * The Safe side of the sandbox relayer on the local chain. Polymarket's relayer client derives a wallet's
 * Safe by CREATE2 from the Safe factory, with the real Gnosis Safe proxy's init-code hash; no contract of
 * this project has that init code, so the sandbox places its own SandboxSafe's runtime code at the derived
 * address (anvil_setCode) with the owner in slot 0, and SandboxMultiSend's at the client's MultiSend
 * address. Addresses and hashes below are the ones in @polymarket/builder-relayer-client 0.0.10
 * (dist/config, dist/constants), the same for chain ids 137 and 80002.
 */
import { Contract, type providers, utils } from 'ethers';
import type { OperatorSender } from '../chain/operator.ts';
import { artifact, deployData } from '../chain/artifacts.ts';

export const SAFE_FACTORY = '0xaacFeEa03eb1561C4e67d661e40682Bd20E3541b';
export const SAFE_MULTISEND = '0xA238CBeb142c10Ef7Ad8442C6D1f9E89e07e7761';
export const SAFE_INIT_CODE_HASH = '0x2bce2127ff07fb632d16c8347c4ebf501f4841168bed00d9e6ef715ddb6fcecf';
export const SAFE_FACTORY_NAME = 'Polymarket Contract Proxy Factory';

/** The Safe the client derives for an owner: CREATE2(factory, keccak256(abi.encode(owner)), init-code hash). */
export function safeAddressOf(owner: string): string {
  const salt = utils.keccak256(utils.defaultAbiCoder.encode(['address'], [owner]));
  return utils.getCreate2Address(SAFE_FACTORY, salt, SAFE_INIT_CODE_HASH);
}

export class SafeWallets {
  private constructor(
    private readonly provider: providers.JsonRpcProvider,
    private readonly safeCode: string,
  ) {}

  /** Deploys a SandboxSafe to copy its runtime code from, and puts SandboxMultiSend at the client's address. */
  static async install(op: OperatorSender): Promise<SafeWallets> {
    const template = await op.deploy(deployData('SandboxSafe'));
    const multisend = await op.deploy(deployData('SandboxMultiSend'));
    const code = (name: string) => op.provider.send('eth_getCode', [name, 'latest']) as Promise<string>;
    await op.provider.send('anvil_setCode', [SAFE_MULTISEND, await code(multisend)]);
    return new SafeWallets(op.provider, await code(template));
  }

  async deployed(address: string): Promise<boolean> {
    return ((await this.provider.send('eth_getCode', [address, 'latest'])) as string) !== '0x';
  }

  /** Places the owner's Safe at its derived address (what the real factory's createProxy would deploy). */
  async create(owner: string): Promise<string> {
    const safe = safeAddressOf(owner);
    await this.provider.send('anvil_setCode', [safe, this.safeCode]);
    await this.provider.send('anvil_setStorageAt', [safe, utils.hexZeroPad('0x0', 32), utils.hexZeroPad(owner, 32)]);
    return safe;
  }

  async nonce(safe: string): Promise<number> {
    if (!(await this.deployed(safe))) return 0;
    const c = new Contract(safe, artifact('SandboxSafe').abi as string[], this.provider);
    return ((await c.nonce()) as { toNumber(): number }).toNumber();
  }

  async owner(safe: string): Promise<string> {
    const word = (await this.provider.send('eth_getStorageAt', [safe, '0x0', 'latest'])) as string;
    return utils.getAddress(utils.hexDataSlice(word, 12));
  }
}
