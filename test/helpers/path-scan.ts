/**
 * Finds places where a tracked file names a path outside the repository: an absolute path of some
 * machine (a home, temp or work folder, a Windows drive, a file URL), a relative path that climbs above
 * the repository root (more parent steps than the file is deep, or parent steps from a root variable or
 * the working directory), or a parent-relative path that names nothing in the repository relative to its
 * own file (so it only works relative to a working directory, which it then leaves). The whole line is
 * read, comments included: a comment that points at a folder beside the clone is as wrong as code.
 * test/repo/path-scan.test.ts plants an example of each.
 */
import { posix } from 'node:path';

export interface PathFinding {
  file: string;
  line: number;
  rule: 'absolute-path' | 'above-root' | 'names-nothing';
  text: string;
}

export interface ScanContext {
  /** True when `path` (repository-relative, '/'-separated, normalised) is a tracked file or a folder holding one. */
  exists(path: string): boolean;
}

/** Top-level folders of a machine that hold people's or build machines' files (not URL paths like /data/order). */
const MACHINE_DIRS = 'work|home|tmp|Users|root|mnt|opt|srv|var|media|Volumes|private|scratch|shared';
const ABSOLUTE = [
  // A machine folder at the start of a path, not inside a URL or a longer path.
  new RegExp(String.raw`(?<![\w.~\-/:])/(?:${MACHINE_DIRS})(?=[/'"\x60\s),;]|$)`),
  // Windows drive paths (as written in source, with escaped backslashes, or with forward slashes).
  /(?<![\w])[A-Za-z]:(?:\\\\|\/)(?=[A-Za-z])/,
  // Local file URLs.
  /file:\/\/\//,
];
/** resolve/join of a root variable or the working directory with a parent step: climbing from the root itself. */
const ROOT_CLIMB = /\b(?:resolve|join)\(\s*(?:[\w$.]*(?:root|Root|ROOT|repo|Repo|REPO)[\w$]*|process\.cwd\(\))\s*,\s*(['"`])\.\.(?:\/|\1)/;
/** resolve/join of the file's own folder with parent-step arguments: count them against the file's depth. */
const FILE_CLIMB = /(?:import\.meta\.dirname|__dirname|dirname\(fileURLToPath\(import\.meta\.url\)\))\s*,\s*((?:(['"`])\.\.\2\s*,?\s*)+)/g;
/** A `../` path, quoted or not (comments and docs count too); it ends where a path character ends. */
const PARENT_PATH = /(?<![\w./])((?:\.\.\/)+[\w.@\-/]*)/g;

export function scanText(file: string, text: string, ctx: ScanContext): PathFinding[] {
  const findings: PathFinding[] = [];
  const dir = posix.dirname(file) === '.' ? '' : posix.dirname(file);
  const depth = dir === '' ? 0 : dir.split('/').length;
  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    const src = i === 0 && raw.startsWith('#!') ? '' : raw; // a shebang names the interpreter, not data
    const add = (rule: PathFinding['rule']) => findings.push({ file, line, rule, text: raw.trim().slice(0, 160) });
    if (ABSOLUTE.some((re) => re.test(src))) return add('absolute-path');
    if (ROOT_CLIMB.test(src)) return add('above-root');
    for (const m of src.matchAll(FILE_CLIMB)) if ((m[1]!.match(/\.\./g) ?? []).length > depth) return add('above-root');
    for (const m of src.matchAll(PARENT_PATH)) {
      const body = m[1]!;
      const resolved = posix.normalize(posix.join(dir, body));
      if (resolved === '..' || resolved.startsWith('../')) return add('above-root');
      // A template's static part may end mid-name (`helpers/${file}`): check the folder it names.
      const cut = src[m.index + body.length] === '$' && !body.endsWith('/');
      const named = (cut ? posix.dirname(resolved) : resolved).replace(/\/$/, '');
      if (named === '.' || named === 'node_modules' || named.startsWith('node_modules/')) continue;
      if (!ctx.exists(named)) return add('names-nothing');
    }
  });
  return findings;
}

/** A ScanContext over a list of repository-relative file paths. */
export function contextOf(files: readonly string[]): ScanContext {
  const known = new Set<string>();
  for (const f of files) {
    const parts = f.split('/');
    for (let i = 1; i <= parts.length; i++) known.add(parts.slice(0, i).join('/'));
  }
  return { exists: (p) => known.has(p) };
}
