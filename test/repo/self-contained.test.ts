/**
 * polytail stands on its own: no tracked source, test, bench, script or doc names a path outside the
 * repository, so a clone at any path, with nothing beside it, runs the same. (test/repo/path-scan.test.ts
 * shows the scanner catching planted examples.)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contextOf, scanText, type PathFinding } from '../helpers/path-scan.ts';
import { REPO_ROOT, isSourceFile, trackedFiles } from '../helpers/tracked-files.ts';

/**
 * Lines that name such a path on purpose, none of them read by polytail. Each entry must still match a
 * finding, so a stale one fails too. As in path-scan.test.ts, '§' stands for '/' and '‥' for '..' so
 * this file passes its own scan.
 */
const ON_PURPOSE: { file: string; text: string; why: string }[] = [
  { file: 'docs/operate.md', text: '§opt§polytail', why: "the systemd example installs polytail on the operator's server" },
  { file: 'test/integration/server/runtime-targets.test.ts', text: "'‥§‥§etc§evil'", why: 'a hostile request body the API must refuse' },
  {
    file: 'test/integration/server/runtime-targets.test.ts',
    text: "'‥§strategies§x'",
    why: 'a strategy name the API must refuse as a path',
  },
  { file: 'test/property/fuzz-parsers.test.ts', text: "'‥§x.ts'", why: 'a strategy path the config fuzzer feeds the loader' },
];

describe('the repository is self-contained', () => {
  it('no tracked file names an absolute path or a path above the repository root', () => {
    const files = trackedFiles();
    const scanned = files.filter((f) => isSourceFile(f) || f.endsWith('.md'));
    expect(scanned.length).toBeGreaterThan(200); // the scan really reads the tree
    const ctx = contextOf(files);
    const findings = scanned.flatMap((f) => scanText(f, readFileSync(join(REPO_ROOT, f), 'utf8'), ctx));
    const onPurpose = (f: PathFinding) =>
      ON_PURPOSE.find((p) => p.file === f.file && f.text.includes(p.text.replaceAll('§', '/').replaceAll('‥', '..')));
    expect(findings.filter((f) => !onPurpose(f)).map((f) => `${f.file}:${f.line} [${f.rule}] ${f.text}`)).toEqual([]);
    const used = new Set(findings.map(onPurpose));
    expect(ON_PURPOSE.filter((p) => !used.has(p))).toEqual([]);
  });
});
