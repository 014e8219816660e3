/**
 * Compiles the local chain's Solidity sources (contracts/src) with the `solc` npm package (the WebAssembly
 * compiler, nothing downloaded) into one artifacts file: ABI and creation bytecode per contract. Used by
 * scripts/build-contracts.ts and by the test that checks the committed artifacts are current.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createHash } from 'node:crypto';

export interface ContractArtifact {
  abi: unknown[];
  bytecode: string;
}

export interface ArtifactsFile {
  compiler: string;
  /** sha256 over the sources (name and content, in name order): lets a fast test spot stale artifacts. */
  sourcesSha256: string;
  contracts: Record<string, ContractArtifact>;
}

/** The contracts the sandbox deploys (the others are libraries/interfaces and have no bytecode worth keeping). */
export const DEPLOYED = [
  'Collateral',
  'ConditionalTokens',
  'NegRiskAdapter',
  'WrappedCollateral',
  'Exchange',
  'SandboxSafe',
  'SandboxMultiSend',
  'SandboxProxyWallet',
  'SandboxProxyFactory',
  'SandboxRelayHub',
] as const;

export function readSources(sourceDir: string): Record<string, { content: string }> {
  const sources: Record<string, { content: string }> = {};
  for (const f of readdirSync(sourceDir).sort()) {
    if (f.endsWith('.sol')) sources[f] = { content: readFileSync(join(sourceDir, f), 'utf8') };
  }
  return sources;
}

export function sourcesHash(sources: Record<string, { content: string }>): string {
  const h = createHash('sha256');
  for (const [name, { content }] of Object.entries(sources)) h.update(`${name}\0${content}\0`);
  return h.digest('hex');
}

export function compileContracts(sourceDir: string): ArtifactsFile {
  const require = createRequire(import.meta.url);
  const solc = require('solc') as { compile(input: string): string; version(): string };
  const sources = readSources(sourceDir);
  const input = {
    language: 'Solidity',
    sources,
    settings: {
      optimizer: { enabled: true, runs: 200 },
      evmVersion: 'cancun',
      // No metadata hash: the bytecode then depends only on the sources, not on file paths or comments' IPFS hash.
      metadata: { bytecodeHash: 'none', appendCBOR: false },
      outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
    },
  };
  const out = JSON.parse(solc.compile(JSON.stringify(input))) as {
    errors?: { severity: string; formattedMessage: string }[];
    contracts: Record<string, Record<string, { abi: unknown[]; evm: { bytecode: { object: string } } }>>;
  };
  const errors = (out.errors ?? []).filter((e) => e.severity === 'error');
  if (errors.length > 0) throw new Error(`solc failed:\n${errors.map((e) => e.formattedMessage).join('\n')}`);
  const contracts: Record<string, ContractArtifact> = {};
  for (const file of Object.keys(out.contracts).sort()) {
    for (const [name, c] of Object.entries(out.contracts[file]!)) {
      if ((DEPLOYED as readonly string[]).includes(name)) contracts[name] = { abi: c.abi, bytecode: '0x' + c.evm.bytecode.object };
    }
  }
  return { compiler: solc.version(), sourcesSha256: sourcesHash(sources), contracts };
}
