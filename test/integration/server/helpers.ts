/** A paper session against the in-process sandbox, served by the control server, plus tokens of every role. */
import { TokenStore } from '../../../src/server/auth/token-store.ts';
import type { Role } from '../../../src/server/auth/roles.ts';
import { startControlServer, type ControlServer } from '../../../src/server/control-server.ts';
import { SessionMetrics } from '../../../src/server/metrics/session-metrics.ts';
import { startLiveSession, type LiveSession } from '../../../src/modes/live-session.ts';
import { servedSurface } from '../../../src/modes/served-session.ts';
import type { SessionSurface } from '../../../src/core/session-surface.ts';
import type { Sandbox } from '../../../src/sandbox/index.ts';
import { WHALE, configFor, tempDataDir } from '../modes/helpers.ts';

export interface Served {
  session: LiveSession;
  surface: SessionSurface;
  server: ControlServer;
  dataDir: string;
  tokens: Record<Role, string>;
  stop(): Promise<void>;
}

export async function serveSandboxSession(sb: Sandbox, extra: Record<string, unknown> = {}): Promise<Served> {
  const dataDir = tempDataDir();
  const session = await startLiveSession({
    mode: 'paper',
    config: configFor(dataDir, [WHALE], extra),
    sandboxUrl: sb.urls.clob,
    pollIntervalMs: 1000,
    env: {},
  });
  const surface = servedSurface(session, Date.now());
  const store = TokenStore.forDataDir(dataDir);
  const tokens = {} as Record<Role, string>;
  for (const role of ['metrics', 'viewer', 'trader', 'admin'] as const)
    tokens[role] = (await store.create(role, `${role}-token`, Date.now())).token;
  const metrics = new SessionMetrics(surface.view, surface.info.startedMs);
  surface.subscribe(metrics);
  // The auth matrix fails on purpose hundreds of times from one address; the throttle has its own test.
  const server = await startControlServer({ surface, tokens: store, metrics, viewEveryMs: 200, authFailuresPerMinute: 100_000 });
  return {
    session,
    surface,
    server,
    dataDir,
    tokens,
    async stop() {
      await server.close();
      await session.stop();
    },
  };
}

export interface CallResult {
  status: number;
  body: unknown;
  text: string;
}

export async function call(url: string, method: string, path: string, token?: string, body?: unknown): Promise<CallResult> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Prometheus text, or empty
  }
  return { status: res.status, body: parsed, text };
}
