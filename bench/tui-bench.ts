/**
 * What the TUI costs: the same replay paced at 500 events/s, once headless and once drawing the TUI
 * to a fake 120×40 terminal, each in a fresh child process (React in production mode, as the CLI
 * runs it). CPU is user+system time over a measured window after a warm-up, as % of one core;
 * `tui_cpu_overhead_pct` is the difference. Runs alternate (headless, tui, headless, tui, …) so
 * load from other processes on the machine hits both alike; medians are reported.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { median, note, round } from './lib/measure.ts';
import { syntheticRecording } from './lib/synthetic-recording.ts';

const run = promisify(execFile);
const CHILD = fileURLToPath(new URL('./lib/tui-child.ts', import.meta.url));

interface ChildResult {
  mode: 'headless' | 'tui';
  cpuPct: number;
  eventsPerS: number;
  bytesWritten: number;
}

async function child(
  mode: 'headless' | 'tui',
  recording: string,
  wallet: string,
  rate: number,
  warmupS: number,
  measureS: number,
): Promise<ChildResult> {
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', CHILD, mode, recording, wallet, String(rate), String(warmupS), String(measureS)],
    {
      env: childEnv(),
      maxBuffer: 1 << 20,
    },
  );
  return JSON.parse(stdout.trim().split('\n').pop()!) as ChildResult;
}

/** The CLI's environment: React in production mode, and no CI markers (Ink draws only the last frame under CI). */
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production' };
  for (const key of Object.keys(env)) if (key === 'CI' || key === 'CONTINUOUS_INTEGRATION' || key.startsWith('CI_')) delete env[key];
  return env;
}

export async function benchTui(pairs = 3, rate = 500, warmupS = 3, measureS = 20): Promise<Record<string, number | string | null>> {
  // 50,000 trades: at 500/s the measured window never runs out of events.
  const rec = await syntheticRecording({ trades: 50_000, wallets: 4, markets: 300 });
  const headless: ChildResult[] = [];
  const tui: ChildResult[] = [];
  for (let i = 0; i < pairs; i++) {
    headless.push(await child('headless', rec.path, rec.walletList[0]!, rate, warmupS, measureS));
    tui.push(await child('tui', rec.path, rec.walletList[0]!, rate, warmupS, measureS));
    note(
      `pair ${i + 1}/${pairs}: headless ${headless[i]!.cpuPct.toFixed(1)}% (${Math.round(headless[i]!.eventsPerS)} ev/s), tui ${tui[i]!.cpuPct.toFixed(1)}% (${Math.round(tui[i]!.eventsPerS)} ev/s, ${Math.round(tui[i]!.bytesWritten / 1024)} KiB drawn)`,
    );
  }
  const overheads = tui.map((t, i) => t.cpuPct - headless[i]!.cpuPct);
  return {
    tui_cpu_overhead_pct: round(median(overheads), 1),
    tui_cpu_pct: round(median(tui.map((t) => t.cpuPct)), 1),
    tui_headless_cpu_pct: round(median(headless.map((h) => h.cpuPct)), 1),
    tui_paced_events_per_s: Math.round(median(tui.map((t) => t.eventsPerS))),
  };
}
