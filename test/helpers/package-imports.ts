/** The npm packages a source file imports (static, dynamic and re-exports), by package name. */
import { builtinModules } from 'node:module';

/** What may stand between `import` and `from`: a default name, `* as x`, `{ a, b as c }` (multi-line), or both. */
const CLAUSE = String.raw`(?:type\s+)?(?:[\w$]+\s*,?\s*)?(?:\*\s*as\s+[\w$]+|\{[^}]*\})?`;
const SPECIFIERS = [
  new RegExp(String.raw`^\s*import\s+${CLAUSE}\s*from\s*['"]([^'"]+)['"]`, 'gm'),
  new RegExp(String.raw`^\s*export\s+(?:type\s+)?(?:\*(?:\s*as\s+[\w$]+)?|\{[^}]*\})\s*from\s*['"]([^'"]+)['"]`, 'gm'),
  /^\s*import\s*['"]([^'"]+)['"]/gm, // side-effect import
  /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g, // dynamic imports, type imports in annotations
  /\brequire\(\s*['"]([^'"]+)['"]\s*\)/g,
];
const BUILTINS = new Set(builtinModules);

/** `@scope/name/sub` → `@scope/name`, `name/sub` → `name`; undefined for relative, absolute and built-in ones. */
export function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:')) return undefined;
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
  if (!/^(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*$/i.test(name)) return undefined; // not an npm name (text in a string)
  return BUILTINS.has(name) ? undefined : name;
}

/** Every npm specifier a file imports (`zod`, `polytail/strategy`, `@scope/name/sub`), sorted, without relative and built-in ones. */
export function importedSpecifiers(text: string): string[] {
  const found = new Set<string>();
  for (const re of SPECIFIERS) for (const m of text.matchAll(re)) if (packageOf(m[1]!)) found.add(m[1]!);
  return [...found].sort();
}

export function importedPackages(text: string): string[] {
  return [...new Set(importedSpecifiers(text).map((s) => packageOf(s)!))].sort();
}
