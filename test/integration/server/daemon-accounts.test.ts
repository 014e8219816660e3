/**
 * One daemon, several accounts against the sandbox: a paper account, a live account with the sandbox
 * key, a pool whose wallet two members share, and an account whose key is broken. Two users each see
 * only their own; the broken account is listed as failed while the others run; one account's halt
 * stops no other; a member's kill switch stops only the member; members' books add up to the pool's
 * wallet; only the pool's admin credits a member.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDaemonConfig } from '../../../src/config/daemon-config.ts';
import { TokenStore } from '../../../src/server/auth/token-store.ts';
import { UserStore } from '../../../src/server/auth/user-store.ts';
import { startDaemon, type Daemon } from '../../../src/server/serve-accounts.ts';
import type { Sandbox } from '../../../src/sandbox/index.ts';
import { SELLER, WHALE, startFastSandbox } from '../modes/helpers.ts';
import { waitUntil } from '../../helpers/wait.ts';
import { call } from './helpers.ts';

let sb: Sandbox;
let daemon: Daemon;
const tok = {} as Record<'op' | 'alice' | 'bob', string>;

beforeAll(async () => {
  sb = await startFastSandbox();
  const dataDir = mkdtempSync(join(tmpdir(), 'polytail-daemon-'));
  const config = parseDaemonConfig({
    dataDir,
    accounts: [
      { id: 'alice-paper', mode: 'paper', config: { targets: [{ wallet: WHALE }] } },
      { id: 'bob-live', mode: 'live', config: { targets: [{ wallet: SELLER }] } },
      { id: 'pool', mode: 'paper', members: [{ id: 'pool-ann' }, { id: 'pool-ben' }] },
      { id: 'broken', mode: 'live', keyEnv: 'BROKEN_KEY', config: { targets: [{ wallet: WHALE }] } },
    ],
  });
  const users = UserStore.forDataDir(dataDir);
  const tokens = TokenStore.forDataDir(dataDir);
  users.create('alice', { nowMs: 1 });
  users.create('bob', { nowMs: 1 });
  users.grant('alice', 'alice-paper', 'admin');
  users.grant('alice', 'pool-ann', 'admin');
  users.grant('bob', 'bob-live', 'admin');
  users.grant('bob', 'pool-ben', 'trader');
  tok.op = (await tokens.create('admin', 'operator', 1)).token;
  tok.alice = (await tokens.create('admin', 'alice-laptop', 1, 'alice')).token;
  tok.bob = (await tokens.create('admin', 'bob-phone', 1, 'bob')).token;
  daemon = await startDaemon({
    daemon: config,
    env: { BROKEN_KEY: '0xnot-a-key' },
    log: (level, message) => (level === 'error' ? console.log(message) : undefined),
    sandboxUrl: sb.urls.clob,
    pollIntervalMs: 1000,
    port: 0,
    viewEveryMs: 200,
  });
}, 300_000); // four sessions start one after another
afterAll(async () => {
  await daemon?.stop('test over');
  await sb?.stop();
}, 120_000);

const api = (method: string, path: string, token: string, body?: unknown) => call(daemon.url, method, path, token, body);
const ids = (body: unknown) => (body as { id: string }[]).map((a) => a.id);

describe('a daemon with several accounts', () => {
  it('lists each user’s accounts only, and the failed one with its reason while the others run', async () => {
    expect(ids((await api('GET', '/api/accounts', tok.alice)).body)).toEqual(['alice-paper', 'pool-ann']);
    expect(ids((await api('GET', '/api/accounts', tok.bob)).body)).toEqual(['bob-live', 'pool-ben']);
    expect(ids((await api('GET', '/api/accounts', tok.op)).body)).toEqual([
      'alice-paper',
      'bob-live',
      'pool',
      'pool-ann',
      'pool-ben',
      'broken',
    ]);
    const broken = ((await api('GET', '/api/accounts', tok.op)).body as { id: string; state: string; error?: string }[]).find(
      (a) => a.id === 'broken',
    )!;
    expect(broken.state).toBe('failed');
    expect(broken.error).toBeTruthy();
    expect(broken.error).not.toContain('not-a-key'); // the key never reaches a message
    expect((await api('GET', '/api/accounts/broken/status', tok.op)).status).toBe(409);
    for (const [who, theirs, other] of [
      ['alice', 'alice-paper', 'bob-live'],
      ['bob', 'bob-live', 'alice-paper'],
      ['alice', 'pool-ann', 'pool-ben'],
      ['bob', 'pool-ben', 'pool-ann'],
      ['alice', 'alice-paper', 'pool'],
    ] as const) {
      const mine = await api('GET', `/api/accounts/${theirs}/status`, tok[who]);
      expect(mine.status, `${who} on ${theirs}: ${mine.text}`).toBe(200);
      expect((await api('GET', `/api/accounts/${other}/status`, tok[who])).status, `${who} on ${other}`).toBe(404);
    }
    const live = (await api('GET', '/api/accounts/bob-live/status', tok.bob)).body as { mode: string };
    expect(live.mode).toBe('live');
  }, 180_000);

  it('members trade on the pool’s wallet: own strategies only, books that add up, credits by the pool’s admin only', async () => {
    expect((await api('POST', '/api/accounts/pool-ann/targets', tok.alice, { wallet: WHALE, multiplier: 0.5 })).status).toBe(200);
    // Bob is a trader on his sub-account: adding targets needs admin; the pool's operator does it.
    expect((await api('POST', '/api/accounts/pool-ben/targets', tok.bob, { wallet: WHALE })).status).toBe(403);
    expect((await api('POST', '/api/accounts/pool-ben/targets', tok.op, { wallet: WHALE, multiplier: 0.25 })).status).toBe(200);
    const pool = daemon.accounts.directory.get('pool')!.surface!;
    const ann = daemon.accounts.directory.get('pool-ann')!.surface!;
    const ben = daemon.accounts.directory.get('pool-ben')!.surface!;
    expect(ann.view.snapshot().strategies.map((s) => s.id)).toEqual(['pool-ann/mirror@0x11111111']);
    expect(ben.view.snapshot().strategies.map((s) => s.id)).toEqual(['pool-ben/mirror@0x11111111']);
    await waitUntil(
      () => ann.view.snapshot().positions.length > 0 && ben.view.snapshot().positions.length > 0,
      'both members copied something',
      { timeoutMs: 60_000 },
    );
    // Same instant (no await between): the members' cash and fees are the wallet's.
    const [p, a, b] = [pool.view.snapshot(), ann.view.snapshot(), ben.view.snapshot()];
    expect(a.equity.cashMicros + b.equity.cashMicros).toBe(p.equity.cashMicros - p.startCashMicros);
    expect(a.equity.feesMicros + b.equity.feesMicros).toBe(p.equity.feesMicros);
    for (const pos of p.positions) {
      const share = (s: typeof a) => s.positions.find((x) => x.tokenId === pos.tokenId)?.sizeMicros ?? 0;
      expect(share(a) + share(b)).toBe(pos.sizeMicros);
    }
    // Fills are read from the recording, which the session's writer flushes in batches: the view can be ahead.
    let annFills: { strategyId: string }[] = [];
    await waitUntil(
      async () => {
        annFills = (await api('GET', '/api/accounts/pool-ann/fills?limit=100', tok.alice)).body as { strategyId: string }[];
        return annFills.length > 0;
      },
      'Ann’s fills reach the recording',
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    expect(annFills.every((f) => f.strategyId.startsWith('pool-ann/'))).toBe(true);

    // Credits: the pool's admin only (Alice is admin of her sub-account, not of the pool).
    expect((await api('POST', '/api/accounts/pool-ann/entries', tok.alice, { kind: 'deposit', usdc: 1000 })).status).toBe(403);
    // Deposits are what a member's book starts from; cash also moves with fills that land meanwhile.
    const depositsBefore = ann.view.snapshot().startCashMicros;
    expect((await api('POST', '/api/accounts/pool-ann/entries', tok.op, { kind: 'deposit', usdc: 1000, note: 'welcome' })).status).toBe(
      200,
    );
    expect(ann.view.snapshot().startCashMicros - depositsBefore).toBe(1000_000_000);
    expect(((await api('GET', '/api/accounts/pool-ann/entries', tok.alice)).body as unknown[]).length).toBe(1);
    expect((await api('GET', '/api/accounts/pool-ben/entries', tok.alice)).status).toBe(404);
  }, 180_000);

  it('one account’s halt stops no other; a member’s kill switch stops only the member', async () => {
    expect((await api('POST', '/api/accounts/pool-ann/risk/kill', tok.alice, { reason: 'ann stops' })).status).toBe(200);
    const state = (id: string) => daemon.accounts.directory.get(id)!.surface!.view.snapshot();
    expect(state('pool-ann').strategies.every((s) => s.paused)).toBe(true);
    expect(state('pool-ben').strategies.some((s) => s.paused)).toBe(false);
    expect(state('pool').riskState).toBe('active');

    expect((await api('POST', '/api/risk/kill', tok.alice, { reason: 'alice stops' })).status).toBe(200); // her first account
    expect(state('alice-paper').riskState).toBe('halted');
    for (const other of ['bob-live', 'pool']) expect(state(other).riskState, other).toBe('active');
    // Bob's live account keeps trading after Alice's halt.
    const before = daemon.accounts.sessions.get('bob-live')!.engine.stats.targetTrades;
    await waitUntil(
      () => daemon.accounts.sessions.get('bob-live')!.engine.stats.targetTrades > before,
      'Bob’s live account to see another target trade',
      { timeoutMs: 60_000 },
    );
    // Each account's audit is its own: Alice's kill is in her recording, not in Bob's.
    const bobAudit = await daemon.accounts.directory.get('bob-live')!.surface!.controlActions(100);
    expect(bobAudit.some((x) => x.action === 'kill_switch')).toBe(false);
    const metrics = (await api('GET', '/metrics', tok.bob)).text;
    expect(metrics).toContain('account="bob-live"');
    expect(metrics).not.toContain('alice-paper');
  }, 180_000);
});
