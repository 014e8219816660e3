/**
 * The committed contract artifacts match the Solidity sources. The fast check compares the sources' hash
 * recorded at build time; the full recompile (about 15–25 s of solc WebAssembly) runs when
 * POLYTAIL_CHECK_CONTRACT_BUILD=1, and compares ABI and bytecode byte for byte.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type ArtifactsFile, compileContracts, readSources, sourcesHash } from '../../helpers/compile-contracts.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const committed = JSON.parse(readFileSync(`${root}contracts/artifacts.json`, 'utf8')) as ArtifactsFile;

describe('contract artifacts', () => {
  it('were built from the current sources (else run: node --import tsx scripts/build-contracts.ts)', () => {
    expect(committed.sourcesSha256).toBe(sourcesHash(readSources(`${root}contracts/src`)));
    for (const name of ['Collateral', 'ConditionalTokens', 'NegRiskAdapter', 'Exchange', 'SandboxSafe', 'SandboxMultiSend']) {
      expect(committed.contracts[name]?.bytecode).toMatch(/^0x[0-9a-f]{200,}$/);
    }
  });

  it.runIf(process.env.POLYTAIL_CHECK_CONTRACT_BUILD === '1')(
    'recompile to the same ABI and bytecode',
    () => {
      expect(compileContracts(`${root}contracts/src`)).toEqual(committed);
    },
    120_000,
  );
});
