// ESLint: typescript-eslint's syntax-only rules (no type information, so it stays fast) and the
// import table of docs/architecture.md, enforced by eslint-plugin-boundaries. A folder's row in the
// table is its `allow` list below; anything not allowed is an error. docs/architecture.md shows the
// same table; test/unit/core/import-table.test.ts keeps the two equal.
import boundaries from 'eslint-plugin-boundaries';
import tseslint from 'typescript-eslint';

/** Folders, most specific first: a file belongs to the first pattern that matches it. */
const elements = [
  ['exec-sim', 'src/exec/sim'],
  ['exec-clob', 'src/exec/clob'],
  ['core', 'src/core'],
  ['polymarket', 'src/polymarket'],
  ['risk', 'src/risk'],
  ['strategy', 'src/strategy'],
  ['engine', 'src/engine'],
  ['wallet', 'src/wallet'],
  ['chain', 'src/chain'],
  ['feeds', 'src/feeds'],
  ['store', 'src/store'],
  ['import', 'src/import'],
  ['report', 'src/report'],
  ['config', 'src/config'],
  ['live', 'src/live'],
  ['modes', 'src/modes'],
  ['server', 'src/server'],
  ['sandbox', 'src/sandbox'],
  ['console', 'src/console'],
  ['tui', 'src/tui'],
  ['cli', 'src/cli'],
  ['strategies', 'strategies'],
  ['test-helpers', 'test/helpers'],
  ['test', 'test'],
  ['bench', 'bench'],
  ['scripts', 'scripts'],
  ['bin', 'bin'],
];

const NOT_SRC = ['strategies', 'test-helpers', 'test', 'bench', 'scripts', 'bin'];
const SRC = elements.map(([type]) => type).filter((type) => !NOT_SRC.includes(type));

/**
 * The import table: who may import whom (besides itself). Adapters (exec-clob, wallet, chain, feeds,
 * store) reach only core and polymarket; the engine never an adapter; modes is the one place that
 * knows every adapter; tui, cli and server talk to the engine through modes, commands and snapshots.
 */
export const importTable = {
  core: [],
  polymarket: ['core'],
  risk: ['core', 'polymarket'],
  strategy: ['core', 'polymarket'],
  'exec-sim': ['core', 'polymarket'],
  engine: ['core', 'polymarket', 'risk', 'strategy'],
  wallet: ['core', 'polymarket'],
  'exec-clob': ['core', 'polymarket', 'wallet'],
  chain: ['core', 'polymarket'],
  feeds: ['core', 'polymarket', 'chain'],
  store: ['core'],
  import: ['core', 'polymarket', 'store'],
  report: ['core', 'engine'],
  config: ['core'],
  live: ['core', 'polymarket', 'engine', 'feeds', 'config', 'store'],
  modes: SRC.filter((type) => !['modes', 'tui', 'cli', 'server', 'console'].includes(type)),
  // config: the server and alert settings; strategy: the knob names and bounds of the public API;
  // modes: serve-session wires a LiveSession (modes/served-session.ts builds the SessionSurface).
  server: ['core', 'config', 'strategy', 'modes'],
  sandbox: ['core', 'polymarket'],
  // The browser console: types only from core and server (the wire contract); rule below.
  console: ['core', 'server'],
  tui: ['core'],
  // server: `--serve`, `polytail attach` (RemoteEngine) and `polytail token` are commands like the others.
  cli: ['core', 'polymarket', 'config', 'strategy', 'store', 'import', 'report', 'live', 'modes', 'server', 'sandbox', 'tui', 'wallet'],
  strategies: [],
  // Test support (the copy audit, fixtures, waits) is shared with the chaos run and the benches.
  'test-helpers': SRC,
  test: [...SRC, 'strategies', 'test-helpers'],
  bench: [...SRC, 'test-helpers'],
  scripts: [...SRC, 'test-helpers'],
  bin: ['cli'],
};

const sameAs = (type) => [type];

export default tseslint.config(
  { ignores: ['node_modules/', 'recordings/', 'test/fixtures/strategies/syntax-error.js', '**/*.duckdb'] },
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.js', '**/*.mjs'],
    languageOptions: { parser: tseslint.parser, ecmaVersion: 2022, sourceType: 'module' },
    plugins: { '@typescript-eslint': tseslint.plugin, boundaries },
    settings: {
      'boundaries/elements': elements.map(([type, pattern]) => ({ type, pattern, partialMatch: false })),
      'boundaries/include': ['src/**', 'strategies/**', 'test/**', 'bench/**', 'scripts/**', 'bin/**'],
      'import/resolver': { node: { extensions: ['.ts', '.tsx', '.js', '.mjs'] } },
    },
    rules: {
      'boundaries/dependencies': [
        'error',
        {
          default: 'disallow',
          message: '{{from.type}} may not import {{to.type}} (docs/architecture.md: what each folder may import)',
          policies: [
            ...Object.entries(importTable).map(([type, allowed]) => ({
              from: { element: { type } },
              allow: { to: { element: { types: { anyOf: [...sameAs(type), ...allowed] } } } },
            })),
          ],
        },
      ],
      // Strategy files are the public API's users: their only way into polytail is `polytail/strategy`.
      'boundaries/external': 'off',
      'no-restricted-imports': 'off',
    },
  },
  {
    files: ['strategies/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/src/**'], message: 'strategy files import polytail only through `polytail/strategy` (strategies/README.md)' },
            { regex: '^(?!polytail/strategy$|\\.{1,2}/)', message: 'strategy files import only `polytail/strategy` and their own lib/' },
          ],
        },
      ],
    },
  },
  {
    // The web console runs in a browser: from the rest of polytail it takes types only (esbuild drops
    // them), and it never writes HTML (every string goes in as text: market titles are user-written).
    files: ['src/console/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/core/**', '**/server/**'],
              allowTypeImports: true,
              message: 'the console takes only types from the rest of polytail',
            },
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        ...['innerHTML', 'outerHTML', 'insertAdjacentHTML'].map((property) => ({
          property,
          message: 'build DOM with dom.ts (text nodes), never HTML',
        })),
      ],
      'no-restricted-syntax': [
        'error',
        { selector: 'MemberExpression[property.name=/^(innerHTML|outerHTML)$/]', message: 'never HTML in the console' },
      ],
    },
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
);
