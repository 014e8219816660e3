/**
 * The checks behind `polytail doctor`: config, key, signature type vs funder, geoblock, CLOB
 * reachability and clock skew, API credentials, balance and allowances. Each answers ✓ or ✗ with
 * the fix in one line. Exit code: 0 all good, 1 a check failed, 2 the configuration is wrong.
 */
import { ConfigError } from '../core/errors.ts';
import { loadConfig, type PolytailConfig } from '../config/config.ts';
import { ClobApi, createClobClient } from '../exec/clob/clob-api.ts';
import { SIGNATURE_TYPE_NAMES, loadAccount, type LiveAccount } from '../wallet/live-account.ts';
import { loadApiCreds, type LoadedCreds } from '../wallet/api-creds.ts';
import { withTimeout } from '../core/timeout.ts';
import { PRIVATE_KEY_ENV, parsePrivateKey } from '../wallet/private-key.ts';
import { redactedMessage } from '../core/redact.ts';
import { checkChain } from './doctor-chain.ts';
import { existsSync } from 'node:fs';
import { PASSPHRASE_ENV, PASSPHRASE_FILE_ENV, envWithKey, keystoreAddress, keystorePath } from '../wallet/keystore.ts';

export interface DoctorCheck {
  name: string;
  ok: boolean;
  detail: string;
  /** One line saying what to do, for failed checks. */
  fix?: string;
}

export interface DoctorOptions {
  configPath?: string;
  env: NodeJS.ProcessEnv;
  /** Replaces the config's hosts (clob + geoblock), e.g. a sandbox. */
  hosts?: { clob: string; geoblock: string };
  /** A sandbox URL: its chain (if it runs one) is checked like the config's `chain`. */
  sandboxUrl?: string;
  /** Replaces the config's dataDir (credentials cache). */
  dataDir?: string;
  timeoutMs?: number;
  /** Tolerated clock skew against the CLOB. Default 5 s. */
  maxSkewMs?: number;
  now?: () => number;
  /** Where the key came from when the caller put it in `env` (e.g. the sandbox test key). */
  keySource?: string;
  /** Asks for the keystore passphrase when no environment variable gives it. */
  prompt?: (question: string) => Promise<string>;
}

export interface DoctorResult {
  checks: DoctorCheck[];
  exitCode: 0 | 1 | 2;
}

/** Runs every check it can; stops before network checks when the configuration itself is wrong. */
export async function runDoctor(options: DoctorOptions): Promise<DoctorResult> {
  const checks: DoctorCheck[] = [];
  const add = (c: DoctorCheck) => (checks.push(c), c.ok);
  const now = options.now ?? (() => Date.now());
  const timeoutMs = options.timeoutMs ?? 10_000;

  let config: PolytailConfig;
  try {
    config = loadConfig(options.configPath, options.env);
    if (options.hosts) config = { ...config, hosts: { ...config.hosts, ...options.hosts } };
    if (options.dataDir) config = { ...config, dataDir: options.dataDir };
    add({ name: 'config', ok: true, detail: options.configPath ? `read ${options.configPath}` : 'no config file; using defaults' });
  } catch (err) {
    add({ name: 'config', ok: false, detail: redactedMessage(err), fix: 'correct the config file as the message says (see docs/live.md)' });
    return { checks, exitCode: 2 };
  }

  // The key: the environment wins; else the data dir's keystore, unlocked here like at start.
  let env = options.env;
  let keySource = options.keySource ?? `the environment (${PRIVATE_KEY_ENV})`;
  const keystore = keystorePath(config.dataDir);
  if (!env[PRIVATE_KEY_ENV] && existsSync(keystore)) {
    try {
      env = (await envWithKey(config.dataDir, { env, prompt: options.prompt })).env;
      keySource = `the keystore ${keystore}`;
    } catch (err) {
      add({
        name: 'private key',
        ok: false,
        detail: `keystore ${keystore} for ${keystoreAddress(keystore)}: ${redactedMessage(err)}`,
        fix: `give its passphrase (${PASSPHRASE_FILE_ENV}, ${PASSPHRASE_ENV}, or run doctor in a terminal to be asked)`,
      });
      return { checks, exitCode: 2 };
    }
  }

  // Key and funder are checked separately so both problems show at once.
  let keyOk = true;
  try {
    parsePrivateKey(env[PRIVATE_KEY_ENV]);
  } catch (err) {
    keyOk = false;
    add({
      name: 'private key',
      ok: false,
      detail: redactedMessage(err),
      fix: `set ${PRIVATE_KEY_ENV} to your wallet's private key: 0x followed by 64 hex digits`,
    });
  }
  let account: LiveAccount | undefined;
  if (keyOk) {
    try {
      account = loadAccount(env, config);
      add({ name: 'private key', ok: true, detail: `well-formed; signer address ${account.address}; from ${keySource}` });
      add({
        name: 'signature type',
        ok: true,
        detail: `${account.signatureType} = ${SIGNATURE_TYPE_NAMES[account.signatureType]}; funder ${account.funderAddress}`,
      });
    } catch (err) {
      const msg = redactedMessage(err);
      const aboutKey = msg.includes(PRIVATE_KEY_ENV);
      add({
        name: aboutKey ? 'private key' : 'signature type',
        ok: false,
        detail: msg,
        fix: aboutKey
          ? `export the key again from your wallet into ${PRIVATE_KEY_ENV}`
          : 'set live.signatureType and live.funderAddress as the message says (docs/live.md, "Signature types")',
      });
    }
  }
  if (!account) return { checks, exitCode: 2 };

  await checkGeoblock(account, timeoutMs, add);
  const reachable = await checkClob(account, timeoutMs, options.maxSkewMs ?? 5000, now, add);
  if (!reachable) return { checks, exitCode: 1 };

  let loaded: LoadedCreds | undefined;
  try {
    loaded = await loadApiCreds(account, { timeoutMs });
  } catch (err) {
    const config = err instanceof ConfigError;
    const [detail, fix] = redactedMessage(err).split(/\.? Fix: /);
    add({
      name: 'API credentials',
      ok: false,
      detail: detail!,
      fix:
        fix ??
        (config
          ? 'follow the message (permissions or a broken cache file)'
          : 'check the system clock and that the key is the one of your Polymarket account'),
    });
    return { checks, exitCode: config ? 2 : 1 };
  }
  const api = new ClobApi(createClobClient(account, loaded.creds), timeoutMs);
  try {
    await api.refreshBalance().catch(() => undefined);
    const bal = await api.collateral();
    add({
      name: 'API credentials',
      ok: true,
      detail: `${loaded.source === 'cache' ? 'cached' : 'derived and cached'} in ${loaded.path} (mode 0600)`,
    });
    checkBalance(account, bal.balanceMicros, bal.allowances, add);
    await checkChain(config, account, options.sandboxUrl, add, env).catch((err) =>
      add({ name: 'chain', ok: false, detail: `reading the chain failed: ${redactedMessage(err)}`, fix: 'run polytail doctor again' }),
    );
  } catch (err) {
    const status = (err as { status?: number }).status;
    if (status === 401) {
      add({
        name: 'API credentials',
        ok: false,
        detail: `the CLOB rejects the ${loaded.source} credentials (401 ${redactedMessage(err)})`,
        fix: `delete ${loaded.path} and run polytail doctor again to derive fresh ones`,
      });
    } else {
      add({
        name: 'balance',
        ok: false,
        detail: `could not read the balance: ${redactedMessage(err)}`,
        fix: 'run polytail doctor again; if it persists the CLOB is having trouble',
      });
    }
  }
  return { checks, exitCode: checks.every((c) => c.ok) ? 0 : 1 };
}

async function checkGeoblock(account: LiveAccount, timeoutMs: number, add: (c: DoctorCheck) => boolean): Promise<void> {
  const url = account.geoblockUrl;
  try {
    const res = await withTimeout(fetch(url), timeoutMs, `GET ${url}`);
    const text = await res.text();
    let body: { blocked?: boolean; country?: string; region?: string; ip?: string } | undefined;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (!body || typeof body.blocked !== 'boolean') {
      const cf = res.status === 403 || /blocked/i.test(text);
      add({
        name: 'geoblock',
        ok: false,
        detail: cf ? `HTTP ${res.status}: Cloudflare blocks this IP` : `unexpected reply from ${url} (HTTP ${res.status})`,
        fix: cf
          ? 'Polymarket blocks this network (often datacenter IPs or blocked countries); trade from a permitted location'
          : 'check the geoblock host in config hosts.geoblock',
      });
      return;
    }
    const where = [body.country, body.region].filter(Boolean).join('/');
    if (body.blocked) {
      add({
        name: 'geoblock',
        ok: false,
        detail: `Polymarket blocks orders from ${where || 'this location'} (ip ${body.ip ?? '?'})`,
        fix: 'live trading is not allowed from here; use paper or replay mode instead',
      });
    } else {
      add({ name: 'geoblock', ok: true, detail: `not blocked (${where || 'location unknown'})` });
    }
  } catch (err) {
    add({
      name: 'geoblock',
      ok: false,
      detail: `could not reach ${url}: ${redactedMessage(err)}`,
      fix: 'check the internet connection or proxy settings',
    });
  }
}

async function checkClob(
  account: LiveAccount,
  timeoutMs: number,
  maxSkewMs: number,
  now: () => number,
  add: (c: DoctorCheck) => boolean,
): Promise<boolean> {
  const url = `${account.clobHost}/time`;
  try {
    const sent = now();
    const res = await withTimeout(fetch(url), timeoutMs, `GET ${url}`);
    const text = (await res.text()).trim();
    const received = now();
    const serverSec = Number(text);
    if (!res.ok || !Number.isFinite(serverSec)) {
      add({
        name: 'CLOB',
        ok: false,
        detail: `GET ${url} answered HTTP ${res.status} ${text.slice(0, 80)}`,
        fix: 'the CLOB is down or restarting; try again in a few minutes (status: https://status.polymarket.com)',
      });
      return false;
    }
    add({ name: 'CLOB', ok: true, detail: `${account.clobHost} reachable (${received - sent} ms)` });
    // The server clock has 1 s resolution: compare against the middle of the request.
    const skewMs = Math.round(serverSec * 1000 + 500 - (sent + received) / 2);
    if (Math.abs(skewMs) > maxSkewMs) {
      add({
        name: 'clock',
        ok: false,
        detail: `this machine's clock is ${Math.abs(skewMs / 1000).toFixed(1)} s ${skewMs > 0 ? 'behind' : 'ahead of'} the CLOB`,
        fix: 'enable time sync (e.g. `sudo timedatectl set-ntp true`); skewed clocks break API signatures and GTD expiries',
      });
    } else {
      add({ name: 'clock', ok: true, detail: `within ${(Math.abs(skewMs) / 1000).toFixed(1)} s of the CLOB` });
    }
    return true;
  } catch (err) {
    add({
      name: 'CLOB',
      ok: false,
      detail: `could not reach ${url}: ${redactedMessage(err)}`,
      fix: 'check the internet connection, proxy, or hosts.clob in the config',
    });
    return false;
  }
}

function checkBalance(
  account: LiveAccount,
  balanceMicros: number,
  allowances: Record<string, bigint>,
  add: (c: DoctorCheck) => boolean,
): void {
  const usd = (balanceMicros / 1e6).toFixed(2);
  if (balanceMicros <= 0) {
    add({
      name: 'balance',
      ok: false,
      detail: `pUSD balance of ${account.funderAddress} is 0`,
      fix: `deposit pUSD to ${account.funderAddress} (polymarket.com → Deposit), or fix live.funderAddress if the funds are elsewhere`,
    });
  } else {
    add({ name: 'balance', ok: true, detail: `$${usd} pUSD at ${account.funderAddress}` });
  }
  const spenders = Object.entries(allowances);
  const missing = spenders.filter(([, v]) => v === 0n).map(([s]) => s);
  if (spenders.length === 0 || missing.length === spenders.length) {
    add({
      name: 'allowance',
      ok: false,
      detail: 'no pUSD allowance for the exchange contracts',
      fix: `approve the CTF exchanges for ${account.funderAddress} (enable trading once on polymarket.com), then run polytail doctor again`,
    });
  } else if (missing.length > 0) {
    add({
      name: 'allowance',
      ok: false,
      detail: `no allowance for ${missing.join(', ')}`,
      fix: 'approve the missing exchange contracts (neg-risk markets need all three), then run polytail doctor again',
    });
  } else {
    add({ name: 'allowance', ok: true, detail: `approved for ${spenders.length} exchange contract(s)` });
  }
}

/** ✓/✗ lines with the fix under each failure. */
export function formatDoctor(checks: DoctorCheck[]): string {
  const width = Math.max(...checks.map((c) => c.name.length));
  return checks
    .map(
      (c) => `${c.ok ? '✓' : '✗'} ${c.name.padEnd(width)}  ${c.detail}${!c.ok && c.fix ? `\n  ${' '.repeat(width)}  fix: ${c.fix}` : ''}`,
    )
    .join('\n');
}
