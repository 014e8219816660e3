/**
 * The path scanner catches planted examples of every way a file can reach outside the repository, and
 * stays quiet on the paths polytail really uses. Planted text writes '§' for '/', '‥' for '..' and '¥'
 * for a backslash, so this file itself passes the repository scan.
 */
import { describe, expect, it } from 'vitest';
import { contextOf, scanText } from '../helpers/path-scan.ts';

const plant = (text: string) => text.replaceAll('§', '/').replaceAll('‥', '..').replaceAll('¥', '\\');
const repo = contextOf([
  'src/strategy/loader.ts',
  'test/fixtures/import/bad-price.csv',
  'test/integration/engine/mirror.test.ts',
  'test/unit/import/import-files.test.ts',
  'recordings/nobel.duckdb',
  'bin/polytail',
  'docs/recordings.md',
]);
const rules = (file: string, text: string) => scanText(file, plant(text), repo).map((f) => `${f.line}:${f.rule}`);

describe('path scanner', () => {
  it.each([
    ['an absolute data folder', "const DATA = '§work§shared§data§polymarket';"],
    ['a home directory', 'const key = readFileSync("§home§me§.polytail§key");'],
    ['a temp path', 'const out = `§tmp§polytail-${id}.duckdb`;'],
    ['a macOS home', "open('§Users§me§data.csv')"],
    ['a Windows drive', "const p = 'C:¥¥Users¥¥me¥¥data.csv';"],
    ['a file URL', "new URL('file:§§§srv§data.csv')"],
    ['a comment pointing at a machine folder', '// reads the exports under §work§shared§data'],
  ])('flags %s', (_what, text) => {
    expect(rules('test/unit/x/some.test.ts', text)).toEqual(['1:absolute-path']);
  });

  it.each([
    ['too many ‥/ for the file’s depth', "join(import.meta.dirname, '‥§‥§‥§‥§shared§data§polymarket')"],
    ['resolve(root, "‥")', "const data = resolve(root, '‥');"],
    ['join(ROOT, "‥/x")', "const up = join(ROOT, '‥§shared');"],
    ['process.cwd() and ‥', "resolve(process.cwd(), '‥', 'shared')"],
    ['more ‥ arguments than folders', "resolve(dirname(fileURLToPath(import.meta.url)), '‥', '‥', '‥', '‥')"],
  ])('flags %s', (_what, text) => {
    expect(rules('test/integration/engine/mirror.test.ts', text)).toEqual(['1:above-root']);
  });

  it('flags a ‥/ path in a file at the root', () => {
    expect(rules('vitest.config.ts', "const data = '‥§shared§data§polymarket';")).toEqual(['1:above-root']);
    expect(rules('package.json', '"test": "vitest run --dir ‥§shared"')).toEqual(['1:above-root']);
  });

  it('flags a ‥/ path that names nothing beside its file (it only works from a working directory above)', () => {
    expect(rules('test/integration/engine/mirror.test.ts', "const CSV = '‥§shared§data§wallet.csv';")).toEqual(['1:names-nothing']);
    expect(rules('scripts/build.ts', ' * ‥§shared§data§polymarket (or a folder given on the command line)')).toEqual(['1:names-nothing']);
  });

  it('names the line of each finding in a longer file', () => {
    const text = ["import { x } from '‥§‥§‥§src§strategy§loader.ts';", '', "const T = '§tmp§x';", "const U = '‥§‥§‥§‥§up';"].join('\n');
    expect(rules('test/unit/import/other.test.ts', text)).toEqual(['3:absolute-path', '4:above-root']);
  });

  it('accepts what polytail really writes', () => {
    const fine = [
      "import { loadStrategy } from '‥§‥§‥§src§strategy§loader.ts';",
      "const FIX = join(import.meta.dirname, '‥§‥§fixtures§import');",
      "const BIN = join(import.meta.dirname, '‥§‥§‥§bin§polytail');",
      "const REC = fileURLToPath(new URL('‥§‥§‥§recordings§nobel.duckdb', import.meta.url));",
      'const helper = new URL(`‥§‥§‥§node_modules§@polymarket§clob-client-v2§dist§${file}`, import.meta.url);',
      "const ROOT = join(import.meta.dirname, '‥§‥§‥');",
      "const root = resolve(dirname(fileURLToPath(import.meta.url)), '‥', '‥', '‥');",
      "r.add('GET', '§data§order§:id', handler); // CLOB API paths are not files",
      'const url = `https:§§clob.polymarket.com§home`;',
      "const dir = mkdtempSync(join(tmpdir(), 'polytail-'));",
      'See [recordings](‥§‥§‥§docs§recordings.md).',
    ];
    for (const line of fine) expect(rules('test/integration/engine/mirror.test.ts', line), line).toEqual([]);
    expect(rules('bin/polytail', "#!§usr§bin§env node\nawait import('‥§src§strategy§loader.ts');")).toEqual([]);
  });
});
