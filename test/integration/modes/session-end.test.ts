/**
 * How a live session ends when something goes wrong at the end or in the middle: an error it cannot
 * recover from is said (a `session_failed` alert and a line on stderr), the summary is still stored,
 * open orders are cancelled as asked, and the exit code is not 0; a cancel the venue refuses is said
 * too, never reported as "open orders cancelled".
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../../src/sandbox/index.ts';
import { RecordingStore } from '../../../src/store/index.ts';
import { isAlert, isLog, spawnCli, type CliSession } from './cli-session.ts';
import { WHALE, startFastSandbox, tempDataDir } from './helpers.ts';

const ROOT = join(import.meta.dirname, '../../..');
let sb: Sandbox;
const children: CliSession[] = [];
beforeAll(async () => {
  sb = await startFastSandbox();
});
afterAll(async () => {
  for (const c of children) if (c.running()) c.child.kill('SIGKILL');
  await sb.stop();
});

async function recordedRun(dataDir: string) {
  const file = readdirSync(join(dataDir, 'sessions')).find((f) => f.endsWith('.duckdb'))!;
  const recording = await RecordingStore.open(join(dataDir, 'sessions', file), { readOnly: true });
  try {
    return (await recording.listRuns())[0];
  } finally {
    await recording.close();
  }
}

describe('a live session that ends badly', () => {
  it('says so when cancelling open orders fails at the stop, instead of claiming they were cancelled', async () => {
    const dataDir = tempDataDir();
    const cli = spawnCli(['live', '--sandbox', sb.urls.clob, '--target', WHALE, '--cancel-on-exit', '--json', '--data-dir', dataDir]);
    children.push(cli);
    await cli.waitForLine(isLog(/^live session run-/), 180_000, 'the session start');
    const res = await fetch(`${sb.urls.admin}/faults`, {
      method: 'POST',
      body: JSON.stringify({ kind: 'http', service: 'clob', path: '/cancel-all', method: 'DELETE', status: 500 }),
    });
    expect(res.ok).toBe(true);
    cli.child.kill('SIGINT');
    const code = await cli.exited;
    await fetch(`${sb.urls.admin}/faults`, { method: 'DELETE' });
    const stopLine = await cli.waitForLine(isLog(/session stopped/), 1_000, 'the stop line');
    expect(String(stopLine.message)).toMatch(/cancelling open orders FAILED \(.+\): they may still be open/);
    expect(String(stopLine.message)).not.toContain('open orders cancelled');
    expect(stopLine.level).toBe('error');
    expect(code).toBe(1);
    expect((await recordedRun(dataDir))?.summary).toBeDefined();
  }, 300_000);

  it('on an error it cannot recover from: session_failed, summary stored, orders cancelled as asked, exit 1', async () => {
    const dataDir = tempDataDir();
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/integration/modes/failing-child.ts', sb.urls.clob, WHALE, dataDir], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    const lines = out
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const context = `${out.slice(-2000)}\n${err.slice(-1000)}`;
    expect(code, context).toBe(1);
    const failed = lines.find(isAlert('session_failed'));
    expect(failed?.message, context).toMatch(/stopping: .*the disk is full \(injected\)/);
    expect(err).toMatch(/live session failed: .*the disk is full \(injected\)/);
    const stopLine = lines.find(isLog(/session stopped/));
    expect(stopLine?.message, context).toMatch(/stopped \(an unexpected error\); open orders cancelled; summary stored/);
    expect((await recordedRun(dataDir))?.summary).toBeDefined();
  }, 300_000);
});
