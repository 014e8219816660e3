/** The compiled local-chain contracts (contracts/artifacts.json, rebuilt by scripts/build-contracts.ts). */
import { readFileSync } from 'node:fs';
import { ContractFactory, utils } from 'ethers';

interface Artifact {
  abi: unknown[];
  bytecode: string;
}

type Name =
  | 'Collateral'
  | 'ConditionalTokens'
  | 'NegRiskAdapter'
  | 'WrappedCollateral'
  | 'Exchange'
  | 'SandboxSafe'
  | 'SandboxMultiSend'
  | 'SandboxProxyWallet'
  | 'SandboxProxyFactory'
  | 'SandboxRelayHub';

let cache: Record<string, Artifact> | undefined;

function load(): Record<string, Artifact> {
  cache ??= (
    JSON.parse(readFileSync(new URL('../../../contracts/artifacts.json', import.meta.url), 'utf8')) as {
      contracts: Record<string, Artifact>;
    }
  ).contracts;
  return cache;
}

export function artifact(name: Name): Artifact {
  const a = load()[name];
  if (!a) throw new Error(`contracts/artifacts.json has no ${name}: run node --import tsx scripts/build-contracts.ts`);
  return a;
}

export function iface(name: Name): utils.Interface {
  return new utils.Interface(artifact(name).abi as string[]);
}

/** Creation code with constructor arguments appended. */
export function deployData(name: Name, ...args: unknown[]): string {
  const a = artifact(name);
  const f = new ContractFactory(a.abi as string[], a.bytecode);
  return f.getDeployTransaction(...args).data as string;
}
