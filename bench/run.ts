/**
 * `npm run bench` prints figures; `npm run bench -- --json` prints one JSON object (and nothing else on stdout).
 * `--only NAME[,NAME]` runs some sections: engine, floor, replay, sweep, tui, latency, chain. Several sections run
 * each in a child process of its own (`--in-process` keeps them in this one).
 * Figures are medians of several runs; the machine is shared, so compare ratios, not absolutes.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { benchEngine } from './engine-bench.ts';
import { copyFloor } from './lib/copy-floor.ts';

type Section = () => Promise<Record<string, number | string | null>> | Record<string, number | string | null>;

/**
 * A fixed amount of plain CPU work, so figures from machines of different speed (or one machine under
 * different load) can be compared: 1e8 integer additions take about 100 ms on a typical laptop core.
 */
function calibrate(): Record<string, number> {
  const runs: number[] = [];
  for (let r = 0; r < 3; r++) {
    const t = process.hrtime.bigint();
    let sum = 0;
    for (let i = 0; i < 1e8; i++) sum += i;
    if (sum < 0) console.log(sum);
    runs.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return { machine_1e8_adds_ms: Math.round(runs.sort((a, b) => a - b)[1]!) };
}

const sections: Record<string, Section> = {
  machine: calibrate,
  engine: () => benchEngine(),
  // What the engine's copies-per-second goals are measured against: the least a copy does on this machine.
  floor: () => ({ ...copyFloor() }),
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
await loadOptional('chain', './chain-latency-bench.ts', 'benchChainLatency');

const chosen = Object.keys(sections).filter((name) => name !== 'machine' && (!only || only.has(name)));
// One section alone runs here; several run each in a process of its own, so what one leaves behind (a
// sweep's heap of a gigabyte or more, a replay's buffers) does not slow the next one's garbage
// collection: the latency p99 of two full runs was 5.0–7.1 ms after the sweeps, 3.3–5.3 ms in six runs
// in a fresh process.
const inChildren = chosen.length > 1 && !args.includes('--in-process');
const results: Record<string, number | string | null> = {};
for (const name of ['machine', ...chosen]) {
  if (!json) process.stderr.write(`bench: ${name}…\n`);
  const figures = inChildren && name !== 'machine' ? await sectionInChild(name) : await sections[name]!();
  Object.assign(results, figures);
  if (!json)
    for (const [k, v] of Object.entries(figures)) console.log(`${k.padEnd(36)} ${typeof v === 'number' ? v.toLocaleString('en-US') : v}`);
}
if (json) process.stdout.write(JSON.stringify(results) + '\n');

/**
 * `bench/run.ts --only NAME --json` in a fresh process (its progress notes pass through on stderr); its figures but the calibration.
 * The child gets this process's node flags (`npm run bench` gives `--import tsx`; a baseline such as
 * `node --heap-growing-percent=0 --import tsx bench/run.ts` reaches every section, not only one run alone).
 */
async function sectionInChild(name: string): Promise<Record<string, number | string | null>> {
  const nodeFlags = process.execArgv.some((flag) => flag.includes('tsx')) ? process.execArgv : ['--import', 'tsx', ...process.execArgv];
  const child = spawn(process.execPath, [...nodeFlags, fileURLToPath(import.meta.url), '--only', name, '--json'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, BENCH_NOTES: json ? '' : '1' },
  });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  const code = await new Promise<number | null>((resolve, reject) => child.on('error', reject).on('close', resolve));
  if (code !== 0) throw new Error(`bench section ${name} failed (exit code ${code}); its output is above`);
  const { machine_1e8_adds_ms: _machine, ...figures } = JSON.parse(out.trim().split('\n').pop()!) as Record<string, number | string | null>;
  return figures;
}
