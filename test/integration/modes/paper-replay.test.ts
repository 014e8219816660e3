/**
 * A recorded paper session replays to the fills it made, exactly: the session records every event its
 * engine handled (target trades, books, prints, markets) stamped with the moment it handled it, plus
 * its id stream and the target's opening positions (`session:<run_id>` in meta); `runReplay` with
 * `asSession` makes the same fills — ids, times, prices, sizes, fees — so the fills hash is the
 * session's own.
 *
 * The target holds positions before the session starts, and SELL copies are sized as a fraction of
 * them: a replay that did not seed them from the recording would sell different sizes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fill } from '../../../src/core/types.ts';
import { fillHashLine } from '../../../src/core/fill-hash.ts';
import { startLiveSession } from '../../../src/modes/live-session.ts';
import { runReplay } from '../../../src/modes/replay.ts';
import type { Sandbox } from '../../../src/sandbox/index.ts';
import { readSessionFacts, RecordingStore } from '../../../src/store/index.ts';
import { waitUntil } from '../../helpers/wait.ts';
import { WHALE, configFor, startFastSandbox, tempDataDir } from './helpers.ts';

let sb: Sandbox;
beforeAll(async () => {
  sb = await startFastSandbox({ synthetic: false });
});
afterAll(() => sb.stop());

describe('replay of a recorded paper session', () => {
  it('reproduces the session’s fills: the same fills hash', async () => {
    // The whale buys before the session starts: the session seeds these positions from the Data API.
    const whale = sb.ctx.scenario.traders.find((t) => t.address.toLowerCase() === WHALE)!;
    sb.flow.requoteAll();
    for (let i = 0; i < 12; i++) sb.flow.trade({ ...whale, sellProbability: 0 });
    const config = configFor(tempDataDir(), [WHALE], { fillModel: 'book-walk' });
    const session = await startLiveSession({ mode: 'paper', config, sandboxUrl: sb.urls.clob, pollIntervalMs: 1000, env: {} });
    sb.flow.start();
    await waitUntil(() => session.engine.stats.targetTrades >= 30, '30 target trades', { timeoutMs: 120_000 });
    sb.flow.stop();
    await session.drain();
    const runId = session.runId;
    await session.stop();
    const store = await RecordingStore.open(session.recordingPath, { readOnly: true });
    const paperFills = await store.readFills(runId);
    const paperHash = await store.fillsHash(runId);
    const facts = await readSessionFacts(store, runId);
    const held = new Set(facts?.targets[0]?.positions.map((p) => p.tokenId));
    const sellsOfOpening = (await store.readDecisions(runId)).filter((d) => d.side === 'SELL' && d.clientOrderId && held.has(d.tokenId!));
    await store.close();

    // What the recording holds for the replay: the target's opening positions, and SELL copies sized against them.
    expect(facts?.targets.map((t) => t.wallet)).toEqual([WHALE]);
    expect(facts!.targets[0]!.positions.length).toBeGreaterThan(0);
    expect(sellsOfOpening.length).toBeGreaterThan(0);
    expect(paperFills.length).toBeGreaterThan(5);
    expect(new Set(paperFills.map((f) => f.side))).toEqual(new Set(['BUY', 'SELL']));

    const replayFills: Fill[] = [];
    const collect = { onOrderEvent: (e: { type: string; fill?: Fill }) => void (e.fill && replayFills.push(e.fill)) };
    const { summary } = await runReplay({ recording: session.recordingPath, config, save: false, listeners: [collect], asSession: runId });
    // Line by line first (a readable diff), then the hash the report prints against the stored run's.
    expect(replayFills.map(fillHashLine)).toEqual(paperFills.map(fillHashLine));
    expect(summary.fillsHash).toBe(paperHash);
  }, 180_000);
});
