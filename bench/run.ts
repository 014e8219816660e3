/**
 * `npm run bench` prints figures; `npm run bench -- --json` prints one JSON object (and nothing else on stdout).
 * `--only NAME[,NAME]` runs some sections: engine, replay, sweep, tui, latency.
 * Figures are medians of several runs; the machine is shared, so compare ratios, not absolutes.
 */
import { benchEngine } from './engine-bench.ts';

type Section = () => Promise<Record<string, number | string | null>> | Record<string, number | string | null>;

const sections: Record<string, Section> = {
  engine: () => benchEngine(),
};

async function loadOptional(name: string, file: string, exportName: string): Promise<void> {
  try {
    const mod = (await import(file)) as Record<string, Section>;
    if (typeof mod[exportName] === 'function') sections[name] = mod[exportName]!;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw error;
  }
}

const args = process.argv.slice(2);
const json = args.includes('--json');
const onlyIndex = args.indexOf('--only');
const only = onlyIndex >= 0 ? new Set(args[onlyIndex + 1]!.split(',')) : undefined;

await loadOptional('replay', './replay-bench.ts', 'benchReplay');
await loadOptional('sweep', './sweep-bench.ts', 'benchSweep');
await loadOptional('tui', './tui-bench.ts', 'benchTui');
await loadOptional('latency', './latency-bench.ts', 'benchLatency');

const results: Record<string, number | string | null> = {};
for (const [name, run] of Object.entries(sections)) {
  if (only && !only.has(name)) continue;
  if (!json) process.stderr.write(`bench: ${name}…\n`);
  const figures = await run();
  Object.assign(results, figures);
  if (!json) for (const [k, v] of Object.entries(figures)) console.log(`${k.padEnd(36)} ${typeof v === 'number' ? v.toLocaleString('en-US') : v}`);
}
if (json) process.stdout.write(JSON.stringify(results) + '\n');
