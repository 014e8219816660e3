/**
 * A recorded paper session replays to the fills it made: the session records every event its engine
 * saw (target trades, books, prints, markets) in the order it saw them, and `polytail replay` of that
 * file with the same config copies the same target fills at the same prices, sizes and fees.
 *
 * The comparison leaves out fill ids and timestamps: the session numbers its orders per process and
 * stamps fills with the wall clock, a replay numbers from its seed on event time. The target starts
 * flat: a session seeds the target's positions from the Data API at start, which the recording does
 * not hold (a SELL copy is sized against them).
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fill } from '../../../src/core/types.ts';
import { startLiveSession } from '../../../src/modes/live-session.ts';
import { runReplay } from '../../../src/modes/replay.ts';
import type { Sandbox } from '../../../src/sandbox/index.ts';
import { RecordingStore } from '../../../src/store/index.ts';
import { waitUntil } from '../../helpers/wait.ts';
import { WHALE, configFor, startFastSandbox, tempDataDir } from './helpers.ts';

let sb: Sandbox;
beforeAll(async () => {
  sb = await startFastSandbox({ synthetic: false });
});
afterAll(() => sb.stop());

const line = (f: Fill) => [f.strategyId, f.tokenId, f.side, f.priceMicros, f.sizeMicros, f.feeMicros, f.liquidity].join('|');
const hash = (fills: Fill[]) => createHash('sha256').update(fills.map(line).join('\n')).digest('hex');

describe('replay of a recorded paper session', () => {
  it('reproduces the session’s fills', async () => {
    const config = configFor(tempDataDir(), [WHALE], { fillModel: 'book-walk' });
    const session = await startLiveSession({ mode: 'paper', config, sandboxUrl: sb.urls.clob, pollIntervalMs: 1000, env: {} });
    sb.flow.start();
    await waitUntil(() => session.engine.stats.targetTrades >= 25, '25 target trades', { timeoutMs: 90_000 });
    sb.flow.stop();
    await session.drain();
    const runId = session.runId;
    await session.stop();
    const store = await RecordingStore.open(session.recordingPath, { readOnly: true });
    const paperFills = await store.readFills(runId);
    await store.close();

    const replayFills: Fill[] = [];
    const collect = { onOrderEvent: (e: { type: string; fill?: Fill }) => void (e.fill && replayFills.push(e.fill)) };
    await runReplay({ recording: session.recordingPath, config, save: false, listeners: [collect] });

    expect(paperFills.length).toBeGreaterThan(5);
    expect(new Set(paperFills.map((f) => f.side))).toEqual(new Set(['BUY', 'SELL']));
    expect(replayFills.map(line)).toEqual(paperFills.map(line));
    expect(hash(replayFills)).toBe(hash(paperFills));
  }, 180_000);
});
