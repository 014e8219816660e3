/**
 * A forced risk halt in a sandbox paper session reaches the webhook and the fake Telegram (the
 * measured delay is printed); an alert is sent once per episode; the bot answers configured chats
 * only, with their roles; /metrics shows the halt and the fills made before the server came up;
 * stopping the session sends `session_stopped`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Position } from '../../../src/core/ledger.ts';
import { startLiveSession, type LiveSession } from '../../../src/modes/live-session.ts';
import { serveSession, type ServedSession } from '../../../src/server/serve-session.ts';
import type { Sandbox } from '../../../src/sandbox/index.ts';
import { TokenStore } from '../../../src/server/auth/token-store.ts';
import { FakeTelegram, startWebhookReceiver } from '../../helpers/fake-telegram.ts';
import { WHALE, configFor, startFastSandbox, tempDataDir } from '../modes/helpers.ts';
import { waitUntil } from '../../helpers/wait.ts';
import { call } from './helpers.ts';

const BOT_TOKEN = '123456:TEST-bot-token-never-logged';
const ADMIN_CHAT = 111;
const VIEWER_CHAT = 222;
const STRANGER = 999;

let sb: Sandbox;
let telegram: FakeTelegram;
let hook: Awaited<ReturnType<typeof startWebhookReceiver>>;
let session: LiveSession;
let served: ServedSession;
let haltedAtMs = 0;
let dataDir = '';
const logLines: string[] = [];

beforeAll(async () => {
  sb = await startFastSandbox();
  telegram = await new FakeTelegram(BOT_TOKEN).start();
  hook = await startWebhookReceiver();
  dataDir = tempDataDir();
  const config = configFor(dataDir, [WHALE], {
    risk: { maxDailyLossUsdc: 1 },
    server: { port: 0 },
    alerts: {
      webhooks: [{ url: hook.url }],
      telegram: {
        chats: [
          { id: ADMIN_CHAT, role: 'admin' },
          { id: VIEWER_CHAT, role: 'viewer' },
        ],
        apiRoot: telegram.apiRoot,
      },
    },
  });
  session = await startLiveSession({
    mode: 'paper',
    config,
    sandboxUrl: sb.urls.clob,
    pollIntervalMs: 1000,
    env: {},
    listeners: [{ onRiskState: (state) => void (state === 'halted' && !haltedAtMs && (haltedAtMs = Date.now())) }],
  });
  // The session copies before the server is up (as a CLI session can while its markets load): /metrics
  // and the alert rules must still count what came first.
  await waitUntil(() => session.engine.portfolio.total.open().length > 0, 'a fill before the server starts', { timeoutMs: 60_000 });
  served = await serveSession({
    session,
    config,
    env: { POLYTAIL_TELEGRAM_BOT_TOKEN: BOT_TOKEN },
    log: (level, message) => logLines.push(`${level} ${message}`),
  });
});
afterAll(async () => {
  await served?.stop('test over');
  await session?.stop();
  await telegram?.stop();
  await hook?.stop();
  await sb?.stop();
});

const haltNotices = () => hook.bodies.filter((b) => (b.body.alert as { rule?: string } | undefined)?.rule === 'risk_halt');

describe('alerts and the Telegram bot on a served sandbox session', () => {
  it('a risk halt reaches the webhook and every configured chat, once', async () => {
    // Copy until we hold a position worth well over the $1 daily loss limit, then resolve its market against
    // us: the limit halts. (Not any position: copied SELLs can leave one worth cents, whose loss halts nothing.)
    const biggest = () =>
      session.engine.portfolio.total.open().reduce<Position | undefined>((a, p) => (a && a.costMicros >= p.costMicros ? a : p), undefined);
    await waitUntil(() => (biggest()?.costMicros ?? 0) >= 3_000_000, 'a position that cost $3 or more', { timeoutMs: 60_000 });
    if (session.engine.snapshot().riskState !== 'halted') {
      const held = biggest()!;
      const state = (await (await fetch(`${sb.urls.admin}/state`)).json()) as { markets: { conditionId: string; tokenIds: string[] }[] };
      const market = state.markets.find((m) => m.conditionId === held.conditionId)!;
      const loser = market.tokenIds.indexOf(held.tokenId);
      const res = await fetch(`${sb.urls.admin}/resolve`, {
        method: 'POST',
        body: JSON.stringify({ conditionId: market.conditionId, winner: loser === 0 ? 1 : 0 }),
      });
      expect(res.ok).toBe(true);
    }
    await waitUntil(() => haltedAtMs > 0, 'the risk halt');
    await waitUntil(
      () => haltNotices().length > 0 && telegram.sentTo(ADMIN_CHAT).some((m) => m.text.includes('risk_halt')),
      'the halt notice on the webhook and the admin chat',
    );
    const webhookDelay = haltNotices()[0]!.atMs - haltedAtMs;
    const telegramDelay = telegram.sentTo(ADMIN_CHAT).find((m) => m.text.includes('risk_halt'))!.atMs - haltedAtMs;
    console.log(`risk halt → webhook ${webhookDelay} ms, → Telegram ${telegramDelay} ms`);
    const notice = haltNotices()[0]!.body;
    expect(notice.text).toMatch(/polytail paper: risk_halt — trading HALTED: daily loss/);
    expect(notice.content).toBe(notice.text); // Discord reads `content`, Slack `text`
    await waitUntil(() => telegram.sentTo(VIEWER_CHAT).some((m) => m.text.includes('risk_halt')), 'the halt notice in the viewer chat');

    // Another halt in the same episode (the kill switch over the API) sends nothing new.
    const admin = (await TokenStore.forDataDir(dataDir).create('admin', 'ops', Date.now())).token;
    expect((await call(served.url, 'POST', '/api/risk/kill', admin, { reason: 'again' })).status).toBe(200);
    telegram.message(ADMIN_CHAT, '/status');
    await waitUntil(() => telegram.sentTo(ADMIN_CHAT).some((m) => m.text.includes('risk: halted')), 'the status answer to the admin chat');
    expect(haltNotices()).toHaveLength(1);
    expect(telegram.sentTo(ADMIN_CHAT).filter((m) => m.text.includes('risk_halt'))).toHaveLength(1);
  });

  it('answers configured chats by role and strangers not at all', async () => {
    // Alert notices may arrive meanwhile; the answers are the rest.
    const answersSince = (n: number) => telegram.sent.slice(n).filter((m) => !m.text.includes('polytail paper:'));
    const before = telegram.sent.length;
    telegram.message(STRANGER, '/status');
    telegram.message(STRANGER, '/kill');
    telegram.message(VIEWER_CHAT, '/pause');
    telegram.message(VIEWER_CHAT, '/positions');
    // Updates are handled in order: once the viewer's last answer is there, the stranger's were handled.
    await waitUntil(() => answersSince(before).length >= 2, 'two answers to the viewer chat');
    const answers = answersSince(before);
    expect(answers.filter((m) => m.chatId === STRANGER)).toEqual([]);
    expect(answers[0]).toMatchObject({
      chatId: VIEWER_CHAT,
      text: expect.stringMatching(/^not allowed: this chat is configured as viewer/),
    });
    expect(answers[1]!.chatId).toBe(VIEWER_CHAT);

    telegram.message(ADMIN_CHAT, '/kill');
    await waitUntil(() => telegram.sentTo(ADMIN_CHAT).some((m) => m.text.includes('/kill_confirm')), 'the kill confirmation prompt');
    telegram.message(ADMIN_CHAT, '/kill_confirm');
    await waitUntil(() => telegram.sentTo(ADMIN_CHAT).some((m) => m.text.startsWith('KILL SWITCH engaged')), 'the kill switch engaged');
    telegram.message(ADMIN_CHAT, '/pnl');
    telegram.message(ADMIN_CHAT, '/targets');
    await waitUntil(() => telegram.sentTo(ADMIN_CHAT).some((m) => m.text.includes('copies')), 'the targets answer');
    const audit = await served.surface.controlActions(100);
    expect(audit.find((a) => a.actor.via === 'telegram' && a.action === 'kill_switch')).toMatchObject({
      actor: { id: `telegram:${ADMIN_CHAT}`, role: 'admin' },
      outcome: 'ok',
    });
    // The bot token is in every Bot API URL: it must never reach a log line.
    expect(logLines.join('\n')).not.toContain(BOT_TOKEN);
  });

  it('/metrics shows fills, decisions by reason and the halt', async () => {
    const token = (await TokenStore.forDataDir(dataDir).create('metrics', 'prom', Date.now())).token;
    const r = await call(served.url, 'GET', '/metrics', token);
    expect(r.status).toBe(200);
    expect(r.text).toMatch(/^polytail_risk_state\{state="halted"\} 1$/m);
    expect(r.text).toMatch(/^polytail_fills_total\{side="BUY",liquidity="taker"\} [1-9]/m);
    expect(r.text).toMatch(/^polytail_copy_latency_seconds_count\{source="(rtds|data-api)"\} [1-9]/m);
    expect(r.text).toMatch(/^polytail_decisions_total\{action="copy"\} [1-9]/m);
    expect(r.text).toMatch(/^polytail_equity_usdc \d/m);
    expect(r.text).toMatch(/^polytail_feed_connected\{source="rtds"\} [01]$/m);
    expect(r.text).toMatch(/^process_cpu_seconds_total /m);
    // The counters hold every fill of the session, the ones made before the server came up included. The
    // store commits its rows off the event loop, so it may lag the counters by a flush: wait for the two
    // to agree (a counter that missed fills never does).
    const countedIn = (text: string) => [...text.matchAll(/^polytail_fills_total\{[^}]*\} (\d+)$/gm)].reduce((n, m) => n + Number(m[1]), 0);
    let counted = countedIn(r.text);
    let stored = -1;
    await waitUntil(async () => {
      counted = countedIn((await call(served.url, 'GET', '/metrics', token)).text);
      stored = (await served.surface.recentFills(10_000)).length;
      return counted === stored;
    }, 'the fills counted by /metrics to equal the fills stored').catch((err: Error) => {
      throw new Error(`${err.message}: /metrics counts ${counted}, the store holds ${stored}`);
    });
    expect(counted).toBeGreaterThan(0);
  });

  it('stopping the session sends session_stopped', async () => {
    await served.stop('test over');
    expect(hook.bodies.some((b) => (b.body.alert as { rule?: string }).rule === 'session_stopped')).toBe(true);
    expect(telegram.sentTo(ADMIN_CHAT).some((m) => m.text.includes('session_stopped'))).toBe(true);
  });
});
