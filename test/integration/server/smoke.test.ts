import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../../src/sandbox/index.ts';
import { startFastSandbox } from '../modes/helpers.ts';
import { call, serveSandboxSession, type Served } from './helpers.ts';

let sb: Sandbox;
let served: Served;
beforeAll(async () => {
  sb = await startFastSandbox();
  served = await serveSandboxSession(sb);
});
afterAll(async () => {
  await served?.stop();
  await sb?.stop();
});

describe('control server smoke', () => {
  it('401 without a token, status with a viewer token', async () => {
    const url = served.server.url;
    expect((await call(url, 'GET', '/api/status')).status).toBe(401);
    const ok = await call(url, 'GET', '/api/status', served.tokens.viewer);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ mode: 'paper', riskState: 'active' });
    const m = await call(url, 'GET', '/metrics', served.tokens.metrics);
    expect(m.status).toBe(200);
    expect(m.text).toContain('polytail_equity_usdc');
    const k = await call(url, 'POST', '/api/risk/kill', served.tokens.admin, {});
    expect(k.status).toBe(200);
    const audit = await call(url, 'GET', '/api/audit', served.tokens.admin);
    console.log(JSON.stringify(audit.body).slice(0, 500));
  });
});
