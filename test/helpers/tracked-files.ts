/** The repository's tracked files (what a clone holds), for the checks that scan the source. */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export const REPO_ROOT = join(import.meta.dirname, '../..');

/** Paths relative to the repository root, as `git ls-files` lists them. */
export function trackedFiles(root = REPO_ROOT): string[] {
  let out: string;
  try {
    out = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  } catch (err) {
    throw new Error(
      `cannot list the tracked files with git ls-files in ${root}: run the tests from a git clone (${(err as Error).message})`,
    );
  }
  return out.split('\0').filter(Boolean);
}

/** Source-like files: code, scripts and config, not data fixtures or binaries. */
export function isSourceFile(path: string): boolean {
  if (path.startsWith('test/fixtures/polymarket/')) return false; // third-party data, not ours to word
  if (path === 'package-lock.json') return false; // generated
  if (/\.(ts|tsx|js|mjs|cjs|sh|json)$/.test(path)) return true;
  return path.startsWith('bin/') || path.startsWith('.ci/');
}
