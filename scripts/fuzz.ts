/**
 * `npm run fuzz -- [--runs 10000] [--seed N]`: the parser fuzz tests (test/property/fuzz-parsers.test.ts)
 * with that many runs per parser, then one line per parser with its runs and time, and the total.
 * Exit code 0 when every parser held (typed error or valid value, never a stray throw or a hang).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const args = process.argv.slice(2);
const flag = (name: string, fallback?: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : fallback;
};
const runs = Number(flag('runs', '10000'));
if (!Number.isInteger(runs) || runs <= 0) {
  process.stderr.write(`fuzz: --runs ${flag('runs')}: expected a whole number above 0\n`);
  process.exit(2);
}
const seed = flag('seed');
const reportFile = join(mkdtempSync(join(tmpdir(), 'polytail-fuzz-')), 'report.jsonl');
const started = Date.now();
const result = spawnSync(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', 'test/property/fuzz-parsers.test.ts'], {
  stdio: 'inherit',
  env: { ...process.env, FUZZ_RUNS: String(runs), FUZZ_REPORT: reportFile, ...(seed !== undefined ? { FUZZ_SEED: seed } : {}) },
});
const seconds = ((Date.now() - started) / 1000).toFixed(1);
let report: Record<string, { runs: number; ms: number }> = {};
try {
  for (const line of readFileSync(reportFile, 'utf8').split('\n').filter(Boolean)) report = { ...report, ...JSON.parse(line) };
} catch {
  // no report: the run failed before any parser finished
}
process.stdout.write(`\nfuzz: ${runs} runs per parser${seed !== undefined ? `, seed ${seed}` : ''}\n`);
for (const [name, r] of Object.entries(report))
  process.stdout.write(`  ${name.padEnd(20)} ${String(r.runs).padStart(6)} runs  ${(r.ms / 1000).toFixed(1)} s\n`);
const total = Object.values(report).reduce((n, r) => n + r.runs, 0);
process.stdout.write(`  ${'total'.padEnd(20)} ${String(total).padStart(6)} runs  ${seconds} s wall (vitest included)\n`);
process.exit(result.status ?? 1);
