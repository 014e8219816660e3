/**
 * Lets a strategy file anywhere on disk be loaded like the ones in `strategies/`. Inside this package
 * Node finds `polytail/strategy` by itself (package.json `exports`, self-reference) and knows the files
 * are ES modules (`"type": "module"`). A user's own folder has neither a node_modules/polytail nor a
 * package.json, so a resolve hook answers `polytail` and `polytail/*` as if the import were written
 * inside this package, and loads the folder's .ts/.js files as ES modules, which strategy files are.
 * Registered once per thread, before the first strategy file is imported. (Under vitest,
 * vitest.config.ts maps the name itself.)
 */
import { register } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

let registered = false;

export function allowPackageImports(packageRoot: string): void {
  if (registered) return;
  registered = true;
  const root = JSON.stringify(pathToFileURL(packageRoot).href + '/');
  const inside = JSON.stringify(pathToFileURL(join(packageRoot, 'package.json')).href);
  // Relative imports between a user's files are answered here: the TypeScript loader would read a
  // folder without package.json as CommonJS and fail on the first `import`.
  const hook = `
    import { existsSync } from 'node:fs';
    import { fileURLToPath } from 'node:url';
    const isUserFile = (url) => url.startsWith('file:') && /\\.(ts|js)$/.test(url.split('?')[0]) && !url.startsWith(${root}) && !url.includes('/node_modules/');
    export async function resolve(specifier, context, next) {
      if (specifier === 'polytail' || specifier.startsWith('polytail/')) return next(specifier, { ...context, parentURL: ${inside} });
      if (/^\\.\\.?\\//.test(specifier) && context.parentURL && isUserFile(context.parentURL)) {
        const url = new URL(specifier, context.parentURL);
        if (isUserFile(url.href) && existsSync(fileURLToPath(url))) return { url: url.href, format: 'module', shortCircuit: true };
      }
      const resolved = await next(specifier, context);
      return resolved.format === 'commonjs' && isUserFile(resolved.url) ? { ...resolved, format: 'module' } : resolved;
    }`;
  register(`data:text/javascript,${encodeURIComponent(hook)}`);
}
