import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Strategy files import `polytail/strategy` (package.json "exports"), also from folders outside the package.
  resolve: { alias: { 'polytail/strategy': fileURLToPath(new URL('./src/strategy/index.ts', import.meta.url)) } },
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // A hang guard, not a speed check: every wait inside a test polls a condition with its own deadline.
    // Tests that start Node processes (the CLI, the daemon, kill -9) run 3–5× slower on a busy 2-core
    // machine than on an idle one, so the guard leaves them room; the longest ones set their own.
    testTimeout: 180_000,
    hookTimeout: 120_000,
    // DuckDB and the sandbox use native handles and sockets: forks isolate them best.
    pool: 'forks',
  },
});
