/**
 * Every bad flag or config value is a message, not a stack trace: exit code 2 and one line saying
 * what is wrong and what is accepted. The arguments go through the real yargs commands in-process
 * (fast), and two of them through `bin/polytail` in a child process (the whole path, exit code
 * included).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yargs from 'yargs';
import { describe, expect, it } from 'vitest';
import { commandsFor } from '../../../src/cli/commands/index.ts';
import { exitFor } from '../../../src/cli/exit-code.ts';
import { ConfigError } from '../../../src/core/errors.ts';

const ROOT = join(import.meta.dirname, '../../..');
const NOBEL = join(ROOT, 'recordings/nobel-peace-prize-2025.duckdb');
const WALLET = '0xe8dd7741ccb12350957ec71e9ee332e0d1e6ec86';

/** The CLI's parser and commands, in this process; returns what main.ts would exit with. */
async function cli(argv: string[]): Promise<{ code: number; message: string }> {
  const parser = yargs(argv)
    .command(await commandsFor(argv))
    .strict()
    .fail((message, error) => {
      throw error ?? new ConfigError(message);
    });
  try {
    await parser.parseAsync();
    return { code: 0, message: '' };
  } catch (error) {
    return exitFor(error);
  }
}

function polytail(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/polytail', ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } }, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as { code?: number }).code) : 0, stdout, stderr }),
    );
  });
}

const badParamConfig = (() => {
  const path = join(mkdtempSync(join(tmpdir(), 'polytail-flags-')), 'config.json');
  writeFileSync(path, JSON.stringify({ targets: [{ wallet: WALLET, params: { multiplierr: 2 } }] }));
  return path;
})();

/** A .ts file in a folder of its own (strategies may live anywhere) that is not a strategy. */
const notAStrategy = (() => {
  const path = join(mkdtempSync(join(tmpdir(), 'polytail-flags-')), 'not-a-strategy.ts');
  writeFileSync(path, 'export const x = 1;\n');
  return path;
})();

const replay = (...extra: string[]) => ['replay', NOBEL, '--json', ...extra];

describe('bad flags: exit 2 and what is wrong and what is accepted', () => {
  it.each([
    ['--target hello', replay('--target', 'hello'), /^--target "hello": not a wallet address; expected 0x followed by 40 hex digits$/],
    ...['-1', '0', 'abc', 'NaN', 'Infinity'].map((m): [string, string[], RegExp] => [
      `--multiplier ${m}`,
      replay('--target', WALLET, `--multiplier=${m}`),
      /^--multiplier .+: expected a number above 0 \(e\.g\. 0\.5 or 2\)$/,
    ]),
    [
      'an unknown strategy',
      replay('--target', WALLET, '--strategy', 'nosuch'),
      /^strategy "nosuch" not found: .*Accepted: a built-in name/,
    ],
    [
      'a strategy path outside the strategies folder that is no strategy file',
      replay('--target', WALLET, '--strategy', '/etc/passwd'),
      /^strategy "\/etc\/passwd" not found: .*\/etc\/passwd\.ts.*Accepted: a built-in name/,
    ],
    [
      'a file outside the strategies folder that is no strategy',
      replay('--target', WALLET, '--strategy', notAStrategy),
      /^strategy file .*not-a-strategy\.ts: /,
    ],
    ['an unknown strategy parameter', replay('--config', badParamConfig), /^strategy "mirror": params.*"multiplierr"/],
    [
      '--from after --to',
      replay('--target', WALLET, '--from', '2025-10-10', '--to', '2025-10-01'),
      /^--from 2025-10-10T00:00:00\.000Z is not before --to/,
    ],
    ['paper --target hello', ['paper', '--sandbox', '--target', 'hello', '--no-tui'], /^--target "hello": not a wallet address/],
    [
      'live --multiplier NaN',
      ['live', '--sandbox', '--target', WALLET, '--multiplier', 'NaN', '--no-tui'],
      /^--multiplier \(not a number\)/,
    ],
    [
      'paper --poll-ms 0',
      ['paper', '--sandbox', '--target', WALLET, '--poll-ms', '0', '--no-tui'],
      /^--poll-ms 0: expected a number above 0/,
    ],
  ])('%s', async (_, args, message) => {
    const r = await cli(args);
    expect(r.code, r.message).toBe(2);
    expect(r.message).toMatch(message);
    expect(r.message.split('\n')).toHaveLength(1);
  });

  it('a well-formed --target that is not in the recording: says so and lists the busiest wallets', async () => {
    const r = await cli(replay('--target', '0x1234567890123456789012345678901234567890'));
    expect(r.code).toBe(2);
    expect(r.message).toMatch(
      /^--target 0x1234567890123456789012345678901234567890: no trades of this wallet in recording .*; its busiest wallets:/,
    );
    expect(r.message).toContain(WALLET);
  });

  it('a sweep where every combination fails exits non-zero with the first failure', async () => {
    const r = await cli(['sweep', NOBEL, '--target', WALLET, '--grid', 'multiplier=-1,0', '--save', 'false', '--workers', '1', '--json']);
    expect(r.code).not.toBe(0);
    expect(r.message).toMatch(/^every combination failed \(2\); the first, \{"multiplier":-1\}: .*multiplier/);
  }, 60_000);

  it.each([
    [['replay', NOBEL, '--json', '--target', 'hello'], /^polytail: --target "hello": not a wallet address/],
    [
      ['replay', NOBEL, '--json', '--target', WALLET, '--multiplier', 'abc'],
      /^polytail: --multiplier \(not a number\): expected a number above 0/,
    ],
  ])('bin/polytail %j: exit 2, no stack trace', async (args, message) => {
    const r = await polytail(args);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe('');
  });
});
