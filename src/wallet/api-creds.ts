/**
 * CLOB API credentials (L2): created or derived once through the SDK's L1 flow, then cached in a file
 * only the user can read (mode 0600), one per signer and CLOB host. A cached file that others can
 * read is refused with the chmod that fixes it.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, statSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ClobClient } from '@polymarket/clob-client-v2';
import { ConfigError, VenueError } from '../core/errors.ts';
import type { LiveAccount } from './live-account.ts';
import { redactedMessage, registerSecret } from '../core/redact.ts';
import { withTimeout } from '../core/timeout.ts';

export interface ApiCreds {
  key: string;
  secret: string;
  passphrase: string;
}

export interface LoadedCreds {
  creds: ApiCreds;
  path: string;
  source: 'cache' | 'derived';
}

/** `<dataDir>/credentials/<signer>@<host>.json` — one file per signer and CLOB host. */
export function credsFilePath(account: Pick<LiveAccount, 'dataDir' | 'address' | 'clobHost'>): string {
  const host = account.clobHost.replace(/^[a-z]+:\/\//i, '').replace(/[^A-Za-z0-9.-]+/g, '_');
  return join(account.dataDir, 'credentials', `${account.address.toLowerCase()}@${host}.json`);
}

/** Reads cached creds; undefined when there is no file. Refuses a file others can read. */
export function readCachedCreds(path: string): ApiCreds | undefined {
  if (!existsSync(path)) return undefined;
  if (process.platform !== 'win32') {
    const mode = statSync(path).mode & 0o777;
    if ((mode & 0o077) !== 0) {
      throw new ConfigError(
        `${path} holds API credentials but other users can read it (mode ${mode.toString(8).padStart(4, '0')}). Fix: chmod 600 ${path}`,
      );
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new ConfigError(`${path} is not valid JSON; delete it and polytail derives the credentials again`);
  }
  const c = parsed as Partial<ApiCreds>;
  if (
    typeof c.key !== 'string' ||
    typeof c.secret !== 'string' ||
    typeof c.passphrase !== 'string' ||
    !c.key ||
    !c.secret ||
    !c.passphrase
  ) {
    throw new ConfigError(`${path} lacks key/secret/passphrase; delete it and polytail derives the credentials again`);
  }
  const creds = { key: c.key, secret: c.secret, passphrase: c.passphrase };
  registerCreds(creds);
  return creds;
}

/** Writes creds atomically with mode 0600 (directory 0700). */
export function writeCachedCreds(path: string, creds: ApiCreds): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, JSON.stringify({ key: creds.key, secret: creds.secret, passphrase: creds.passphrase }) + '\n');
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

export function registerCreds(creds: ApiCreds): void {
  registerSecret(creds.key);
  registerSecret(creds.secret);
  registerSecret(creds.passphrase);
}

/** Creates (or, when one exists, derives) the API key through the SDK's L1 flow. */
export async function deriveApiCreds(account: LiveAccount, timeoutMs = 15_000): Promise<ApiCreds> {
  // throwOnError stays off here: with it on, a 400 from "create" throws before "derive" is tried.
  const l1 = new ClobClient({
    host: account.clobHost,
    chain: account.chainId,
    signer: account.signer,
    signatureType: account.signatureType,
    funderAddress: account.funderAddress,
  });
  const deadline = <T>(p: Promise<T>) => withTimeout(p, timeoutMs, `deriving API credentials from ${account.clobHost}`);
  let creds: { key?: string; secret?: string; passphrase?: string };
  try {
    creds = await deadline(l1.createOrDeriveApiKey());
  } catch (err) {
    throw err instanceof VenueError
      ? err
      : new VenueError(`could not derive API credentials from ${account.clobHost}: ${redactedMessage(err)}`, 'network', true);
  }
  if (creds.key && creds.secret && creds.passphrase) {
    const out = { key: creds.key, secret: creds.secret, passphrase: creds.passphrase };
    registerCreds(out);
    return out;
  }
  // Both calls failed; ask once more with errors on, for the server's own words.
  const loud = new ClobClient({ host: account.clobHost, chain: account.chainId, signer: account.signer, throwOnError: true });
  try {
    await deadline(loud.deriveApiKey());
  } catch (err) {
    const status = (err as { status?: number }).status;
    const text = redactedMessage(err);
    if (status === 401) {
      throw new VenueError(
        `the CLOB refused the key's L1 signature (${text}). Fix: check the system clock and that POLYTAIL_PRIVATE_KEY is the key of ${account.address}`,
        'auth',
        false,
      );
    }
    throw new VenueError(
      `could not create or derive API credentials at ${account.clobHost}: ${text}`,
      status === undefined ? 'network' : 'auth',
      status === undefined,
    );
  }
  throw new VenueError(`the CLOB at ${account.clobHost} answered without API credentials`, 'auth', false);
}

/** Cached creds when present, else derived and cached (0600). `refresh` ignores the cache. */
export async function loadApiCreds(account: LiveAccount, options: { refresh?: boolean; timeoutMs?: number } = {}): Promise<LoadedCreds> {
  const path = credsFilePath(account);
  if (!options.refresh) {
    const cached = readCachedCreds(path);
    if (cached) return { creds: cached, path, source: 'cache' };
  }
  const creds = await deriveApiCreds(account, options.timeoutMs);
  writeCachedCreds(path, creds);
  return { creds, path, source: 'derived' };
}
