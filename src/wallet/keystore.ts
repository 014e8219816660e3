/**
 * The trading key at rest: an ethers-v5 encrypted JSON keystore (scrypt + AES-128-CTR, the format of
 * geth and MetaMask exports) in `<dataDir>/keystore.json`, mode 0600. It is unlocked once at start
 * with a passphrase from POLYTAIL_KEYSTORE_PASSPHRASE, a file (POLYTAIL_KEYSTORE_PASSPHRASE_FILE, e.g.
 * a systemd credential), a file descriptor, or a hidden prompt. Neither the key nor the passphrase is
 * ever logged: both are registered as secrets before anything can print them.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Wallet } from 'ethers';
import { ConfigError } from '../core/errors.ts';
import { registerSecret } from '../core/redact.ts';
import { PRIVATE_KEY_ENV, parsePrivateKey } from './private-key.ts';

export const PASSPHRASE_ENV = 'POLYTAIL_KEYSTORE_PASSPHRASE';
export const PASSPHRASE_FILE_ENV = 'POLYTAIL_KEYSTORE_PASSPHRASE_FILE';

export function keystorePath(dataDir: string): string {
  return join(dataDir, 'keystore.json');
}

/** Encrypts and writes the key. `scryptN` below ethers' default (131072) is for tests only. */
export async function writeKeystore(path: string, privateKey: string, passphrase: string, scryptN?: number): Promise<string> {
  const key = parsePrivateKey(privateKey, 'the private key');
  registerSecret(passphrase);
  if (passphrase.length < 8) throw new ConfigError('the keystore passphrase must have at least 8 characters');
  const wallet = new Wallet(key);
  const json = await wallet.encrypt(passphrase, scryptN ? { scrypt: { N: scryptN } } : {});
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, json + '\n', { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
  return wallet.address;
}

/** The address a keystore is for (stored unencrypted in the file), without unlocking it. */
export function keystoreAddress(path: string): string {
  try {
    const { address } = JSON.parse(readFileSync(path, 'utf8')) as { address?: string };
    if (typeof address !== 'string') throw new Error('no address field');
    return `0x${address.replace(/^0x/i, '')}`;
  } catch (error) {
    throw new ConfigError(`${path} is not a keystore file (${(error as Error).message})`);
  }
}

export async function unlockKeystore(path: string, passphrase: string): Promise<string> {
  registerSecret(passphrase);
  let wallet: Wallet;
  try {
    wallet = await Wallet.fromEncryptedJson(readFileSync(path, 'utf8'), passphrase);
  } catch (error) {
    const wrong = /invalid password/i.test((error as Error).message);
    throw new ConfigError(
      wrong ? `wrong passphrase for the keystore ${path}` : `cannot read the keystore ${path}: ${(error as Error).message}`,
    );
  }
  registerSecret(wallet.privateKey);
  return wallet.privateKey;
}

export interface PassphraseSources {
  env: NodeJS.ProcessEnv;
  /** A file descriptor to read the passphrase from (systemd, scripts). */
  fd?: number;
  /** Asks on the terminal when nothing else gives one. */
  prompt?: (question: string) => Promise<string>;
}

export async function readPassphrase(s: PassphraseSources, question = 'keystore passphrase: '): Promise<string> {
  const fromFile = (file: string) => readFileSync(file, 'utf8').replace(/\r?\n$/, '');
  let value: string | undefined;
  if (s.fd !== undefined) value = fromFile(`/dev/fd/${s.fd}`);
  else if (s.env[PASSPHRASE_FILE_ENV]) value = fromFile(s.env[PASSPHRASE_FILE_ENV]!);
  else if (s.env[PASSPHRASE_ENV]) value = s.env[PASSPHRASE_ENV];
  else if (s.prompt) value = await s.prompt(question);
  if (!value)
    throw new ConfigError(
      `the keystore needs its passphrase: set ${PASSPHRASE_FILE_ENV} (a file, e.g. a systemd credential) or ${PASSPHRASE_ENV}, pass --passphrase-fd, or start in a terminal to be asked`,
    );
  registerSecret(value);
  return value;
}

export type KeySource = { kind: 'env'; label: string } | { kind: 'keystore'; label: string; path: string };

/**
 * The environment with the trading key in it: POLYTAIL_PRIVATE_KEY when set (it wins), else the
 * unlocked keystore of the data dir, else the environment unchanged (no key: live mode says so).
 */
export async function envWithKey(dataDir: string, s: PassphraseSources): Promise<{ env: NodeJS.ProcessEnv; source?: KeySource }> {
  if (s.env[PRIVATE_KEY_ENV]) return { env: s.env, source: { kind: 'env', label: `environment (${PRIVATE_KEY_ENV})` } };
  const path = keystorePath(dataDir);
  if (!existsSync(path)) return { env: s.env };
  const key = await unlockKeystore(path, await readPassphrase(s));
  return { env: { ...s.env, [PRIVATE_KEY_ENV]: key }, source: { kind: 'keystore', label: `keystore ${path}`, path } };
}
