/**
 * One replay in a process of its own, as `polytail replay` runs: its peak RSS is the replay's, not what
 * the benchmarks run before it in the parent (the engine bench, DuckDB baselines) left allocated.
 * Prints one JSON line (events, seconds, rssMb, rssBeforeMb, heapMb, copies).
 * Usage: node --import tsx bench/lib/replay-child.ts RECORDING WALLET target-price|book-walk
 */
import { replayOnce } from '../replay-bench.ts';

const [recording, wallet, fillModel] = process.argv.slice(2);
if (!recording || !wallet || (fillModel !== 'target-price' && fillModel !== 'book-walk'))
  throw new Error(`replay-child: usage RECORDING WALLET target-price|book-walk, got ${process.argv.slice(2).join(' ')}`);
const rssBeforeMb = Math.round(process.memoryUsage().rss / 1e6);
const result = await replayOnce(recording, wallet, fillModel);
process.stdout.write(JSON.stringify({ ...result, rssBeforeMb }) + '\n');
