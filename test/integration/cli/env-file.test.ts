/** `.env` in the working directory is read (shell variables win), and a key in it is never echoed. */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '../../../bin/polytail');

describe('.env', () => {
  it('is read from the working directory and a malformed key in it is explained, not shown', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'polytail-env-'));
    const secretish = '0xdeadbeefcafe';
    writeFileSync(join(dir, '.env'), `POLYTAIL_PRIVATE_KEY=${secretish}\n`);
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
    delete env.POLYTAIL_PRIVATE_KEY;
    const result = await run(process.execPath, [BIN, 'doctor'], { cwd: dir, env }).catch(
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
    const output = `${result.stdout}${result.stderr}`;
    expect(output).toMatch(/12 hex digits instead of 64/);
    expect(output).not.toContain('deadbeefcafe');
    expect((result as { code?: number }).code).toBe(2);
  });
});
