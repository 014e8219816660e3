/**
 * Another process writing a recording, for the lock tests: `lock` takes polytail's write lock,
 * `duckdb` opens the file for writing (DuckDB's own lock) and commits one more market row. Prints
 * "held" when it holds it, and lets go when stdin closes.
 * Usage: node --import tsx hold-recording.ts PATH lock|duckdb
 */
import { lockRecording, RecordingStore } from '../../../src/store/index.ts';

const [path, mode] = process.argv.slice(2) as [string, 'lock' | 'duckdb'];
const release: (() => Promise<void> | void)[] = [];
if (mode === 'lock') {
  const lock = await lockRecording(path, { command: 'a test writer' });
  release.push(() => lock.release());
} else {
  const store = await RecordingStore.open(path);
  store.appendEvent({
    type: 'market',
    tsEvent: 1,
    tsRecv: 1,
    market: {
      conditionId: '0xheld',
      tokens: [{ tokenId: 'h1', outcome: 'Yes' }],
      negRisk: false,
      tickMicros: 10_000,
      minOrderSizeMicros: 5_000_000,
    },
  });
  await store.flush();
  release.push(() => store.close());
}
process.stdout.write('held\n');
process.stdin.resume();
process.stdin.once('end', async () => {
  for (const r of release) await r();
  process.exit(0);
});
