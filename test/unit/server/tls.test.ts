/** The control server over TLS (what a non-loopback bind requires), with a test-only self-signed certificate. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SessionSurface } from '../../../src/core/session-surface.ts';
import { TokenStore } from '../../../src/server/auth/token-store.ts';
import { checkBind } from '../../../src/server/bind-policy.ts';
import { startControlServer } from '../../../src/server/control-server.ts';

const TLS = join(import.meta.dirname, '../../fixtures/tls');
const cert = join(TLS, 'localhost.crt');
const key = join(TLS, 'localhost.key');

const surface = {
  info: { mode: 'paper', runId: 'run-tls', startedMs: 0, recordingPath: '', version: '0' },
  view: {
    mode: 'paper',
    snapshot: () => ({
      nowMs: 0,
      riskState: 'active',
      riskReason: 'started',
      equity: { tsMs: 0, equityMicros: 0, cashMicros: 0, realizedMicros: 0, unrealizedMicros: 0, feesMicros: 0 },
      feedHealth: [],
      strategies: [],
      openOrders: [],
    }),
  },
  subscribe: () => undefined,
} as unknown as SessionSurface;

function get(url: string, token?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/api/status`,
      { ca: readFileSync(cert), headers: token ? { authorization: `Bearer ${token}` } : {} },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('control server with TLS', () => {
  it('serves https with the given certificate; a non-loopback bind with --allow-remote and TLS is accepted', async () => {
    expect(checkBind({ host: '0.0.0.0', allowRemote: true, tlsCert: cert, tlsKey: key })).toEqual({ tls: true });
    const store = TokenStore.forDataDir(mkdtempSync(join(tmpdir(), 'polytail-tls-')));
    const { token } = await store.create('viewer', 'tls', 0);
    const server = await startControlServer({ surface, tokens: store, tlsCert: cert, tlsKey: key });
    try {
      expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(await get(server.url)).toBe(401);
      expect(await get(server.url, token)).toBe(200);
    } finally {
      await server.close();
    }
  });
});
