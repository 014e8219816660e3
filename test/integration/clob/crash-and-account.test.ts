/** Crash recovery from the intent journal, the account loader's errors, the 0600 creds cache, doctor. */
import { appendFileSync, chmodSync, readFileSync, statSync } from 'node:fs';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAccount } from '../../../src/wallet/live-account.ts';
import { credsFilePath, loadApiCreds } from '../../../src/wallet/api-creds.ts';
import { redact } from '../../../src/core/redact.ts';
import { runDoctorCommand } from '../../../src/cli/commands/doctor.ts';
import { parseConfig } from '../../../src/config/config.ts';
import { ConfigError } from '../../../src/core/errors.ts';
import { createClobClient } from '../../../src/exec/clob/clob-api.ts';
import { ClobVenue } from '../../../src/exec/clob/clob-venue.ts';
import { FileIntentJournal } from '../../../src/exec/clob/intent-journal.ts';
import { signOrder } from '../../../src/exec/clob/order-signing.ts';
import type { Sandbox } from '../../../src/sandbox/index.ts';
import { TEST_KEY, accountFor, conditionOf, order, seedBook, startTestSandbox, tempDir, tokenOf } from './helpers.ts';

let sb: Sandbox;
beforeAll(async () => {
  sb = await startTestSandbox();
});
afterAll(() => sb.stop());

describe('intent journal replay after a crash', () => {
  it('finds a filled and a resting order that were posted right before the crash, and one that never was', async () => {
    const dataDir = tempDir();
    const account = accountFor(sb, dataDir);
    const { creds } = await loadApiCreds(account);
    const yes = tokenOf(sb, 'cents-market');
    const cid = conditionOf(sb, 'cents-market');
    seedBook(sb, yes, [[0.48, 50]], [[0.52, 100]]);

    // The process that crashed: journalled three intents, posted two, wrote no outcomes.
    const journal = FileIntentJournal.open(dataDir);
    const client = createClobClient(account, creds);
    const crashed = [
      order(yes, cid, 'BUY', 'FOK', 0.52, 19, { amountMicros: 10_000_000 }),
      order(yes, cid, 'BUY', 'GTC', 0.3, 10),
      order(yes, cid, 'BUY', 'GTC', 0.31, 10),
    ];
    for (const [i, o] of crashed.entries()) {
      const s = await signOrder(client, o);
      if (!s.ok) throw new Error(s.message);
      journal.recordIntent({
        clientOrderId: o.clientOrderId,
        order: o,
        orderHash: s.value.orderHash,
        salt: String(s.value.signed.salt),
        makerAmount: s.value.signed.makerAmount,
        takerAmount: s.value.signed.takerAmount,
        signedAtMs: Date.now(),
      });
      if (i < 2) await client.postOrder(s.value.signed, s.value.orderType);
    }
    journal.close();
    appendFileSync(journal.path, '{"t":"outcome","clientOrde'); // torn write at the moment of the crash

    // The restart.
    const reopened = FileIntentJournal.open(dataDir);
    expect(reopened.pendingIntents()).toHaveLength(3);
    const venue = ClobVenue.create(account, creds, { journal: reopened, pollIntervalMs: 0 });
    const events: string[] = [];
    venue.attach((e) => events.push(e.type));
    const report = await venue.recoverPending();
    expect(report.map((r) => [r.clientOrderId, r.status])).toEqual([
      [crashed[0]!.clientOrderId, 'filled'],
      [crashed[1]!.clientOrderId, 'open'],
      [crashed[2]!.clientOrderId, 'not_found'],
    ]);
    expect(report[0]!.filledMicros).toBeGreaterThan(19_000_000);
    expect(events).toEqual(['order_accepted', 'order_filled', 'order_accepted', 'order_rejected']);
    expect(venue.openOrders().map((o) => o.clientOrderId)).toEqual([crashed[1]!.clientOrderId]);
    expect(reopened.pendingIntents()).toEqual([]);
    expect(FileIntentJournal.open(dataDir).pendingIntents()).toEqual([]); // outcomes are on disk
    await venue.close();
  });
});

describe('account', () => {
  const config = parseConfig({ dataDir: tempDir() });
  const keyBody = TEST_KEY.slice(2);
  const errorOf = (env: NodeJS.ProcessEnv, cfg = config): string => {
    try {
      loadAccount(env, cfg);
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      return (err as Error).message;
    }
    throw new Error('expected a ConfigError');
  };

  it.each([
    ['too short', TEST_KEY.slice(0, 40), 'hex digits instead of 64'],
    ['non-hex', TEST_KEY.slice(0, 60) + 'zzzz', 'not hex digits'],
    ['quoted', `"${TEST_KEY}"`, 'quotes'],
    ['an address', '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266', 'wallet address'],
    ['missing', '', 'is not set'],
  ])('a bad key (%s) says what is wrong and contains no key material', (_name, value, words) => {
    const msg = errorOf({ POLYTAIL_PRIVATE_KEY: value });
    expect(msg).toContain(words);
    for (let i = 0; i + 8 <= keyBody.length; i += 4) expect(msg).not.toContain(keyBody.slice(i, i + 8));
  });

  it('accepts the key with or without 0x and derives the address', () => {
    expect(loadAccount({ POLYTAIL_PRIVATE_KEY: keyBody }, config).address).toBe('0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266');
    expect(loadAccount({ POLYTAIL_PRIVATE_KEY: `${TEST_KEY}\n` }, config).funderAddress).toBe('0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266');
  });

  it('signature type vs funder mismatches name the fix', () => {
    const safe = '0x1111111111111111111111111111111111111111';
    expect(errorOf({ POLYTAIL_PRIVATE_KEY: TEST_KEY }, parseConfig({ live: { signatureType: 0, funderAddress: safe } }))).toMatch(
      /Remove live.funderAddress, or set live.signatureType/,
    );
    expect(errorOf({ POLYTAIL_PRIVATE_KEY: TEST_KEY }, parseConfig({ live: { signatureType: 2 } }))).toMatch(/needs live.funderAddress/);
    expect(
      errorOf(
        { POLYTAIL_PRIVATE_KEY: TEST_KEY },
        parseConfig({ live: { signatureType: 1, funderAddress: '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266' } }),
      ),
    ).toMatch(/Use live.signatureType 0/);
    const ok = loadAccount({ POLYTAIL_PRIVATE_KEY: TEST_KEY }, parseConfig({ live: { signatureType: 2, funderAddress: safe } }));
    expect([ok.signatureType, ok.funderAddress]).toEqual([2, '0x1111111111111111111111111111111111111111']);
  });

  it('redact removes the key and API secrets from any text', () => {
    loadAccount({ POLYTAIL_PRIVATE_KEY: TEST_KEY }, config);
    expect(redact(`boom ${TEST_KEY} and ${keyBody.toUpperCase()}`)).toBe('boom [redacted] and [redacted]');
  });

  it('creates the creds file with mode 0600 once, reuses it, and refuses it when others can read it', async () => {
    const account = accountFor(sb, tempDir());
    const first = await loadApiCreds(account);
    expect(first.source).toBe('derived');
    expect(first.path).toBe(credsFilePath(account));
    expect(statSync(first.path).mode & 0o777).toBe(0o600);
    const again = await loadApiCreds(account);
    expect([again.source, again.creds]).toEqual(['cache', first.creds]);
    expect(redact(readFileSync(first.path, 'utf8'))).not.toContain(first.creds.secret);
    chmodSync(first.path, 0o644);
    await expect(loadApiCreds(account)).rejects.toThrow(`chmod 600 ${first.path}`);
  });
});

describe('polytail doctor against the sandbox', () => {
  it('a good setup: every check ✓, exit 0', async () => {
    const r = await runDoctorCommand({ sandbox: sb.urls.clob }, { POLYTAIL_PRIVATE_KEY: TEST_KEY, POLYTAIL_DATA_DIR: '' });
    expect(r.result.checks.map((c) => `${c.ok ? '✓' : '✗'} ${c.name}`)).toEqual([
      '✓ config',
      '✓ private key',
      '✓ signature type',
      '✓ geoblock',
      '✓ CLOB',
      '✓ clock',
      '✓ API credentials',
      '✓ balance',
      '✓ allowance',
    ]);
    expect(r.exitCode).toBe(0);
  });

  it.each([
    ['geoblock', 'geoblock', 1],
    ['clock-skew', 'clock', 1],
    ['bad-credentials', 'API credentials', 1],
    ['zero-balance', 'balance', 1],
    ['clob-down', 'CLOB', 1],
    ['bad-key', 'private key', 2],
    ['funder-mismatch', 'signature type', 2],
  ])('--sandbox-fault %s: ✗ %s with a fix, exit %i', async (fault, check, code) => {
    const r = await runDoctorCommand({ sandbox: '', sandboxFault: [fault] }, {});
    const failed = r.result.checks.filter((c) => !c.ok);
    expect(failed[0]!.name).toBe(check);
    expect(failed.every((c) => (c.fix ?? '').length > 0)).toBe(true);
    expect(r.output).toContain(`✗ ${check}`);
    expect(r.exitCode).toBe(code);
    expect(r.output).not.toContain(TEST_KEY.slice(2, 20));
  });
});
