/**
 * `npm run fidelity -- [--json] [--trades 60] [--latency-ms 0] [--seed 7]`
 *
 * Paper against live on one sandbox flow (src/modes/fidelity.ts): fills compared copy by copy, PnL at
 * the end. The last stdout line is one JSON object:
 *   {"targetTrades","fills","fillMismatches","onlyPaper","onlyLive","pnlPaper","pnlLive","pnlDiffPct",…}
 */
import { runFidelity } from '../src/modes/fidelity.ts';

const args = process.argv.slice(2);
const flag = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : fallback;
};
const json = args.includes('--json');
const result = await runFidelity({
  targetTrades: Number(flag('trades', '60')),
  paperLatencyMs: Number(flag('latency-ms', '0')),
  seed: Number(flag('seed', '7')),
  onProgress: (m) => process.stderr.write(`fidelity: ${m}\n`),
});
if (!json) process.stderr.write(JSON.stringify(result, null, 2) + '\n');
process.stdout.write(JSON.stringify(result) + '\n');
process.exit(0);
