/**
 * Every package a tracked source file imports is a direct dependency in package.json (and in the
 * lockfile's root entry), so nothing works only because another package happened to bring it along.
 * Code that ships (src, bin, strategies) may only use `dependencies`; tests, benches and scripts may
 * also use `devDependencies`. polytail importing itself by name (`polytail/strategy`, how strategy
 * files reach the public API) must name a subpath its `exports` offer.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importedPackages, importedSpecifiers, packageOf } from '../helpers/package-imports.ts';
import { REPO_ROOT, trackedFiles } from '../helpers/tracked-files.ts';

interface PackageJson {
  name?: string;
  exports?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}
const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as PackageJson;
const lock = JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, PackageJson> };
const runtime = new Set(Object.keys(pkg.dependencies ?? {}));
const all = new Set([...runtime, ...Object.keys(pkg.devDependencies ?? {})]);
const ships = (file: string) => /^(src|bin|strategies)\//.test(file);
const isCode = (file: string) => /\.(ts|tsx|js|mjs|cjs)$/.test(file) || file === 'bin/polytail';

describe('dependencies', () => {
  it('finds static, type-only, dynamic and re-exported imports, and ignores relative and built-in ones', () => {
    const text = [
      "import { z } from 'zod';",
      "import type { Server } from 'ws';",
      "import React, { useState } from 'react';",
      "export { render } from 'ink';",
      "const viem = await import('viem');",
      "import '@polymarket/clob-client-v2/dist/helpers.js';",
      "import { readFileSync } from 'node:fs';",
      "import { join } from 'path';",
      "import { x } from '../helpers/tracked-files.ts';",
    ].join('\n');
    expect(importedPackages(text)).toEqual(['@polymarket/clob-client-v2', 'ink', 'react', 'viem', 'ws', 'zod']);
    expect(packageOf('@duckdb/node-api/lib')).toBe('@duckdb/node-api');
  });

  it('every imported package is declared, and shipped code uses only runtime dependencies', () => {
    const problems: string[] = [];
    let scanned = 0;
    for (const file of trackedFiles().filter(isCode)) {
      scanned++;
      for (const specifier of importedSpecifiers(readFileSync(join(REPO_ROOT, file), 'utf8'))) {
        const name = packageOf(specifier)!;
        if (name === pkg.name) {
          const subpath = `.${specifier.slice(name.length)}`;
          if (!(subpath in (pkg.exports ?? {}))) problems.push(`${file} imports ${specifier}, which package.json's exports do not offer`);
        } else if (!all.has(name)) problems.push(`${file} imports ${name}, which package.json does not declare`);
        else if (ships(file) && !runtime.has(name)) problems.push(`${file} imports ${name}, a devDependency, but ships to users`);
      }
    }
    expect(scanned).toBeGreaterThan(200);
    expect(problems).toEqual([]);
  });

  it('the lockfile root lists exactly the declared dependencies, with the same ranges', () => {
    const root = lock.packages[''] ?? {};
    expect(root.dependencies).toEqual(pkg.dependencies);
    expect(root.devDependencies).toEqual(pkg.devDependencies);
  });
});
