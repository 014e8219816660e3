/**
 * Child process for the crash test: appends target trades in batches of `batch`, flushing after
 * each, and prints "flushed <total>" once a batch is committed. The parent SIGKILLs it mid-write.
 */
import { RecordingStore } from '../../../src/store/recording-store.ts';

const [path, batchArg] = process.argv.slice(2);
const batch = Number(batchArg ?? 500);
const store = await RecordingStore.open(path!, { batchRows: 1_000_000 });
let n = 0;
for (;;) {
  for (let i = 0; i < batch; i++) {
    n++;
    store.appendEvent({
      type: 'target_trade',
      tsEvent: n,
      tsRecv: n,
      source: 'import:crash-test',
      seq: n,
      key: `k${n}`,
      trade: {
        wallet: '0xabc',
        txHash: `0x${n}`,
        tokenId: 't',
        conditionId: 'c',
        side: 'BUY',
        sizeMicros: n,
        priceMicros: 500_000,
        usdcMicros: n,
        outcome: 'Yes',
      },
    });
  }
  await store.flush();
  process.stdout.write(`flushed ${n}\n`);
  // Unflushed rows pile up here when the kill lands: half a batch, never committed.
  for (let i = 0; i < batch / 2; i++) {
    n++;
    store.appendEvent({
      type: 'target_trade',
      tsEvent: n,
      tsRecv: n,
      source: 'import:crash-test',
      seq: n,
      key: `k${n}`,
      trade: {
        wallet: '0xabc',
        txHash: `0x${n}`,
        tokenId: 't',
        conditionId: 'c',
        side: 'BUY',
        sizeMicros: n,
        priceMicros: 500_000,
        usdcMicros: n,
        outcome: 'Yes',
      },
    });
  }
  await new Promise((r) => setImmediate(r));
}
