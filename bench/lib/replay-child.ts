/**
 * One replay in a process of its own, as `polytail replay` runs: its peak RSS is the replay's, not what
 * the benchmarks run before it in the parent (the engine bench, DuckDB baselines) left allocated.
 * Prints one JSON line (events, seconds, rssMb, rssBeforeMb, heapMb, copies).
 * `engine-only` instead reads every event into memory and times the replay's engine over them (see
 * `engineOnlyRuns`), printing (events, bestSeconds, medianSeconds, copies); its RSS says nothing.
 * Usage: node --import tsx bench/lib/replay-child.ts RECORDING WALLET target-price|book-walk|engine-only
 */
import { engineOnlyRuns, replayOnce } from '../replay-bench.ts';

const [recording, wallet, what] = process.argv.slice(2);
if (!recording || !wallet || (what !== 'target-price' && what !== 'book-walk' && what !== 'engine-only'))
  throw new Error(`replay-child: usage RECORDING WALLET target-price|book-walk|engine-only, got ${process.argv.slice(2).join(' ')}`);
if (what === 'engine-only') {
  process.stdout.write(JSON.stringify(await engineOnlyRuns(recording, wallet)) + '\n');
} else {
  const rssBeforeMb = Math.round(process.memoryUsage().rss / 1e6);
  const result = await replayOnce(recording, wallet, what);
  process.stdout.write(JSON.stringify({ ...result, rssBeforeMb }) + '\n');
}
