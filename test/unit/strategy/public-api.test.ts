/**
 * The public strategy API as a user meets it: strategies/README.md's example compiles and trades,
 * `polytail/strategy` resolves from a folder outside the package (under vitest and under the real
 * CLI), and a file written for another API version is refused with a message that says so.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { TargetTradeSeen } from '../../../src/core/events.ts';
import { StrategyLoadError } from '../../../src/strategy/errors.ts';
import { loadStrategy, packageRoot, parseStrategyParams } from '../../../src/strategy/loader.ts';
import { buildHarness } from '../../helpers/engine-harness.ts';

const WALLET = '0x' + '1'.repeat(40);
const FIXTURES = join(packageRoot, 'test/fixtures/strategies');

/** The first ```ts block under "## The shape" in strategies/README.md. */
function readmeExample(): string {
  const readme = readFileSync(join(packageRoot, 'strategies/README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## The shape'));
  const match = /```ts\n([\s\S]*?)```/.exec(section);
  if (!match) throw new Error('strategies/README.md has no ```ts block under "## The shape"');
  return match[1]!;
}

/** A folder of the user's, outside the package, holding `files`. */
function userFolder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'polytail-user-strategies-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

function trade(i: number, shares: number): TargetTradeSeen {
  return {
    type: 'target_trade',
    source: 'import:test',
    seq: i,
    tsEvent: 1000 * i,
    tsRecv: 1000 * i,
    trade: {
      wallet: WALLET,
      txHash: `0x${i}`,
      tokenId: 'yes',
      conditionId: 'c1',
      side: 'BUY',
      sizeMicros: shares * 1_000_000,
      priceMicros: 500_000,
      usdcMicros: shares * 500_000,
      outcome: 'Yes',
    },
  };
}

describe('strategies/README.md example', () => {
  it('is the file the typecheck compiles (test/fixtures/strategies/readme-example.ts)', () => {
    // `npm test` runs tsc over test/fixtures, so the example in the README is compiled as long as these agree.
    expect(readmeExample()).toBe(readFileSync(join(FIXTURES, 'readme-example.ts'), 'utf8'));
  });

  it('loads from a user folder given by path and trades through the engine', async () => {
    const dir = userFolder({ 'my-copy.ts': readmeExample() });
    const definition = await loadStrategy(join(dir, 'my-copy.ts'));
    expect(definition).toMatchObject({ apiVersion: 1, name: 'my-copy', kind: 'copy' });
    const params = parseStrategyParams(definition, { wallets: [WALLET], minShares: 10 }) as Record<string, unknown>;
    const h = buildHarness({ strategies: [{ definition, params, id: 'my-copy#1' }] });
    h.feed([trade(1, 4), trade(2, 20)]);
    expect(h.decisions.map((d) => [d.action, d.reason])).toEqual([
      ['skip', 'below_threshold'],
      ['copy', 'approved'],
    ]);
    expect(h.engine.control.setMultiplier('my-copy#1', 0.5)).toBe(0.5);
  });
});

describe('apiVersion', () => {
  const body = (version: string) =>
    `import { defineStrategy, z } from 'polytail/strategy';\n` +
    `export default defineStrategy({ ${version} name: 'versioned', description: '', kind: 'copy', params: z.object({}), create: () => ({}) } as never);\n`;
  const dir = userFolder({ 'none.ts': body(''), 'future.ts': body('apiVersion: 2,'), 'current.ts': body('apiVersion: 1,') });

  async function loadError(file: string): Promise<string> {
    const error = await loadStrategy(join(dir, file)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StrategyLoadError);
    return (error as Error).message;
  }

  it('a file for another version is refused, naming both versions', async () => {
    expect(await loadError('future.ts')).toBe(
      `strategy file ${join(dir, 'future.ts')}: written for strategy API version 2, but this polytail runs version 1: ` +
        'use a polytail that runs version 2, or port the file to version 1 (strategies/README.md)',
    );
  });

  it('a file without one is told what to add', async () => {
    expect(await loadError('none.ts')).toMatch(/none\.ts: defineStrategy\(\{ \.\.\. \}\) has no apiVersion; add `apiVersion: 1`/);
    expect((await loadStrategy(join(dir, 'current.ts'))).name).toBe('versioned');
  });
});

describe('polytail/strategy under the real CLI', () => {
  it('`polytail strategies --dir` lists a user folder whose files import it and each other', async () => {
    const helper = `import { toMicros } from 'polytail/strategy';\nexport const tenShares = () => toMicros(10);\n`;
    const example = readmeExample().replace('toMicros(params.minShares)', 'toMicros(params.minShares) + tenShares() * 0');
    const withHelper = `import { tenShares } from './lib/helper.ts';\n${example}`;
    const dir = userFolder({ 'my-copy.ts': withHelper, 'lib/helper.ts': helper });
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [join(packageRoot, 'bin/polytail'), 'strategies', '--dir', dir, '--json'],
      {
        cwd: dir,
      },
    );
    const rows = JSON.parse(stdout) as { name: string; error?: string; params: { key: string }[] }[];
    const mine = rows.find((r) => r.name === 'my-copy');
    expect(mine?.error).toBeUndefined();
    expect(mine?.params.map((p) => p.key)).toContain('minShares');
  });
});
