/** The keystore is ethers-v5 compatible, 0600, and unlocks only with its passphrase from the sources in order. */
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Wallet } from 'ethers';
import { describe, expect, it } from 'vitest';
import { redact } from '../../../src/core/redact.ts';
import { envWithKey, keystoreAddress, keystorePath, readPassphrase, unlockKeystore, writeKeystore } from '../../../src/wallet/keystore.ts';

// Hardhat account #1: a publicly known test key.
const KEY = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d';
const FAST_N = 1 << 10; // tests only; `polytail key import` uses ethers' default (2^17)

describe('keystore', () => {
  it('writes a 0600 ethers keystore that ethers itself opens, and unlocks it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'polytail-ks-'));
    const path = keystorePath(dir);
    const address = await writeKeystore(path, KEY, 'correct horse battery', FAST_N);
    expect(address).toBe(new Wallet(KEY).address);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8')).not.toContain(KEY.slice(2));
    expect(keystoreAddress(path).toLowerCase()).toBe(address.toLowerCase());
    expect((await Wallet.fromEncryptedJson(readFileSync(path, 'utf8'), 'correct horse battery')).privateKey).toBe(KEY);
    expect(await unlockKeystore(path, 'correct horse battery')).toBe(KEY);
    await expect(unlockKeystore(path, 'wrong horse battery')).rejects.toThrow(/^wrong passphrase for the keystore /);
    // Key and passphrase are redacted wherever they would be printed.
    expect(redact(`key ${KEY} pass correct horse battery`)).toBe('key [redacted] pass [redacted]');
  });

  it('the environment key wins; else the keystore is unlocked from a passphrase file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'polytail-ks-'));
    await writeKeystore(keystorePath(dir), KEY, 'from a credential file', FAST_N);
    const other = '0x' + '11'.repeat(32);
    expect((await envWithKey(dir, { env: { POLYTAIL_PRIVATE_KEY: other } })).source).toMatchObject({ kind: 'env' });
    const file = join(dir, 'pass');
    writeFileSync(file, 'from a credential file\n');
    const r = await envWithKey(dir, { env: { POLYTAIL_KEYSTORE_PASSPHRASE_FILE: file } });
    expect(r.env.POLYTAIL_PRIVATE_KEY).toBe(KEY);
    expect(r.source).toMatchObject({ kind: 'keystore', path: keystorePath(dir) });
    await expect(envWithKey(dir, { env: {} })).rejects.toThrow(/needs its passphrase: set POLYTAIL_KEYSTORE_PASSPHRASE_FILE/);
    expect(await envWithKey(mkdtempSync(join(tmpdir(), 'polytail-ks-')), { env: {} })).toEqual({ env: {} });
  });

  it('reads a passphrase from a file descriptor before the environment', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'polytail-ks-'));
    const file = join(dir, 'p');
    writeFileSync(file, 'via fd\n');
    const { openSync, closeSync } = await import('node:fs');
    const fd = openSync(file, 'r');
    try {
      expect(await readPassphrase({ env: { POLYTAIL_KEYSTORE_PASSPHRASE: 'via env' }, fd })).toBe('via fd');
    } finally {
      closeSync(fd);
    }
    expect(await readPassphrase({ env: { POLYTAIL_KEYSTORE_PASSPHRASE: 'via env' } })).toBe('via env');
  });
});
