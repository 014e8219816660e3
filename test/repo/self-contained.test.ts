/**
 * polytail stands on its own: no tracked source, test, bench, script or doc names a path outside the
 * repository, so a clone at any path, with nothing beside it, runs the same. (test/repo/path-scan.test.ts
 * shows the scanner catching planted examples.)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contextOf, scanText } from '../helpers/path-scan.ts';
import { REPO_ROOT, isSourceFile, trackedFiles } from '../helpers/tracked-files.ts';

describe('the repository is self-contained', () => {
  it('no tracked file names an absolute path or a path above the repository root', () => {
    const files = trackedFiles();
    const scanned = files.filter((f) => isSourceFile(f) || f.endsWith('.md'));
    expect(scanned.length).toBeGreaterThan(200); // the scan really reads the tree
    const ctx = contextOf(files);
    const findings = scanned.flatMap((f) => scanText(f, readFileSync(join(REPO_ROOT, f), 'utf8'), ctx));
    expect(findings.map((f) => `${f.file}:${f.line} [${f.rule}] ${f.text}`)).toEqual([]);
  });
});
