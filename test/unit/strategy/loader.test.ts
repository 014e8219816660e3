import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinStrategies } from '../../../src/strategy/builtin/index.ts';
import { StrategyLoadError, StrategyParamsError } from '../../../src/strategy/errors.ts';
import { listStrategies, loadStrategy, packageRoot, parseStrategyParams } from '../../../src/strategy/loader.ts';

const FIXTURES = resolve(packageRoot, 'test/fixtures/strategies');
const WALLET = '0x05c1882212a41aa8d7df5b70eebe03d9319345b7';

async function loadError(nameOrPath: string, dir = FIXTURES): Promise<StrategyLoadError> {
  const error = await loadStrategy(nameOrPath, { strategiesDir: dir }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StrategyLoadError);
  return error as StrategyLoadError;
}

describe('loadStrategy', () => {
  it('returns built-ins by name', async () => {
    for (const name of ['mirror', 'proportional', 'selective', 'fade']) {
      expect(await loadStrategy(name)).toBe(builtinStrategies[name]);
    }
  });

  it('finds strategies/<name>.ts in the package, whatever the working directory', async () => {
    const def = await loadStrategy('example-threshold');
    expect(def).toMatchObject({ name: 'example-threshold', kind: 'copy' });
  });

  it('loads a file by path (relative to cwd or package root) and by name in a chosen folder', async () => {
    expect((await loadStrategy('test/fixtures/strategies/min-size-copy.ts')).name).toBe('min-size-copy');
    expect((await loadStrategy(join(FIXTURES, 'min-size-copy'))).name).toBe('min-size-copy');
    expect((await loadStrategy('min-size-copy', { strategiesDir: FIXTURES })).name).toBe('min-size-copy');
  });

  it('a syntax error in a .js file names the file, the error and the line', async () => {
    const e = await loadError('syntax-error');
    expect(e.message).toMatch(
      /^strategy file .*syntax-error\.js: syntax error: SyntaxError: Unexpected end of input \(at .*syntax-error\.js:5\)$/,
    );
    expect(e.source).toBe(join(FIXTURES, 'syntax-error.js'));
  });

  it('a syntax error in a .ts file names the file and the problem', async () => {
    // Written at test time: a broken .ts fixture in the repo would break the typecheck.
    const dir = mkdtempSync(join(tmpdir(), 'polytail-strategies-'));
    writeFileSync(join(dir, 'typo.ts'), "export default {\n  name: 'typo',\n  kind: 'copy'\n  params: 1,\n};\n");
    const e = await loadError('typo', dir);
    expect(e.message).toMatch(/^strategy file .*typo\.ts: syntax error: /);
    expect(e.message).toMatch(/typo\.ts:4/);
  });

  it('a file that throws while loading', async () => {
    const e = await loadError('throws-on-import');
    expect(e.message).toMatch(/throws-on-import\.ts: error while loading: strategy file blew up at import time/);
  });

  it('no default export, a non-strategy export, missing fields, params not zod', async () => {
    expect((await loadError('no-default')).message).toMatch(
      /no-default\.ts: has no default export; end it with `export default defineStrategy\(\{ \.\.\. \}\)`/,
    );
    expect((await loadError('not-strategy')).message).toMatch(
      /not-strategy\.ts: default export is not a defineStrategy\(\{ \.\.\. \}\) object \(got function\)/,
    );
    expect((await loadError('missing-create')).message).toMatch(/missing-create\.ts: defineStrategy\(\{ \.\.\. \}\) is missing create$/);
    expect((await loadError('params-not-zod')).message).toMatch(/params-not-zod\.ts: params is not a zod schema/);
  });

  it('an unknown name lists the built-ins and the files it looked for', async () => {
    const e = await loadError('no-such-strategy');
    expect(e.message).toContain('strategy "no-such-strategy" not found: it is not a built-in (mirror, proportional, selective, fade)');
    expect(e.message).toContain('no-such-strategy.ts');
  });
});

describe('parseStrategyParams', () => {
  const mirror = builtinStrategies['mirror']!;

  it('fills defaults and lower-cases wallets', () => {
    expect(parseStrategyParams(mirror, { wallets: [WALLET.toUpperCase().replace('0X', '0x')] })).toEqual({
      wallets: [WALLET],
      sizing: { mode: 'multiplier', multiplier: 1 },
      orderType: 'FOK',
      maxSlippageBps: 200,
      copySells: true,
      minTargetUsdc: 0,
      sellAllWhenUnknown: false,
    });
  });

  it('renders each problem as strategy "name": params.path: what was expected', () => {
    let error: unknown;
    try {
      parseStrategyParams(mirror, {
        wallets: ['0x123'],
        sizing: { mode: 'multiplier', multiplier: 0 },
        orderType: 'IOC',
        maxSlippageBps: 'lots',
        multipler: 2,
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StrategyParamsError);
    const lines = (error as StrategyParamsError).message.split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        'strategy "mirror": params.wallets.0: expected a 0x wallet address (0x + 40 hex digits)',
        'strategy "mirror": params.sizing.multiplier: expected a number > 0, got number 0',
        'strategy "mirror": params.orderType: expected one of "FOK", "FAK", "GTC", got "IOC"',
        'strategy "mirror": params.maxSlippageBps: expected a number, got "lots"',
        'strategy "mirror": params: unknown key(s) "multipler" (misspelt?)',
      ]),
    );
  });

  it('missing required params and an unknown sizing mode', () => {
    expect(() => parseStrategyParams(mirror, {})).toThrow('strategy "mirror": params.wallets: required (an array)');
    expect(() => parseStrategyParams(mirror, { wallets: [WALLET], sizing: { mode: 'kelly' } })).toThrow(
      'strategy "mirror": params.sizing.mode: expected one of "multiplier", "fixed", "percent", "tiers", got "kelly"',
    );
  });
});

describe('listStrategies', () => {
  it('lists built-ins with their param tables, then files (broken ones with their error)', async () => {
    const rows = await listStrategies(FIXTURES);
    const mirror = rows.find((r) => r.name === 'mirror')!;
    expect(mirror.source).toBe('builtin');
    expect(mirror.params.find((p) => p.key === 'orderType')).toEqual({
      key: 'orderType',
      type: '"FOK" | "FAK" | "GTC"',
      required: false,
      default: '"FOK"',
      description: 'FOK/FAK = market order, GTC = resting limit',
    });
    expect(mirror.params.find((p) => p.key === 'wallets')).toMatchObject({ type: 'string[]', required: true, default: undefined });
    expect(mirror.params.find((p) => p.key === 'sizing')).toMatchObject({
      type: '{mode: multiplier | fixed | percent | tiers}',
      default: '{"mode":"multiplier","multiplier":1}',
    });
    const selective = rows.find((r) => r.name === 'selective')!;
    expect(selective.params.map((p) => p.key)).toContain('minPrice');

    const file = rows.find((r) => r.name === 'min-size-copy')!;
    expect(file).toMatchObject({ kind: 'copy', source: join(FIXTURES, 'min-size-copy.ts') });
    expect(file.error).toBeUndefined();
    expect(file.params.find((p) => p.key === 'minShares')).toMatchObject({ type: 'number', required: true });
    const broken = rows
      .filter((r) => r.error)
      .map((r) => r.name)
      .sort();
    expect(broken).toEqual(['missing-create', 'no-default', 'not-strategy', 'params-not-zod', 'syntax-error', 'throws-on-import']);
  });

  it('the shipped strategies folder loads cleanly', async () => {
    const rows = await listStrategies();
    expect(rows.filter((r) => r.error)).toEqual([]);
    expect(rows.map((r) => r.name)).toContain('example-threshold');
  });
});
