/**
 * Sub-accounts across a daemon restart, against the sandbox: two members trade on one paper wallet,
 * one of them under her own limit of orders per day (the engine denies the rest as
 * `member.max_daily_trades`), the other under a single-order limit only the pool's admin may set; the
 * pool's admin records deposits and a withdrawal. The members' books always add up to the wallet's
 * ledger — cash, fees and shares — before the restart and after it, and the entries an admin recorded
 * and the limits the admin set at run time are still there after it (the config's are only defaults).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDaemonConfig, type DaemonConfig } from '../../../src/config/daemon-config.ts';
import type { EngineSnapshot } from '../../../src/core/control.ts';
import type { Decision } from '../../../src/core/ports.ts';
import { TokenStore } from '../../../src/server/auth/token-store.ts';
import { UserStore } from '../../../src/server/auth/user-store.ts';
import { startDaemon, type Daemon } from '../../../src/server/serve-accounts.ts';
import type { Sandbox } from '../../../src/sandbox/index.ts';
import { waitUntil } from '../../helpers/wait.ts';
import { WHALE, startFastSandbox } from '../modes/helpers.ts';
import { call } from './helpers.ts';

let sb: Sandbox;
let config: DaemonConfig;
let daemon: Daemon | undefined;
const tok = {} as Record<'op' | 'ann' | 'ben', string>;

const start = () =>
  startDaemon({
    daemon: config,
    env: {},
    log: (level, message) => (level === 'error' ? console.log(message) : undefined),
    sandboxUrl: sb.urls.clob,
    pollIntervalMs: 1000,
    port: 0,
    viewEveryMs: 200,
  });

beforeAll(async () => {
  sb = await startFastSandbox();
  const dataDir = mkdtempSync(join(tmpdir(), 'polytail-daemon-restart-'));
  config = parseDaemonConfig({
    dataDir,
    accounts: [{ id: 'pool', mode: 'paper', members: [{ id: 'pool-ann', limits: { maxDailyTrades: 2 } }, { id: 'pool-ben' }] }],
  });
  const users = UserStore.forDataDir(dataDir);
  const tokens = TokenStore.forDataDir(dataDir);
  users.create('ann', { nowMs: 1 });
  users.create('ben', { nowMs: 1 });
  users.grant('ann', 'pool-ann', 'admin');
  users.grant('ben', 'pool-ben', 'trader');
  tok.op = (await tokens.create('admin', 'operator', 1)).token;
  tok.ann = (await tokens.create('admin', 'ann-laptop', 1, 'ann')).token;
  tok.ben = (await tokens.create('admin', 'ben-phone', 1, 'ben')).token;
  daemon = await start();
}, 300_000);
afterAll(async () => {
  await daemon?.stop('test over');
  await sb?.stop();
}, 120_000);

const api = (method: string, path: string, token: string, body?: unknown) => call(daemon!.url, method, path, token, body);
const view = (id: string) => daemon!.accounts.directory.get(id)!.surface!.view.snapshot();

/** The members' books against the wallet's ledger, at one instant (no await in between). */
function expectMembersAddUp(deposits: { ann: number; ben: number }): { pool: EngineSnapshot; ann: EngineSnapshot; ben: EngineSnapshot } {
  const [pool, ann, ben] = [view('pool'), view('pool-ann'), view('pool-ben')];
  expect(ann.equity.cashMicros - deposits.ann + (ben.equity.cashMicros - deposits.ben)).toBe(pool.equity.cashMicros - pool.startCashMicros);
  expect(ann.equity.feesMicros + ben.equity.feesMicros).toBe(pool.equity.feesMicros);
  for (const p of pool.positions) {
    const share = (s: EngineSnapshot) => s.positions.find((x) => x.tokenId === p.tokenId)?.sizeMicros ?? 0;
    expect(share(ann) + share(ben), p.tokenId).toBe(p.sizeMicros);
  }
  return { pool, ann, ben };
}

describe('sub-accounts across a restart', () => {
  it('limits per member, entries by the pool’s admin, books that add up to the wallet before and after a restart', async () => {
    // Ben's single-order limit: the pool's operator sets it; neither Ben nor Ann (admin of her own sub-account) may.
    expect((await api('PATCH', '/api/accounts/pool-ben/risk/limits', tok.ben, { maxOrderUsdc: 1000 })).status).toBe(403);
    expect((await api('PATCH', '/api/accounts/pool-ann/risk/limits', tok.ann, { maxDailyTrades: 1000 })).status).toBe(403);
    const set = await api('PATCH', '/api/accounts/pool-ben/risk/limits', tok.op, { maxOrderUsdc: 500 });
    expect(set.status, set.text).toBe(200);
    expect(set.body).toEqual({ maxOrderUsdc: 500 });
    expect((await api('GET', '/api/accounts/pool-ann/risk', tok.ann)).body).toMatchObject({ limits: { maxDailyTrades: 2 } });

    for (const [member, multiplier] of [
      ['pool-ann', 0.5],
      ['pool-ben', 0.25],
    ] as const)
      expect((await api('POST', `/api/accounts/${member}/targets`, tok.op, { wallet: WHALE, multiplier })).status).toBe(200);
    for (const [member, kind, usdc] of [
      ['pool-ann', 'deposit', 1000],
      ['pool-ben', 'deposit', 500],
      ['pool-ben', 'withdrawal', 100],
    ] as const) {
      const r = await api('POST', `/api/accounts/${member}/entries`, tok.op, { kind, usdc, note: 'test' });
      expect(r.status, r.text).toBe(200);
    }
    const deposits = { ann: 1000_000_000, ben: 400_000_000 };

    // Ann's third order of the day is denied by her own limit, not the wallet's.
    let denied: Decision | undefined;
    await waitUntil(
      async () => {
        const ds = (await api('GET', '/api/accounts/pool-ann/decisions?action=deny&limit=50', tok.ann)).body as Decision[];
        denied = ds.find((d) => d.reason === 'max_daily_trades');
        return denied !== undefined;
      },
      'Ann’s order over her daily limit to be denied',
      { timeoutMs: 180_000, intervalMs: 500 },
    );
    expect(denied!.checks.find((c) => c.code === 'member.max_daily_trades')).toMatchObject({ passed: false, limit: 2 });
    expect(denied!.checks.find((c) => c.code === 'max_daily_trades')).toBeUndefined(); // the wallet has no such limit
    expect(view('pool-ann').strategies[0]!.copies).toBeLessThanOrEqual(2);
    await waitUntil(() => view('pool-ben').positions.length > 0, 'Ben to hold something', { timeoutMs: 120_000 });
    expectMembersAddUp(deposits);

    // A daily USDC limit for Ann, on top of her config's daily trade count.
    const annSet = await api('PATCH', '/api/accounts/pool-ann/risk/limits', tok.op, { maxDailyUsdc: 7.5 });
    expect(annSet.status, annSet.text).toBe(200);
    expect(annSet.body).toEqual({ maxDailyTrades: 2, maxDailyUsdc: 7.5 });
    // Her usage counts the BUYs she sent today (her orders so far are BUYs: she held nothing to sell).
    const annUsage = (
      (await api('GET', '/api/accounts/pool-ann/risk', tok.ann)).body as { usage: { code: string; value: number; limit: number }[] }
    ).usage;
    expect(annUsage.find((c) => c.code === 'max_daily_trades')).toMatchObject({ value: 2, limit: 2 });
    expect(annUsage.find((c) => c.code === 'max_daily_usdc')).toMatchObject({ limit: 7_500_000 });
    expect(annUsage.find((c) => c.code === 'max_daily_usdc')!.value).toBeGreaterThan(0);

    // Stop: what the books hold now is what a restart must find.
    await daemon!.stop('restart');
    const before = expectMembersAddUp(deposits);
    expect(before.ann.positions.length + before.ben.positions.length).toBeGreaterThan(0);
    const entriesBefore = daemon!.accounts.directory.get('pool-ben')!.entries!.list();
    daemon = await start();

    // The members' targets were added over the API and are gone; their fills, ledgers and entries are not.
    expect(view('pool-ann').strategies).toEqual([]);
    const after = expectMembersAddUp(deposits);
    for (const m of ['ann', 'ben'] as const) {
      expect(after[m].equity.cashMicros, m).toBe(before[m].equity.cashMicros);
      expect(after[m].equity.feesMicros, m).toBe(before[m].equity.feesMicros);
      expect(after[m].positions.map((p) => [p.tokenId, p.sizeMicros])).toEqual(before[m].positions.map((p) => [p.tokenId, p.sizeMicros]));
    }
    expect(after.pool.equity.cashMicros).toBe(before.pool.equity.cashMicros);
    expect((await api('GET', '/api/accounts/pool-ben/entries', tok.ben)).body).toEqual(entriesBefore);
    expect(entriesBefore.map((e) => [e.kind, e.amountMicros, e.by])).toEqual([
      ['deposit', 500_000_000, 'operator'],
      ['withdrawal', 100_000_000, 'operator'],
    ]);
    // Limits set at run time are kept, read back from the pool's recording: the config's are only defaults.
    expect(((await api('GET', '/api/accounts/pool-ann/risk', tok.ann)).body as { limits: unknown }).limits).toEqual({
      maxDailyTrades: 2,
      maxDailyUsdc: 7.5,
    });
    expect(((await api('GET', '/api/accounts/pool-ben/risk', tok.ben)).body as { limits: unknown }).limits).toEqual({ maxOrderUsdc: 500 });
  }, 600_000);
});
