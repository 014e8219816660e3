/**
 * `polytail paper --sandbox --serve` as a real process: tokens made with `polytail token`, curl-like
 * calls (401 without a token, the status with a viewer token), /metrics, a revoked token refused at
 * once, SIGHUP and a vanished terminal (stdout closed) survived, SIGTERM stopping it cleanly.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../../src/sandbox/index.ts';
import { WHALE, startFastSandbox, tempDataDir } from '../modes/helpers.ts';
import { waitUntil } from '../../helpers/wait.ts';
import { call } from './helpers.ts';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '../../../bin/polytail');

let sb: Sandbox;
let child: ChildProcess | undefined;
const dataDir = tempDataDir();
let out = '';

async function token(role: string): Promise<{ token: string; id: string }> {
  const { stdout } = await run(process.execPath, [
    BIN,
    'token',
    'create',
    '--role',
    role,
    '--name',
    `${role}-cli`,
    '--data-dir',
    dataDir,
    '--json',
  ]);
  return JSON.parse(stdout) as { token: string; id: string };
}

beforeAll(async () => {
  sb = await startFastSandbox();
});
afterAll(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  await sb?.stop();
});

describe('a served paper session as a daemon process', () => {
  it('answers the API, survives SIGHUP and a closed terminal, and stops on SIGTERM', async () => {
    const viewer = await token('viewer');
    const metrics = await token('metrics');
    expect(statSync(join(dataDir, 'tokens.json')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dataDir, 'tokens.json'), 'utf8')).not.toContain(viewer.token.split('_')[2]);

    child = spawn(
      process.execPath,
      [BIN, 'paper', '--sandbox', sb.urls.clob, '--target', WHALE, '--serve', '--port', '0', '--data-dir', dataDir, '--poll-ms', '1000'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    const discovery = join(dataDir, 'serve', 'paper.json');
    await waitUntil(() => existsSync(discovery) || child!.exitCode !== null, 'the discovery file', { timeoutMs: 300_000 });
    expect(existsSync(discovery), out).toBe(true);
    const { url, pid } = JSON.parse(readFileSync(discovery, 'utf8')) as { url: string; pid: number };
    expect(pid).toBe(child.pid);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const none = await call(url, 'GET', '/api/status');
    expect(none.status).toBe(401);
    expect(none.body).toEqual({ error: 'unauthorized' });
    const status = await call(url, 'GET', '/api/status', viewer.token);
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ mode: 'paper', riskState: 'active', you: { name: 'viewer-cli', role: 'viewer' } });
    const scrape = await call(url, 'GET', '/metrics', metrics.token);
    expect(scrape.status).toBe(200);
    expect(scrape.text).toMatch(/^polytail_equity_usdc /m);

    // The terminal goes away: a hangup, and nobody reads stdout any more.
    // Without a handler, SIGHUP ends a Node process at once; the outcome checked is that it still
    // answers, seconds later, with its uptime still counting.
    child.kill('SIGHUP');
    child.stdout!.destroy();
    child.stderr!.destroy();
    const uptime = async () => (await call(url, 'GET', '/api/status', viewer.token)).body as { uptimeSeconds: number };
    const seen = await uptime();
    await waitUntil(async () => (await uptime()).uptimeSeconds >= seen.uptimeSeconds + 2, 'the status two seconds on', { intervalMs: 250 });
    expect(child.exitCode).toBe(null);
    expect(child.signalCode).toBe(null);

    // Revoked: refused from the next request on.
    await run(process.execPath, [BIN, 'token', 'revoke', viewer.id, '--data-dir', dataDir]);
    expect((await call(url, 'GET', '/api/status', viewer.token)).status).toBe(401);
    const { stdout: listed } = await run(process.execPath, [BIN, 'token', 'list', '--data-dir', dataDir]);
    expect(listed).toMatch(new RegExp(`${viewer.id}\\s+viewer\\s+viewer-cli .* REVOKED`));

    const exited = new Promise<number | null>((r) => child!.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(existsSync(discovery)).toBe(false);
    // Four CLI processes and a served session, each starting Node with tsx: minutes on a busy 2-core
    // machine (253 s at a load average of 24).
  }, 600_000);

  it('refuses to listen beyond loopback without --allow-remote and TLS, saying why', async () => {
    const r = await run(process.execPath, [
      BIN,
      'paper',
      '--sandbox',
      sb.urls.clob,
      '--target',
      WHALE,
      '--serve',
      '--bind',
      '0.0.0.0',
      '--data-dir',
      tempDataDir(),
    ]).catch((e: { code: number; stderr: string }) => e);
    expect((r as { code: number }).code).toBe(2);
    expect((r as { stderr: string }).stderr).toMatch(
      /refusing to listen on 0\.0\.0\.0: .* --allow-remote together with --tls-cert and --tls-key/,
    );
  }, 120_000);
});
