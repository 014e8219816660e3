/**
 * A recording may hold one fill twice (two rows with one dedup key). Replay keeps recorded keys by the codes
 * the stream gives them (src/store/key-codes.ts), not as strings: the repeat must still be dropped, as often
 * as keeping strings drops it, and a key forgotten after the dedup window is copied again.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/config.ts';
import type { TargetTradeSeen } from '../../../src/core/events.ts';
import { runReplay } from '../../../src/modes/replay.ts';
import { RecordingStore } from '../../../src/store/index.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const WALLET = '0x' + 'ab'.repeat(20);
const HOUR = 3600_000;

function trade(ts: number, tx: string): TargetTradeSeen {
  return {
    type: 'target_trade',
    tsEvent: ts,
    tsRecv: ts,
    source: 'import:test',
    seq: ts,
    key: `${tx}:${WALLET}:71:BUY:10000000:500000#1`,
    trade: {
      wallet: WALLET,
      txHash: tx,
      tokenId: '71',
      conditionId: '0xc1',
      side: 'BUY',
      sizeMicros: 10_000_000,
      priceMicros: 500_000,
      usdcMicros: 5_000_000,
      outcome: 'Yes',
    },
  };
}

describe('replay dedup by recorded key code', () => {
  it('drops a fill recorded twice, and copies it again once its key has left the window', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'polytail-replay-dedup-'));
    dirs.push(dir);
    const path = join(dir, 'twice.duckdb');
    const store = await RecordingStore.open(path);
    const t0 = 1_760_000_000_000;
    store.appendEvent(trade(t0, '0x01'));
    store.appendEvent(trade(t0 + 1000, '0x02'));
    store.appendEvent(trade(t0 + 2000, '0x01')); // the first fill again, within the window: a duplicate
    store.appendEvent(trade(t0 + 7 * HOUR, '0x03')); // moves time past the 6-hour window
    store.appendEvent(trade(t0 + 7 * HOUR + 1000, '0x02')); // forgotten by now: copied again
    await store.close();

    const config = parseConfig({ startingCashUsdc: 10_000, fillModel: 'target-price' });
    const { summary, engine } = await runReplay({ recording: path, config, targets: [WALLET], strategy: 'mirror', save: false });
    expect(engine.stats.events).toBe(5);
    expect(engine.stats.duplicates).toBe(1);
    expect(summary.copies.filled).toBe(4);
  });
});
