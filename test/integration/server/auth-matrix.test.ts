/**
 * Every endpoint × every credential: no token, a wrong one, a revoked one, and each role. Allowed
 * calls work; the others get 401 (with nothing else said) or 403, and change nothing — checked on
 * the session itself (risk state, strategies, multipliers, limits, the audit table).
 */
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, roleAllows, type Role } from '../../../src/server/auth/roles.ts';
import { TokenStore } from '../../../src/server/auth/token-store.ts';
import { startControlServer } from '../../../src/server/control-server.ts';
import type { Sandbox } from '../../../src/sandbox/index.ts';
import { startFastSandbox } from '../modes/helpers.ts';
import { call, serveSandboxSession, type Served } from './helpers.ts';

const SELLER = '0x2222222222222222222222222222222222222222';
const THIRD = '0x3333333333333333333333333333333333333333';

interface Endpoint {
  method: string;
  path: string;
  role: Role;
  body?: unknown;
  /** Status of an allowed call (200 unless the thing it names does not exist). */
  ok?: number;
}

let sb: Sandbox;
let served: Served;
let whaleId: string;
let revoked: string;

beforeAll(async () => {
  sb = await startFastSandbox();
  served = await serveSandboxSession(sb);
  whaleId = served.surface.view.snapshot().strategies[0]!.id;
  const store = TokenStore.forDataDir(served.dataDir);
  const made = await store.create('admin', 'soon-revoked', Date.now());
  store.revoke(made.info.id, Date.now());
  revoked = made.token;
});
afterAll(async () => {
  await served?.stop();
  await sb?.stop();
});

function endpoints(): Endpoint[] {
  const w = encodeURIComponent(whaleId);
  const reads: Endpoint[] = [
    'status',
    'snapshot',
    'positions',
    'orders',
    'fills?limit=5',
    'decisions?limit=5&action=copy',
    'targets',
    'strategies',
    `strategies/${w}/knobs`,
    'risk',
    'pnl',
    'equity?limit=10',
    'openapi.json',
  ].map((p) => ({ method: 'GET', path: `/api/${p}`, role: 'viewer' as Role }));
  return [
    ...reads,
    { method: 'GET', path: '/api/audit', role: 'admin' },
    { method: 'GET', path: '/metrics', role: 'metrics' },
    { method: 'POST', path: '/api/risk/pause', role: 'trader', body: { reason: 'matrix' } },
    { method: 'POST', path: '/api/risk/resume', role: 'trader', body: {} },
    { method: 'POST', path: '/api/resync', role: 'trader', body: {} },
    { method: 'POST', path: '/api/orders/no-such-order/cancel', role: 'trader', body: {}, ok: 404 },
    ...(['targets', 'strategies'] as const).flatMap((base): Endpoint[] => [
      { method: 'POST', path: `/api/${base}/${w}/pause`, role: 'trader', body: { reason: 'matrix' } },
      { method: 'POST', path: `/api/${base}/${w}/resume`, role: 'trader', body: {} },
      { method: 'POST', path: `/api/${base}/${w}/multiplier`, role: 'trader', body: { multiplier: 0.5 } },
    ]),
    { method: 'PATCH', path: '/api/risk/limits', role: 'admin', body: { maxOrderUsdc: 40 } },
    { method: 'PATCH', path: `/api/strategies/${w}/knobs`, role: 'admin', body: { multiplier: 0.75 } },
    { method: 'POST', path: '/api/targets', role: 'admin', body: { wallet: SELLER, multiplier: 0.2 } },
    { method: 'DELETE', path: `/api/targets/${encodeURIComponent('mirror@0x22222222')}`, role: 'admin' },
    { method: 'POST', path: '/api/strategies', role: 'admin', body: { name: 'mirror', id: 'extra', params: { wallets: [THIRD] } } },
    { method: 'POST', path: '/api/strategies/extra/stop', role: 'admin', body: {} },
    // Last: a halt is for good.
    { method: 'POST', path: '/api/risk/kill', role: 'admin', body: { reason: 'matrix' } },
  ];
}

/** What a denied call must not change. */
async function probe() {
  const { surface } = served;
  return JSON.stringify({
    risk: surface.view.snapshot().riskState,
    strategies: surface.view.snapshot().strategies.map((s) => [s.id, s.paused, s.stopped, s.multiplier]),
    limits: surface.riskLimits(),
    audit: (await surface.controlActions(1000)).length,
  });
}

describe('control API: every endpoint × every credential', () => {
  it('refuses what a credential may not do, changing nothing, and does what it may', async () => {
    const url = served.server.url;
    const wrong = `ptk_${'0'.repeat(12)}_${'A'.repeat(43)}`;
    const list = endpoints();
    let denied = 0;
    let allowed = 0;
    // Denials first, while every endpoint still has something to change.
    for (const e of list) {
      for (const [label, token] of [
        ['no token', undefined],
        ['wrong token', wrong],
        ['revoked token', revoked],
        ['garbage', 'Bearer-ish nonsense'],
      ] as const) {
        const before = await probe();
        const r = await call(url, e.method, e.path, token, e.body);
        expect(r.status, `${e.method} ${e.path} with ${label}`).toBe(401);
        expect(r.body, `${e.method} ${e.path} with ${label}: nothing else said`).toEqual({ error: 'unauthorized' });
        expect(await probe(), `${e.method} ${e.path} with ${label} changed state`).toBe(before);
        denied++;
      }
      for (const role of ROLES.filter((r) => !roleAllows(r, e.role))) {
        const before = await probe();
        const r = await call(url, e.method, e.path, served.tokens[role], e.body);
        expect(r.status, `${e.method} ${e.path} as ${role}`).toBe(403);
        expect(await probe(), `${e.method} ${e.path} as ${role} changed state`).toBe(before);
        denied++;
      }
    }
    for (const e of list) {
      for (const role of ROLES.filter((r) => roleAllows(r, e.role))) {
        // Create/remove/stop/kill run once, as admin; repeatable ones run for every allowed role.
        if (e.role === 'admin' && e.method !== 'GET' && e.method !== 'PATCH' && role !== 'admin') continue;
        const r = await call(url, e.method, e.path, served.tokens[role], e.body);
        expect(r.status, `${e.method} ${e.path} as ${role}: ${r.text.slice(0, 200)}`).toBe(e.ok ?? 200);
        allowed++;
      }
    }
    expect(denied).toBeGreaterThan(150);
    expect(allowed).toBeGreaterThan(50);

    // The allowed calls did what they say.
    const { surface } = served;
    expect(surface.view.snapshot().riskState).toBe('halted');
    expect(surface.riskLimits()).toMatchObject({ maxOrderUsdc: 40 });
    const byId = new Map(surface.view.snapshot().strategies.map((s) => [s.id, s]));
    expect(byId.get(whaleId)?.multiplier).toBe(0.75);
    expect(byId.get('mirror@0x22222222')?.stopped).toBe(true);
    expect(byId.get('extra')?.stopped).toBe(true);
    // Who, what, when: every state-changing call, with the token's id and name.
    const audit = await surface.controlActions(1000);
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['kill_switch', 'add_target', 'remove_target', 'set_limits']));
    const kill = audit.find((a) => a.action === 'kill_switch')!;
    expect(kill.actor).toMatchObject({ name: 'admin-token', role: 'admin', via: 'api' });
    expect(kill.tsMs).toBeGreaterThan(Date.now() - 600_000);
    expect(audit.every((a) => a.actor.role !== 'viewer' && a.actor.role !== 'metrics')).toBe(true);
    // Every refused token costs a full scrypt (only verified tokens are cached): some 200 of them, CPU
    // bound, take half a minute on a 2-core machine and over five minutes at a load average of 22.
  }, 900_000);

  it('the WebSocket stream: 401 without a valid token, 403 for a metrics token, hello for a viewer', async () => {
    const wsUrl = served.server.url.replace('http', 'ws') + '/api/stream';
    const status = (token?: string) =>
      new Promise<number | string>((resolve) => {
        const ws = new WebSocket(wsUrl, token ? { headers: { authorization: `Bearer ${token}` } } : {});
        ws.on('unexpected-response', (_req, res) => (resolve(res.statusCode ?? 0), ws.terminate()));
        ws.on('message', (data) => {
          resolve(JSON.parse(data.toString()).type);
          ws.close();
        });
        ws.on('error', () => undefined);
      });
    expect(await status()).toBe(401);
    expect(await status('ptk_000000000000_' + 'x'.repeat(43))).toBe(401);
    expect(await status(served.tokens.metrics)).toBe(403);
    expect(await status(served.tokens.viewer)).toBe('hello');
  });

  it('limits request bodies and the request rate per token', async () => {
    const big = { reason: 'x'.repeat(20_000) };
    expect((await call(served.server.url, 'POST', '/api/risk/pause', served.tokens.trader, big)).status).toBe(413);
    const store = TokenStore.forDataDir(served.dataDir);
    const tight = await startControlServer({ surface: served.surface, tokens: store, rateLimitPerMinute: 5, authFailuresPerMinute: 3 });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) statuses.push((await call(tight.url, 'GET', '/api/status', served.tokens.viewer)).status);
      expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
      expect(statuses.slice(5)).toEqual([429, 429]);
      // Another token has its own budget.
      expect((await call(tight.url, 'GET', '/api/status', served.tokens.admin)).status).toBe(200);
      // A flood of wrong tokens: after 3, unknown tokens are refused without hashing; known ones still work.
      for (let i = 0; i < 5; i++)
        expect((await call(tight.url, 'GET', '/api/status', `ptk_${'1'.repeat(12)}_${'B'.repeat(43)}`)).status).toBe(401);
      expect((await call(tight.url, 'GET', '/api/status', served.tokens.admin)).status).toBe(200);
      expect((await call(tight.url, 'GET', '/api/status', served.tokens.trader)).status).toBe(401); // never verified on this server
    } finally {
      await tight.close();
    }
  });
});
