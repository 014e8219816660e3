/**
 * Two users on one daemon, each with their own account (a paper session against the sandbox, its own
 * recording). Alice, with every role on her account, tries every account endpoint and the stream on
 * Bob's, and every user route that could reach Bob: each is refused (404 — Bob's account answers like
 * one that does not exist — or 403 for user management), and nothing of Bob's changes, checked in
 * Bob's engine and in Bob's recording (its audit table). A revoked token stops at once, an open
 * WebSocket included; a withdrawn grant closes the stream too.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountDirectory, HostedAccount } from '../../../src/core/account-directory.ts';
import type { SessionSurface } from '../../../src/core/session-surface.ts';
import { startLiveSession, type LiveSession } from '../../../src/modes/live-session.ts';
import { servedSurface } from '../../../src/modes/served-session.ts';
import { runBook } from '../../../src/modes/strategy-runs.ts';
import { AccountBookQueries } from '../../../src/store/index.ts';
import { ROLES, type Role } from '../../../src/server/auth/roles.ts';
import { TokenStore } from '../../../src/server/auth/token-store.ts';
import { UserStore } from '../../../src/server/auth/user-store.ts';
import { startControlServer, type ControlServer } from '../../../src/server/control-server.ts';
import { AccountMetrics } from '../../../src/server/metrics/account-metrics.ts';
import { SessionMetrics } from '../../../src/server/metrics/session-metrics.ts';
import type { Sandbox } from '../../../src/sandbox/index.ts';
import { WHALE, configFor, startFastSandbox, tempDataDir } from '../modes/helpers.ts';
import { waitUntil } from '../../helpers/wait.ts';
import { call } from './helpers.ts';

const SELLER = '0x2222222222222222222222222222222222222222';
const A = 'acct-a';
const B = 'acct-b';

let sb: Sandbox;
let sessions: LiveSession[] = [];
let surfaces: Record<string, SessionSurface>;
let server: ControlServer;
let daemonDir: string;
let operator: string;
const alice = {} as Record<Role, string>;
const bob = {} as Record<'viewer' | 'admin' | 'viewer2', { token: string; id: string }>;
let whaleId: string;
let hostedB: () => HostedAccount;
/** A run of Bob's, running: Alice must not see or cancel it. */
const runId = 'bobs-sweep';

beforeAll(async () => {
  sb = await startFastSandbox();
  surfaces = {};
  const hosted: HostedAccount[] = [];
  const metrics = new AccountMetrics();
  for (const id of [A, B]) {
    const session = await startLiveSession({
      mode: 'paper',
      config: configFor(tempDataDir(), [WHALE]),
      sandboxUrl: sb.urls.clob,
      pollIntervalMs: 1000,
      env: {},
    });
    sessions.push(session);
    const surface = servedSurface(session, Date.now());
    surfaces[id] = surface;
    const m = new SessionMetrics(surface.view, surface.info.startedMs);
    surface.subscribe(m);
    metrics.add(id, m);
    const runs = runBook({ account: id, surface, queries: new AccountBookQueries(session.recording), now: Date.now, earlier: [] });
    hosted.push({ info: { id, label: id, kind: 'wallet', mode: 'paper', state: 'running' }, surface, runs });
  }
  const directory: AccountDirectory = { list: () => hosted, get: (id) => hosted.find((h) => h.info.id === id) };
  whaleId = surfaces[B]!.view.snapshot().strategies[0]!.id;
  hostedB = () => hosted.find((h) => h.info.id === B)!;
  await hostedB().runs!.start({ strategy: 'end-sweeper', params: { market: 'fast-market-a' }, name: runId }, 'bob');
  daemonDir = mkdtempSync(join(tmpdir(), 'polytail-daemon-'));
  const tokens = TokenStore.forDataDir(daemonDir);
  const users = UserStore.forDataDir(daemonDir);
  users.create('alice', { nowMs: Date.now() });
  users.create('bob', { nowMs: Date.now() });
  users.grant('alice', A, 'admin');
  users.grant('bob', B, 'admin');
  operator = (await tokens.create('admin', 'operator', Date.now())).token;
  for (const role of ROLES) alice[role] = (await tokens.create(role, `alice-${role}`, Date.now(), 'alice')).token;
  for (const [key, role] of [
    ['viewer', 'viewer'],
    ['admin', 'admin'],
    ['viewer2', 'viewer'],
  ] as const) {
    const made = await tokens.create(role, `bob-${key}`, Date.now(), 'bob');
    bob[key] = { token: made.token, id: made.info.id };
  }
  server = await startControlServer({
    accounts: directory,
    tokens,
    users,
    metrics,
    viewEveryMs: 200,
    accessCheckEveryMs: 100,
    authFailuresPerMinute: 100_000,
  });
}, 180_000);
afterAll(async () => {
  await server?.close();
  for (const s of sessions) await s.stop();
  await sb?.stop();
});

interface Endpoint {
  method: string;
  path: string;
  body?: unknown;
}

/** Every account endpoint, aimed at `account`. */
function accountEndpoints(account: string): Endpoint[] {
  const w = encodeURIComponent(whaleId);
  const base = `/api/accounts/${account}`;
  const reads = [
    'status',
    'snapshot',
    'positions',
    'orders',
    'fills?limit=5',
    'decisions?limit=5',
    'targets',
    'strategies',
    `strategies/${w}/knobs`,
    'risk',
    'pnl',
    'equity?limit=10',
    'audit',
    'alerts',
    'runs',
    'entries',
  ].map((p) => ({ method: 'GET', path: `${base}/${p}` }));
  return [
    ...reads,
    { method: 'POST', path: `${base}/risk/pause`, body: { reason: 'x' } },
    { method: 'POST', path: `${base}/risk/resume`, body: {} },
    { method: 'POST', path: `${base}/resync`, body: {} },
    { method: 'POST', path: `${base}/orders/any-order/cancel`, body: {} },
    ...(['targets', 'strategies'] as const).flatMap((k) => [
      { method: 'POST', path: `${base}/${k}/${w}/pause`, body: { reason: 'x' } },
      { method: 'POST', path: `${base}/${k}/${w}/resume`, body: {} },
      { method: 'POST', path: `${base}/${k}/${w}/multiplier`, body: { multiplier: 0.5 } },
    ]),
    { method: 'PATCH', path: `${base}/risk/limits`, body: { maxOrderUsdc: 1 } },
    { method: 'PATCH', path: `${base}/strategies/${w}/knobs`, body: { multiplier: 0.25 } },
    { method: 'POST', path: `${base}/targets`, body: { wallet: SELLER } },
    { method: 'DELETE', path: `${base}/targets/${w}` },
    { method: 'POST', path: `${base}/strategies`, body: { name: 'mirror', id: 'sneaky', params: { wallets: [SELLER] } } },
    { method: 'POST', path: `${base}/strategies/${w}/stop`, body: {} },
    { method: 'POST', path: `${base}/runs`, body: { strategy: 'end-sweeper', params: { market: 'fast-market-a' } } },
    { method: 'POST', path: `${base}/runs/${runId}/cancel`, body: {} },
    { method: 'POST', path: `${base}/entries`, body: { kind: 'deposit', usdc: 1000 } },
    { method: 'POST', path: `${base}/risk/kill`, body: { reason: 'x' } },
  ];
}

/** Bob's account as it stands: the engine and its recording's audit table. */
async function bobState() {
  const s = surfaces[B]!;
  const snap = s.view.snapshot();
  const audit = await s.controlActions(10_000);
  return JSON.stringify({
    risk: snap.riskState,
    strategies: snap.strategies.map((x) => [x.id, x.paused, x.stopped, x.multiplier]),
    limits: s.riskLimits(),
    audit: audit.map((a) => [a.tsMs, a.actor.name, a.action, a.outcome]),
    runs: hostedB().runs!.list(),
  });
}

function streamOutcome(path: string, token: string): Promise<{ status?: number; first?: string; socket?: WebSocket }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(server.url.replace('http', 'ws') + path, { headers: { authorization: `Bearer ${token}` } });
    ws.on('unexpected-response', (_req, res) => (resolve({ status: res.statusCode }), ws.terminate()));
    ws.once('message', (data) => resolve({ first: JSON.parse(data.toString()).type, socket: ws }));
    ws.on('error', () => undefined);
  });
}

describe('several users on one daemon: each reaches only their own account', () => {
  it('Alice, with every role, cannot read or change Bob’s account: 404/403 and nothing of Bob’s changes', async () => {
    const url = server.url;
    const before = await bobState();
    let refused = 0;
    for (const e of accountEndpoints(B)) {
      for (const role of ROLES) {
        const r = await call(url, e.method, e.path, alice[role], e.body);
        expect(r.status, `${e.method} ${e.path} as alice/${role}`).toBe(404);
        expect(r.text, `${e.method} ${e.path} as alice/${role} said nothing of Bob's account`).not.toContain('mirror');
        refused++;
      }
    }
    // The stream of Bob's account.
    for (const role of ROLES) {
      expect((await streamOutcome(`/api/accounts/${B}/stream`, alice[role])).status, `stream as alice/${role}`).toBe(404);
      refused++;
    }
    // User management: only a daemon admin; Alice cannot grant herself Bob's account or touch Bob.
    const userRoutes: Endpoint[] = [
      { method: 'PUT', path: `/api/users/alice/grants/${B}`, body: { role: 'admin' } },
      { method: 'PUT', path: `/api/users/bob/grants/${B}`, body: { role: null } },
      { method: 'POST', path: '/api/users/bob/tokens', body: { role: 'admin' } },
      { method: 'POST', path: '/api/users/alice/tokens', body: { role: 'admin' } },
      { method: 'DELETE', path: '/api/users/bob' },
      { method: 'POST', path: '/api/users', body: { name: 'mallory', daemonAdmin: true } },
      { method: 'GET', path: '/api/users' },
    ];
    for (const e of userRoutes)
      for (const role of ROLES) {
        const r = await call(url, e.method, e.path, alice[role], e.body);
        expect(r.status, `${e.method} ${e.path} as alice/${role}`).toBe(403);
        refused++;
      }
    for (const role of ROLES) {
      const r = await call(url, 'POST', `/api/tokens/${bob.admin.id}/revoke`, alice[role]);
      expect(r.status, `revoke Bob's token as alice/${role}`).toBe(role === 'metrics' ? 403 : 404);
      refused++;
    }
    expect(await bobState(), 'Bob’s engine and recording').toBe(before);
    expect((await call(url, 'GET', `/api/accounts/${B}/status`, bob.viewer.token)).status).toBe(200); // Bob's token still works

    // What Alice does see: her account only, in lists, the short routes, /metrics and her tokens.
    const accounts = (await call(url, 'GET', '/api/accounts', alice.viewer)).body as { id: string; role: string }[];
    expect(accounts.map((a) => [a.id, a.role])).toEqual([[A, 'viewer']]);
    expect(((await call(url, 'GET', '/api/status', alice.admin)).body as { account: string }).account).toBe(A);
    const metrics = (await call(url, 'GET', '/metrics', alice.metrics)).text;
    expect(metrics).toContain('polytail_equity_usdc');
    expect(metrics).not.toContain(`account="${B}"`);
    const tokens = (await call(url, 'GET', '/api/tokens', alice.viewer)).body as { user?: string }[];
    expect(tokens.length).toBe(ROLES.length);
    expect(tokens.every((t) => t.user === 'alice')).toBe(true);
    // ... and on her own account her roles work: her pause pauses A, not B.
    expect((await call(url, 'POST', `/api/accounts/${A}/risk/pause`, alice.trader, { reason: 'mine' })).status).toBe(200);
    expect(surfaces[A]!.view.snapshot().riskState).toBe('paused');
    expect(surfaces[B]!.view.snapshot().riskState).toBe('active');
    const auditA = await surfaces[A]!.controlActions(10);
    expect(auditA[0]).toMatchObject({ action: 'pause_all', actor: { name: 'alice/alice-trader' } });
    // The operator sees both accounts in one scrape.
    const both = (await call(url, 'GET', '/metrics', operator)).text;
    expect(both).toContain(`account="${A}"`);
    expect(both).toContain(`account="${B}"`);
    // The list above is every account route the server declares (a route added later cannot slip past this test).
    const doc = (await call(url, 'GET', '/api/openapi.json', operator)).body as { paths: Record<string, Record<string, unknown>> };
    const tried = accountEndpoints(B).map((e) => `${e.method} ${e.path.split('?')[0]}`);
    for (const [path, methods] of Object.entries(doc.paths)) {
      if (!path.startsWith('/api/accounts/{account}/')) continue;
      const re = new RegExp(`^${path.replace('{account}', B).replace(/\{\w+\}/g, '[^/]+')}$`);
      for (const method of Object.keys(methods))
        expect(
          tried.some((t) => t.startsWith(`${method.toUpperCase()} `) && re.test(t.slice(method.length + 1))),
          `${method.toUpperCase()} ${path} is tried`,
        ).toBe(true);
    }
    expect(refused).toBeGreaterThanOrEqual(150);
    console.log(`cross-account refusals checked: ${refused}`);
  }, 300_000); // 156 refusals, each followed by a read of Bob's recording

  it('a revoked token stops at once: REST 401 and its open stream closed, whoever revokes it', async () => {
    const path = `/api/accounts/${B}/stream`;
    // Revoked from another process (polytail token revoke): the server notices the file.
    const open = await streamOutcome(path, bob.viewer.token);
    expect(open.first).toBe('hello');
    let closedWith: number | undefined;
    open.socket!.on('close', (code) => (closedWith = code));
    const t0 = Date.now();
    TokenStore.forDataDir(daemonDir).revoke(bob.viewer.id, Date.now());
    expect((await call(server.url, 'GET', `/api/accounts/${B}/status`, bob.viewer.token)).status).toBe(401);
    await waitUntil(() => closedWith !== undefined, 'the stream to close after a revocation in another process', { timeoutMs: 10_000 });
    expect(closedWith).toBe(4401);
    console.log(`stream closed ${Date.now() - t0} ms after a revocation in another process`);

    // Revoked over the API by the operator: closed before the answer returns.
    const second = await streamOutcome(path, bob.viewer2.token);
    expect(second.first).toBe('hello');
    let secondCode: number | undefined;
    second.socket!.on('close', (code) => (secondCode = code));
    expect((await call(server.url, 'POST', `/api/tokens/${bob.viewer2.id}/revoke`, operator)).status).toBe(200);
    await waitUntil(() => secondCode !== undefined, 'the stream to close after a revocation over the API', { timeoutMs: 5000 });
    expect(secondCode).toBe(4401);
    expect((await streamOutcome(path, bob.viewer2.token)).status).toBe(401);

    // A withdrawn grant: Bob's admin token keeps working elsewhere but no longer reaches B.
    const third = await streamOutcome(path, bob.admin.token);
    let thirdCode: number | undefined;
    third.socket!.on('close', (code) => (thirdCode = code));
    const withdrawn = await call(server.url, 'PUT', `/api/users/bob/grants/${B}`, operator, { role: null });
    expect(withdrawn.status, withdrawn.text).toBe(200);
    await waitUntil(() => thirdCode !== undefined, 'the stream to close after its grant was withdrawn', { timeoutMs: 5000 });
    expect(thirdCode).toBe(4401);
    expect((await call(server.url, 'GET', `/api/accounts/${B}/status`, bob.admin.token)).status).toBe(404);
    expect((await call(server.url, 'GET', '/api/me', bob.admin.token)).body).toMatchObject({ user: 'bob', accounts: [] });
  }, 120_000);
});
