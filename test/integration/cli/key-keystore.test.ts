/**
 * `polytail key import` writes a keystore (ethers' default scrypt strength) from the key in the
 * environment; `key address` reads its address without the passphrase; doctor unlocks it and says
 * where the key came from, and a wrong passphrase is reported without the key or passphrase.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDoctorCommand } from '../../../src/cli/commands/doctor.ts';
import { startSandbox, type Sandbox } from '../../../src/sandbox/index.ts';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '../../../bin/polytail');
// Hardhat account #1: a publicly known test key.
const KEY = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d';
const PASS = 'a long sandbox passphrase';

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox({ port: 0, scenario: { markets: [{ slug: 'm' }] }, synthetic: false });
});
afterAll(() => sb?.stop());

describe('polytail key and the keystore', () => {
  it('imports, shows the address, and doctor unlocks it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'polytail-key-'));
    const env = { ...process.env, POLYTAIL_PRIVATE_KEY: KEY, POLYTAIL_KEYSTORE_PASSPHRASE: PASS };
    const imported = await run(process.execPath, [BIN, 'key', 'import', '--data-dir', dataDir], { env });
    const address = new Wallet(KEY).address;
    expect(imported.stdout).toContain(`for ${address}`);
    expect(imported.stdout + imported.stderr).not.toContain(KEY.slice(2));
    expect(imported.stdout + imported.stderr).not.toContain(PASS);
    expect(statSync(join(dataDir, 'keystore.json')).mode & 0o777).toBe(0o600);
    const again = await run(process.execPath, [BIN, 'key', 'import', '--data-dir', dataDir], { env }).catch((e: { stderr: string }) => e);
    expect((again as { stderr: string }).stderr).toMatch(/exists: pass --force to replace it/);
    const shown = await run(process.execPath, [BIN, 'key', 'address', '--data-dir', dataDir], {
      env: { ...process.env, POLYTAIL_PRIVATE_KEY: '' },
    });
    expect(shown.stdout.toLowerCase()).toContain(address.toLowerCase());

    const config = join(dataDir, 'polytail.json');
    writeFileSync(config, JSON.stringify({ dataDir }));
    const ok = await runDoctorCommand({ config, sandbox: sb.urls.clob }, { POLYTAIL_KEYSTORE_PASSPHRASE: PASS });
    expect(ok.output).toMatch(new RegExp(`private key +well-formed; signer address ${address}; from the keystore .*keystore\\.json`, 'i'));
    const wrong = await runDoctorCommand({ config, sandbox: sb.urls.clob }, { POLYTAIL_KEYSTORE_PASSPHRASE: 'not the passphrase' });
    expect(wrong.exitCode).toBe(2);
    expect(wrong.output).toMatch(/wrong passphrase for the keystore/);
    expect(wrong.output).not.toContain('not the passphrase');
  });
});
