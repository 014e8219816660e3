import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Strategy files import `polytail/strategy` (package.json "exports"), also from folders outside the package.
  resolve: { alias: { 'polytail/strategy': fileURLToPath(new URL('./src/strategy/index.ts', import.meta.url)) } },
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // DuckDB and the sandbox use native handles and sockets: forks isolate them best.
    pool: 'forks',
  },
});
