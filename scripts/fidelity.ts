/**
 * `npm run fidelity -- [--json] [--pace lockstep|free] [--trades 150] [--latency-ms 0] [--latency-samples MS,MS,…|measured] [--notice-samples MS,…] [--no-notice] [--seed 7] [--runs 1] [--copies]`
 *
 * Paper against live on one sandbox flow (src/modes/fidelity.ts): fills compared copy by copy, PnL at
 * the end. `--latency-samples measured` first runs a pass with the same pace to measure live's copy latency
 * (decision → match) and fill notice (match → the engine knowing the fill), then gives paper both sets
 * of samples (`--no-notice`: latency only; `--notice-samples MS,…` gives the notice samples by hand). `--runs N` runs N times in a row with the same
 * samples (seeds seed, seed+1, …), one JSON line each; `--copies` adds every copy, paper beside live.
 * The last stdout line is one JSON object:
 *   {"pace","targetTrades","fills","fillMismatches","onlyPaper","onlyLive","pnlPaper","pnlLive","pnlDiffPct",…}
 */
import { runFidelity, type FidelityPace } from '../src/modes/fidelity.ts';

const args = process.argv.slice(2);
const flag = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : fallback;
};
const json = args.includes('--json');
const pace = flag('pace', 'lockstep');
if (pace !== 'lockstep' && pace !== 'free') throw new Error(`--pace must be lockstep or free, not ${pace}`);
const trades = Number(flag('trades', '150'));
const seed = Number(flag('seed', '7'));
const runs = Number(flag('runs', '1'));
if (!(Number.isInteger(runs) && runs >= 1)) throw new Error('--runs takes a whole number ≥ 1');
const onProgress = (m: string) => process.stderr.write(`fidelity: ${m}\n`);
const msList = (name: string, text: string) => {
  const list = text.split(',').map(Number);
  if (list.some((s) => !Number.isInteger(s) || s < 0)) throw new Error(`--${name} takes whole milliseconds ≥ 0, comma-separated`);
  return list;
};
let samples: number[] = [];
let notices: number[] = [];
const samplesFlag = flag('latency-samples', '');
if (samplesFlag === 'measured') {
  const calibration = await runFidelity({ targetTrades: trades, pace: pace as FidelityPace, seed, onProgress });
  samples = calibration.liveLatencyMs.samples;
  notices = args.includes('--no-notice') ? [] : calibration.liveFillNoticeMs.samples;
  const { p50, p90 } = calibration.liveFillNoticeMs;
  onProgress(
    `live copy latency (decision → match), ${samples.length} orders: p50 ${calibration.liveLatencyMs.p50} ms, p90 ${calibration.liveLatencyMs.p90} ms; fill notice (match → engine) p50 ${p50} ms, p90 ${p90} ms`,
  );
} else if (samplesFlag !== '') {
  samples = msList('latency-samples', samplesFlag);
}
if (flag('notice-samples', '') !== '') notices = msList('notice-samples', flag('notice-samples', ''));
for (let run = 0; run < runs; run++) {
  const result = await runFidelity({
    targetTrades: trades,
    pace: pace as FidelityPace,
    paperLatencyMs: Number(flag('latency-ms', '0')),
    paperLatencySamplesMs: samples,
    paperNoticeSamplesMs: notices,
    seed: seed + run,
    copies: args.includes('--copies'),
    onProgress,
  });
  if (!json) process.stderr.write(JSON.stringify(result, null, 2) + '\n');
  process.stdout.write(JSON.stringify(result) + '\n');
}
process.exit(0);
