/** The session journal on a real file: keys, fills and decisions survive a reopen; a torn last line does not break it. */
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TargetTradeSeen } from '../../../src/core/events.ts';
import type { Fill } from '../../../src/core/types.ts';
import { DurableDedup, DurableState } from '../../../src/live/durable-state.ts';
import { SessionIds } from '../../../src/live/session-ids.ts';
import { waitUntil } from '../../helpers/wait.ts';
import { tempDataDir } from './helpers.ts';

const trade = (tx: string, ts: number): TargetTradeSeen => ({
  type: 'target_trade',
  source: 'rtds',
  seq: 1,
  tsEvent: ts,
  tsRecv: ts,
  occurrence: 1,
  trade: {
    wallet: '0xabc',
    txHash: tx,
    tokenId: 't1',
    conditionId: 'c1',
    side: 'BUY',
    sizeMicros: 5_000_000,
    priceMicros: 500_000,
    usdcMicros: 2_500_000,
    outcome: 'Yes',
  },
});
const fill = (id: string): Fill => ({
  fillId: id,
  clientOrderId: 'o-1',
  strategyId: 's',
  tokenId: 't1',
  conditionId: 'c1',
  side: 'BUY',
  priceMicros: 500_000,
  sizeMicros: 1_000_000,
  feeMicros: 0,
  liquidity: 'taker',
  tsMs: 1,
});

describe('DurableState', () => {
  it('restores accepted keys into dedup after a reopen, even after a torn write', () => {
    const path = join(tempDataDir(), 'sessions', 'live.journal.jsonl');
    const first = new DurableState(path);
    first.recordRun('run-a', 1000);
    const dedup = new DurableDedup(first);
    const key1 = dedup.accept(trade('0x01', 2000), 1)?.key;
    expect(key1).toBe('0x01:0xabc:t1:BUY:5000000:500000#1');
    expect(dedup.accept(trade('0x01', 2000), 1)).toBeUndefined();
    first.recordFill(fill('f1'), 'run-a');
    first.recordFill(fill('f1'), 'run-a'); // once only
    first.recordDecision(
      {
        decisionId: 'd-1',
        tsMs: 2000,
        strategyId: 's',
        action: 'skip',
        reason: 'below_min_notional',
        message: 'm',
        details: {},
        checks: [],
        causeKey: key1,
      },
      'run-a',
    );
    first.close();
    appendFileSync(path, '{"t":"key","key":"0x02:t1:BUY'); // kill -9 mid-write

    const second = new DurableState(path);
    expect(second.snapshot.runs).toEqual(['run-a']);
    expect(second.snapshot.lastEventMs).toBe(2000);
    expect(second.snapshot.fills.map((f) => f.fill.fillId)).toEqual(['f1']);
    expect(second.snapshot.decisions.map((d) => [d.runId, d.decision.decisionId])).toEqual([['run-a', 'd-1']]);
    expect(second.hasFill('f1')).toBe(true);
    const again = new DurableDedup(second);
    expect(again.accept(trade('0x01', 2000), 1)).toBeUndefined(); // decided before the restart
    expect(again.accept(trade('0x03', 3000), 1)?.key).toBe('0x03:0xabc:t1:BUY:5000000:500000#1');
    second.close();
    // The torn line was closed off: the new key is on its own line and reads back.
    const third = new DurableState(path);
    expect([...third.snapshot.keys.keys()].some((k) => k.startsWith('0x03:'))).toBe(true);
    third.close();
    expect(readFileSync(path, 'utf8').endsWith('\n')).toBe(true);
  });

  it('decides again a target fill whose key was journalled by a process killed before deciding it', () => {
    const path = join(tempDataDir(), 'sessions', 'live.journal.jsonl');
    const first = new DurableState(path);
    first.recordRun('run-a', 1000);
    const dedup = new DurableDedup(first);
    const decided = dedup.accept(trade('0x0a', 2000), 1)!.key!;
    first.recordDecision(
      {
        decisionId: 'd-1',
        tsMs: 2000,
        strategyId: 's',
        action: 'skip',
        reason: 'no_action',
        message: 'm',
        details: {},
        checks: [],
        causeKey: decided,
      },
      'run-a',
    );
    const ordered = dedup.accept(trade('0x0b', 2500), 1)!.key!; // its decision line lost, its order signed
    const lost = dedup.accept(trade('0x0c', 3000), 1)!.key!; // SIGKILL here: key fsynced, no decision
    first.close();

    const second = new DurableState(path);
    expect(second.snapshot.firstRunMs).toBe(1000);
    expect([...second.snapshot.undecided.keys()].sort()).toEqual([ordered, lost].sort());
    second.markDecided([undefined, ordered]);
    expect([...second.snapshot.undecided]).toEqual([[lost, 3000]]);
    const again = new DurableDedup(second);
    expect(again.accept(trade('0x0a', 2000), 1)).toBeUndefined();
    expect(again.accept(trade('0x0b', 2500), 1)).toBeUndefined();
    expect(again.accept(trade('0x0c', 3000), 1)?.key).toBe(lost); // read again after the restart: decided now
    expect(again.accept(trade('0x0c', 3000), 1)).toBeUndefined();
    second.close();
  });

  it('journals which keys name a sum of fills, so a restart keeps a chain total covering its rows and lets a row read again pass', () => {
    const path = join(tempDataDir(), 'sessions', 'live.journal.jsonl');
    const total = { ...trade('0x04', 2000), source: 'chain' as const, orderTotal: true };
    const first = new DurableState(path);
    const key = new DurableDedup(first).accept(total, 1)?.key;
    first.recordDecision(
      {
        decisionId: 'd-1',
        tsMs: 2000,
        strategyId: 's',
        action: 'skip',
        reason: 'below_min_notional',
        message: 'm',
        details: {},
        checks: [],
        causeKey: key,
      },
      'run-a',
    );
    const single = trade('0x05', 2000);
    const singleKey = new DurableDedup(first).accept(single, 1)?.key;
    first.recordDecision(
      {
        decisionId: 'd-2',
        tsMs: 2000,
        strategyId: 's',
        action: 'skip',
        reason: 'below_min_notional',
        message: 'm',
        details: {},
        checks: [],
        causeKey: singleKey,
      },
      'run-a',
    );
    first.close();

    const second = new DurableState(path);
    expect([...second.snapshot.aggregateKeys]).toEqual([key]);
    const again = new DurableDedup(second);
    // The chain's total covers the Data API's rows of its match (here 2 and 3 shares).
    const row = (size: number) => ({
      ...trade('0x04', 2000),
      source: 'data-api' as const,
      trade: { ...trade('0x04', 2000).trade, sizeMicros: size, usdcMicros: size / 2 },
    });
    expect(again.accept(row(2_000_000), 1)).toBeUndefined();
    expect(again.accept(row(3_000_000), 1)).toBeUndefined();
    // A fill decided alone is a row: another fill of its transaction read after the restart passes whole.
    const other = { ...trade('0x05', 2000), trade: { ...trade('0x05', 2000).trade, sizeMicros: 4_000_000, usdcMicros: 2_000_000 } };
    expect(again.accept(other, 1)?.trade).toBe(other.trade);
    second.close();
  });

  it('gives each process its own order ids and salts for the same seed', () => {
    const a = new SessionIds(7, 'aa0', 0);
    const b = new SessionIds(7, 'bb1', 1);
    expect(a.next('o')).toBe('o-aa0-000001');
    expect(b.next('o')).toBe('o-bb1-000001');
    expect(a.salt()).not.toBe(b.salt());
  });
});

describe('DurableState: keys fsynced off the copy path', () => {
  it('fsyncs a key in the background and keeps its facts for the intent that copies it', async () => {
    const path = join(tempDataDir(), 'sessions', 'live.journal.jsonl');
    const state = new DurableState(path);
    state.recordRun('run-a', 1000);
    expect(state.hasUnsynced()).toBe(false);
    const key = new DurableDedup(state).accept(trade('0x01', 2000), 1)!.key!;
    // Written at once (a killed process keeps it), its fsync still to come.
    expect(readFileSync(path, 'utf8')).toContain(key);
    expect(state.hasUnsynced()).toBe(true);
    expect(state.keyFacts(key)).toEqual({ key, tsEvent: 2000 });
    await waitUntil(() => !state.hasUnsynced(), 'the background fsync of the key');
    state.recordKey('agg-key', 2500, true);
    expect(state.keyFacts('agg-key')).toEqual({ key: 'agg-key', tsEvent: 2500, aggregate: true });
    state.close();
  });

  it('never forgets the facts of a key no finished fsync covers yet', async () => {
    const state = new DurableState(join(tempDataDir(), 'sessions', 'live.journal.jsonl'));
    // One synchronous burst: no background fsync can finish in between, so all 5000 stay answerable.
    for (let i = 0; i < 5000; i++) state.recordKey(`k${i}`, i);
    expect(state.keyFacts('k0')).toEqual({ key: 'k0', tsEvent: 0 });
    await waitUntil(() => !state.hasUnsynced(), 'the background fsync of the burst');
    state.recordKey('k5000', 5000);
    // Covered now: the oldest are let go, down to the recent ones.
    expect(state.keyFacts('k0')).toBeUndefined();
    expect(state.keyFacts('k5000')).toEqual({ key: 'k5000', tsEvent: 5000 });
    state.close();
  });

  it('restores as decided a key whose line a power cut lost, from the facts an intent carried', () => {
    const path = join(tempDataDir(), 'sessions', 'live.journal.jsonl');
    const first = new DurableState(path);
    first.recordRun('run-a', 1000);
    first.close();
    // The key lines never reached the disk; the intents (another file) name them.
    const second = new DurableState(path);
    const lost = '0x01:0xabc:t1:BUY:5000000:500000#1';
    second.markDecided([{ key: lost, tsEvent: 2000 }, { key: 'tx2-total', tsEvent: 3000, aggregate: true }, 'only-a-name']);
    expect(second.snapshot.keys.get(lost)).toBe(2000);
    expect(second.snapshot.aggregateKeys.has('tx2-total')).toBe(true);
    expect(second.snapshot.undecided.size).toBe(0);
    // A bare cause key (an intent from before intents carried facts) restores nothing it cannot date.
    expect(second.snapshot.keys.has('only-a-name')).toBe(false);
    const dedup = new DurableDedup(second);
    expect(dedup.accept(trade('0x01', 2000), 1)).toBeUndefined();
    expect(dedup.accept(trade('0x02', 2000), 1)?.key).toBe('0x02:0xabc:t1:BUY:5000000:500000#1');
    second.close();
  });
});
