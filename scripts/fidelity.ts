/**
 * `npm run fidelity -- [--json] [--pace lockstep|free] [--trades 150] [--latency-ms 0] [--latency-samples MS,MS,…|measured] [--seed 7] [--runs 1] [--copies]`
 *
 * Paper against live on one sandbox flow (src/modes/fidelity.ts): fills compared copy by copy, PnL at
 * the end. `--latency-samples measured` first runs a pass with the same pace to measure live's copy latency
 * (decision → match), then gives paper those samples. `--runs N` runs N times in a row with the same
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
let samples: number[] = [];
const samplesFlag = flag('latency-samples', '');
if (samplesFlag === 'measured') {
  const calibration = await runFidelity({ targetTrades: trades, pace: pace as FidelityPace, seed, onProgress });
  samples = calibration.liveLatencyMs.samples;
  onProgress(
    `live copy latency (decision → match), ${samples.length} orders: p50 ${calibration.liveLatencyMs.p50} ms, p90 ${calibration.liveLatencyMs.p90} ms`,
  );
} else if (samplesFlag !== '') {
  samples = samplesFlag.split(',').map(Number);
  if (samples.some((s) => !Number.isInteger(s) || s < 0))
    throw new Error('--latency-samples takes whole milliseconds ≥ 0, comma-separated, or "measured"');
}
for (let run = 0; run < runs; run++) {
  const result = await runFidelity({
    targetTrades: trades,
    pace: pace as FidelityPace,
    paperLatencyMs: Number(flag('latency-ms', '0')),
    paperLatencySamplesMs: samples,
    seed: seed + run,
    copies: args.includes('--copies'),
    onProgress,
  });
  if (!json) process.stderr.write(JSON.stringify(result, null, 2) + '\n');
  process.stdout.write(JSON.stringify(result) + '\n');
}
process.exit(0);
