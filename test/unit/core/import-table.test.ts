/** docs/architecture.md's "may import" table is the one the linter enforces (eslint.config.js). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importTable } from '../../../eslint.config.js';

const ROOT = join(import.meta.dirname, '../../..');

/** `src/exec/sim` → `exec-sim`, `strategies` → `strategies`: the linter's name for a folder. */
const elementOf = (folder: string) => folder.replace(/^src\//, '').replace('/', '-');

function documentedTable(): Record<string, string[]> {
  const doc = readFileSync(join(ROOT, 'docs/architecture.md'), 'utf8');
  const section = doc.slice(doc.indexOf('## Where the code lives'));
  const table: Record<string, string[]> = {};
  for (const line of section.split('\n')) {
    const cells = /^\| `([a-z/]+)` \|.*\| (.*) \|$/.exec(line);
    if (!cells) continue;
    const [, folder, mayImport] = cells;
    const names = mayImport!.trim() === '—' ? [] : [...mayImport!.matchAll(/`([a-z/]+)`/g)].map((m) => elementOf(m[1]!));
    table[elementOf(folder!)] = /every `src` folder/.test(mayImport!) ? ['every src folder', ...names.filter((n) => n !== 'src')] : names;
  }
  return table;
}

describe('the import table', () => {
  it('docs/architecture.md lists every folder the linter knows, with the same allowed imports', () => {
    const doc = documentedTable();
    const everySrc = Object.keys(importTable).filter((f) => !['strategies', 'test-helpers', 'test', 'bench', 'scripts', 'bin'].includes(f));
    const expand = (names: string[]) => names.flatMap((n) => (n === 'every src folder' ? everySrc : [n])).sort();
    expect(Object.keys(doc).sort()).toEqual(Object.keys(importTable).sort());
    for (const [folder, allowed] of Object.entries(importTable)) {
      expect({ folder, allowed: expand(doc[folder] ?? []) }).toEqual({ folder, allowed: [...allowed].sort() });
    }
  });
});
