/**
 * The daemon's Telegram bot and market strategy runs, against the sandbox and a local fake of the Bot
 * API: a chat is linked to a user with a one-time code from the API (once, that user only); unlinked
 * chats are told how to link and nothing else; /positions shows the user's accounts only; /run starts
 * a market strategy run only where the chat's user is a trader, and another user's account answers as
 * if it did not exist (nothing started there). Runs over the API: listed per account with status and
 * parameters, started by a trader, cancelled, invisible to other users.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDaemonConfig } from '../../../src/config/daemon-config.ts';
import type { RunStatus } from '../../../src/core/account-directory.ts';
import { TokenStore } from '../../../src/server/auth/token-store.ts';
import { UserStore } from '../../../src/server/auth/user-store.ts';
import { startDaemon, type Daemon } from '../../../src/server/serve-accounts.ts';
import { UNLINKED_TEXT } from '../../../src/server/telegram/accounts-bot.ts';
import type { Sandbox } from '../../../src/sandbox/index.ts';
import { FakeTelegram } from '../../helpers/fake-telegram.ts';
import { waitUntil } from '../../helpers/wait.ts';
import { SELLER, WHALE, startFastSandbox } from '../modes/helpers.ts';
import { call } from './helpers.ts';

const BOT_TOKEN = '123456:daemon-bot-secret-token';
const CHAT = { alice: 101, aliceOther: 102, bob: 201, vic: 301, stranger: 901 } as const;
let sb: Sandbox;
let tg: FakeTelegram;
let daemon: Daemon;
let users: UserStore;
const tok = {} as Record<'op' | 'alice' | 'bob' | 'vic', string>;

beforeAll(async () => {
  sb = await startFastSandbox();
  tg = await new FakeTelegram(BOT_TOKEN).start();
  const dataDir = mkdtempSync(join(tmpdir(), 'polytail-daemon-tg-'));
  const config = parseDaemonConfig({
    dataDir,
    alerts: { telegram: { apiRoot: tg.apiRoot } },
    accounts: [
      { id: 'alice-paper', mode: 'paper', config: { targets: [{ wallet: WHALE }] } },
      { id: 'bob-live', mode: 'live', config: { targets: [{ wallet: SELLER }] } },
      { id: 'pool', mode: 'paper', members: [{ id: 'pool-ann' }, { id: 'pool-ben' }] },
    ],
  });
  users = UserStore.forDataDir(dataDir);
  const tokens = TokenStore.forDataDir(dataDir);
  for (const name of ['alice', 'bob', 'vic']) users.create(name, { nowMs: 1 });
  users.grant('alice', 'alice-paper', 'admin');
  users.grant('alice', 'pool-ann', 'trader');
  users.grant('bob', 'bob-live', 'admin');
  users.grant('bob', 'pool-ben', 'trader');
  users.grant('vic', 'pool-ben', 'viewer');
  tok.op = (await tokens.create('admin', 'operator', 1)).token;
  tok.alice = (await tokens.create('admin', 'alice-laptop', 1, 'alice')).token;
  tok.bob = (await tokens.create('admin', 'bob-phone', 1, 'bob')).token;
  tok.vic = (await tokens.create('viewer', 'vic-phone', 1, 'vic')).token;
  daemon = await startDaemon({
    daemon: config,
    env: { POLYTAIL_TELEGRAM_BOT_TOKEN: BOT_TOKEN },
    log: (level, message) => (level === 'error' ? console.log(message) : undefined),
    sandboxUrl: sb.urls.clob,
    pollIntervalMs: 1000,
    port: 0,
    viewEveryMs: 200,
  });
}, 300_000);
afterAll(async () => {
  await daemon?.stop('test over');
  await tg?.stop();
  await sb?.stop();
}, 120_000);

const api = (method: string, path: string, token: string, body?: unknown) => call(daemon.url, method, path, token, body);

/** What the bot said in `chat` besides alerts (an account's alerts reach the chats of users who see it, at any time). */
const answers = (chat: number) => tg.sentTo(chat).filter((m) => !/^\S+ polytail (paper|live) /u.test(m.text));

/** Sends `text` from `chat` and waits for the bot's answer. */
async function ask(chat: number, text: string): Promise<string> {
  const before = answers(chat).length;
  tg.message(chat, text);
  await waitUntil(() => answers(chat).length > before, `the bot to answer "${text}" in chat ${chat}`, { timeoutMs: 60_000 });
  return answers(chat)[before]!.text;
}

async function link(who: 'alice' | 'bob' | 'vic', chat: number): Promise<void> {
  const res = await api('POST', '/api/telegram/link-code', tok[who]);
  expect(res.status, res.text).toBe(200);
  expect(await ask(chat, `/start ${(res.body as { code: string }).code}`)).toContain(`Linked to polytail user ${who}`);
}

const runsOf = (id: string) => daemon.accounts.directory.get(id)!.runs!.list();
const strategiesOf = (id: string) =>
  daemon.accounts.directory
    .get(id)!
    .surface!.view.snapshot()
    .strategies.map((s) => s.id);

describe('Telegram on a daemon with several users', () => {
  it('answers an unlinked chat with how to link it, and does nothing for it', async () => {
    expect(await ask(CHAT.stranger, '/positions')).toBe(UNLINKED_TEXT);
    expect(await ask(CHAT.stranger, '/run end-sweeper alice-paper market=fast-market-a')).toBe(UNLINKED_TEXT);
    expect(await ask(CHAT.stranger, '/start')).toBe(UNLINKED_TEXT);
    expect(runsOf('alice-paper')).toEqual([]);
  }, 120_000);

  it('links a chat with a one-time code of the user who asked, once', async () => {
    const res = await api('POST', '/api/telegram/link-code', tok.alice);
    const { code } = res.body as { code: string; expiresMs: number };
    expect(code).toMatch(/^[A-Z2-9]{10}$/);
    expect(await ask(CHAT.alice, `/start ${code}`)).toContain('Linked to polytail user alice');
    // The same code from another chat: used up.
    expect(await ask(CHAT.aliceOther, `/start ${code}`)).toContain('not valid');
    expect(await ask(CHAT.aliceOther, '/positions')).toBe(UNLINKED_TEXT);
    expect(users.get('alice')!.telegramChats).toEqual([CHAT.alice]);
    // An operator token belongs to nobody: no code.
    expect((await api('POST', '/api/telegram/link-code', tok.op)).status).toBe(400);
    // A newer code replaces the older one.
    const first = ((await api('POST', '/api/telegram/link-code', tok.bob)).body as { code: string }).code;
    await api('POST', '/api/telegram/link-code', tok.bob);
    expect(await ask(CHAT.bob, `/start ${first}`)).toContain('not valid');
    await link('bob', CHAT.bob);
    await link('vic', CHAT.vic);
    expect(((await api('GET', '/api/telegram', tok.bob)).body as { linkedChats: number; bot?: string }).bot).toBe('polytail_test_bot');
  }, 180_000);

  it('/positions lists only the accounts the chat’s user sees', async () => {
    const alicePaper = daemon.accounts.directory.get('alice-paper')!.surface!;
    await waitUntil(() => alicePaper.view.snapshot().positions.some((p) => p.sizeMicros > 0), 'Alice’s paper account to hold something', {
      timeoutMs: 120_000,
    });
    const aliceSees = await ask(CHAT.alice, '/positions');
    expect(aliceSees).toContain('(alice-paper)');
    expect(aliceSees).toContain('(pool-ann)');
    for (const other of ['bob-live', 'pool-ben', '(pool)']) expect(aliceSees).not.toContain(other);
    const bobSees = await ask(CHAT.bob, '/positions');
    expect(bobSees).toContain('(bob-live)');
    expect(bobSees).toContain('(pool-ben)');
    for (const other of ['alice-paper', 'pool-ann', '(pool)']) expect(bobSees).not.toContain(other);
    expect(await ask(CHAT.bob, '/accounts')).not.toContain('alice');
  }, 180_000);

  it('/run starts a market strategy run only where the user is a trader; another user’s account is as if absent', async () => {
    const aliceStrategies = strategiesOf('alice-paper');
    expect(await ask(CHAT.bob, '/run end-sweeper alice-paper market=fast-market-a')).toContain('no account "alice-paper" for you');
    expect(await ask(CHAT.bob, '/run end-sweeper pool-ann market=fast-market-a')).toContain('no account "pool-ann" for you');
    expect(runsOf('alice-paper')).toEqual([]);
    expect(runsOf('pool-ann')).toEqual([]);
    expect(strategiesOf('alice-paper')).toEqual(aliceStrategies);
    // Vic only views Bob's sub-account.
    expect(await ask(CHAT.vic, '/run end-sweeper pool-ben market=fast-market-a')).toContain('not allowed');
    expect(runsOf('pool-ben')).toEqual([]);
    // Bob trades two accounts: he is asked which, then runs on his sub-account.
    expect(await ask(CHAT.bob, '/run end-sweeper market=fast-market-a')).toContain(
      'which account? /run end-sweeper <account> … (yours: bob-live, pool-ben)',
    );
    expect(await ask(CHAT.bob, '/run end-sweeper pool-ben market=fast-market-a sizeUsdc=5')).toContain(
      'run end-sweeper-1 started on pool-ben',
    );
    const [run] = runsOf('pool-ben');
    expect(run).toMatchObject({ runId: 'end-sweeper-1', strategy: 'end-sweeper', state: 'running', startedBy: 'bob' });
    expect(run!.params).toEqual({ market: 'fast-market-a', sizeUsdc: 5 });
    expect(strategiesOf('pool-ben')).toContain('pool-ben/end-sweeper-1');
    expect(strategiesOf('pool-ann')).toEqual([]);
    expect(await ask(CHAT.vic, '/runs')).toContain('end-sweeper-1 (end-sweeper): running');
    const audit = await daemon.accounts.directory.get('pool')!.surface!.controlActions(50);
    const recorded = audit.find((a) => a.action === 'start_run')!;
    expect(recorded.actor).toMatchObject({ via: 'telegram', id: `telegram:${CHAT.bob}` });
    expect(recorded.actor.name).toContain('bob');
    // Cancelling: a viewer may not, nor may anyone on an account not theirs; Bob may on his.
    expect(await ask(CHAT.vic, '/cancel pool-ben end-sweeper-1')).toContain('not allowed');
    expect(await ask(CHAT.alice, '/cancel pool-ben end-sweeper-1')).toContain('no account "pool-ben" for you');
    expect(runsOf('pool-ben')[0]!.state).toBe('running');
  }, 180_000);

  it('an account’s alerts reach only chats whose user sees it', () => {
    const alertsTo = (chat: number) => tg.sentTo(chat).filter((m) => !answers(chat).includes(m));
    for (const m of alertsTo(CHAT.bob)) expect(m.text).not.toMatch(/alice-paper|pool-ann|polytail paper pool:/);
    for (const m of alertsTo(CHAT.alice)) expect(m.text).not.toMatch(/bob-live|pool-ben|polytail paper pool:/);
    expect(alertsTo(CHAT.stranger)).toEqual([]);
  });

  it('/cancel stops a run of the user’s own', async () => {
    expect(await ask(CHAT.bob, '/cancel pool-ben end-sweeper-1')).toBe('run end-sweeper-1 on pool-ben: cancelled');
    expect(runsOf('pool-ben')[0]).toMatchObject({ state: 'cancelled', reason: 'cancelled by bob' });
  }, 120_000);

  it('/unlink ends the chat’s access at once', async () => {
    expect(await ask(CHAT.vic, '/unlink')).toContain('Unlinked');
    expect(await ask(CHAT.vic, '/positions')).toBe(UNLINKED_TEXT);
    expect(users.get('vic')!.telegramChats).toEqual([]);
  }, 120_000);
});

describe('market strategy runs over the API', () => {
  it('a trader starts and cancels a run; others neither see nor touch it', async () => {
    const started = await api('POST', '/api/accounts/alice-paper/runs', tok.alice, {
      strategy: 'end-sweeper',
      params: { market: 'fast-market-a', sizeUsdc: 3 },
      name: 'sweep-a',
    });
    expect(started.status, started.text).toBe(200);
    expect(started.body).toMatchObject({ runId: 'sweep-a', state: 'running', strategyId: 'sweep-a', startedBy: 'alice' });
    expect((await api('POST', '/api/accounts/alice-paper/runs', tok.alice, { strategy: 'mirror' })).status).toBe(400); // a copy strategy
    expect((await api('POST', '/api/accounts/alice-paper/runs', tok.alice, { strategy: 'end-sweeper', name: 'sweep-a' })).status).toBe(409);
    // Bob: Alice's account does not exist for him, and nothing he sends changes her run.
    expect((await api('GET', '/api/accounts/alice-paper/runs', tok.bob)).status).toBe(404);
    expect((await api('POST', '/api/accounts/alice-paper/runs/sweep-a/cancel', tok.bob)).status).toBe(404);
    expect(runsOf('alice-paper').find((r) => r.runId === 'sweep-a')!.state).toBe('running');
    // Vic views pool-ben: sees Bob's run there, cannot start one.
    expect(((await api('GET', '/api/accounts/pool-ben/runs', tok.vic)).body as RunStatus[]).map((r) => r.runId)).toEqual(['end-sweeper-1']);
    expect((await api('POST', '/api/accounts/pool-ben/runs', tok.vic, { strategy: 'end-sweeper', params: { market: 'x' } })).status).toBe(
      403,
    );
    const cancelled = await api('POST', '/api/accounts/alice-paper/runs/sweep-a/cancel', tok.alice);
    expect(cancelled.status, cancelled.text).toBe(200);
    expect(cancelled.body).toMatchObject({ state: 'cancelled', reason: 'cancelled by alice' });
    const snap = daemon.accounts.directory.get('alice-paper')!.surface!.view.snapshot();
    expect(snap.strategies.find((s) => s.id === 'sweep-a')!.stopped).toBe(true);
    expect((await api('POST', '/api/accounts/alice-paper/runs/sweep-a/cancel', tok.alice)).status).toBe(409);
  }, 180_000);

  it('alerts are read per account, as scoped as everything else', async () => {
    const mine = await api('GET', '/api/accounts/alice-paper/alerts?limit=10', tok.alice);
    expect(mine.status).toBe(200);
    expect(Array.isArray(mine.body)).toBe(true);
    expect((await api('GET', '/api/accounts/alice-paper/alerts', tok.bob)).status).toBe(404);
  }, 60_000);
});
