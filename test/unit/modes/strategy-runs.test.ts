/**
 * Market strategy runs: the status follows what happens to the run — finished when a market it names
 * or trades resolves, failed when its code throws, cancelled by someone — and every run with its
 * status, parameters, fills and PnL is read back from a real recording after a restart; a run an
 * earlier process left running is failed (its strategy died with the process), not shown as running.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StrategyStatus } from '../../../src/core/control.ts';
import type { EngineListener } from '../../../src/core/ports.ts';
import type { SessionSurface, StrategyInput } from '../../../src/core/session-surface.ts';
import { runBook } from '../../../src/modes/strategy-runs.ts';
import { AccountBookQueries, RecordingStore } from '../../../src/store/index.ts';
import { useTempDir } from '../store/helpers.ts';

const tempDir = useTempDir();

/** The part of a session surface runs use: strategies in a snapshot, start and stop, one listener. */
function fakeSurface() {
  const strategies: StrategyStatus[] = [];
  const listeners: EngineListener[] = [];
  const surface = {
    view: { snapshot: () => ({ strategies: strategies.map((s) => ({ ...s })) }) },
    subscribe: (l: EngineListener) => listeners.push(l),
    startStrategy: async (input: StrategyInput) => {
      const s = {
        id: input.id ?? input.name,
        name: input.name,
        kind: 'market',
        paused: false,
        realizedMicros: 0,
        unrealizedMicros: 0,
        feesMicros: 0,
      };
      strategies.push(s as StrategyStatus);
      return s as StrategyStatus;
    },
    stopStrategy: (id: string) => {
      const s = strategies.find((x) => x.id === id)!;
      s.stopped = true;
      return s;
    },
  } as unknown as SessionSurface;
  return { surface, strategies, emit: (f: (l: EngineListener) => void) => listeners.forEach(f) };
}

const fill = (strategyId: string, tokenId: string) =>
  ({
    type: 'order_filled',
    order: { strategyId },
    fill: { tokenId, strategyId },
  }) as never;

describe('market strategy runs', () => {
  it('finish on their market’s resolution, fail on a strategy error, cancel on request — and outlive the process', async () => {
    const path = join(tempDir(), 'acct.duckdb');
    const store = await RecordingStore.open(path);
    const queries = new AccountBookQueries(store);
    const f = fakeSurface();
    let now = 1_000;
    const book = runBook({ account: 'acct', surface: f.surface, queries, now: () => now, earlier: [] });
    await book.start({ strategy: 'end-sweeper', params: { market: 'some-slug' } }, 'alice');
    await book.start({ strategy: 'end-sweeper', params: { market: '0xcond-b' }, name: 'by-condition' }, 'alice');
    await book.start({ strategy: 'taker-wave', params: { market: 'x' }, name: 'throws' }, 'bob');
    await book.start({ strategy: 'end-sweeper', params: { market: 'y' }, name: 'stays' }, 'bob');
    await book.start({ strategy: 'end-sweeper', params: { market: 'z' }, name: 'cancel-me' }, 'bob');
    await expect(book.start({ strategy: 'mirror' }, 'alice')).rejects.toThrow(/copy strategy/);
    expect(book.list().map((r) => [r.runId, r.state])).toEqual([
      ['end-sweeper-1', 'running'],
      ['by-condition', 'running'],
      ['throws', 'running'],
      ['stays', 'running'],
      ['cancel-me', 'running'],
    ]);
    // The slug's market becomes known, then resolves; the second run traded a token of its market.
    f.emit((l) => l.onEvent?.({ type: 'market', market: { slug: 'some-slug', conditionId: '0xcond-a' } } as never));
    f.emit((l) => l.onOrderEvent?.(fill('by-condition', 'tok-b1')));
    f.strategies.find((s) => s.id === 'by-condition')!.realizedMicros = 250_000;
    now = 2_000;
    f.emit((l) => l.onEvent?.({ type: 'market_resolved', conditionId: '0xcond-a', payouts: { 'tok-a1': 1_000_000 } } as never));
    f.emit((l) => l.onEvent?.({ type: 'market_resolved', conditionId: '0xother', payouts: { 'tok-b1': 0 } } as never));
    f.emit((l) =>
      l.onAlert?.({ tsMs: now, level: 'critical', code: 'strategy_error', message: 'boom', details: { strategyId: 'throws' } }),
    );
    book.cancel('cancel-me', 'bob');
    expect(() => book.cancel('cancel-me', 'bob')).toThrow(/cancelled already/);
    const states = Object.fromEntries(book.list().map((r) => [r.runId, r]));
    expect(states['end-sweeper-1']).toMatchObject({ state: 'finished', reason: 'market 0xcond-a resolved', endedMs: 2_000 });
    expect(states['by-condition']).toMatchObject({ state: 'finished', fills: 1, realizedMicros: 250_000 });
    expect(states['throws']).toMatchObject({ state: 'failed', reason: 'boom' });
    expect(states['cancel-me']).toMatchObject({ state: 'cancelled', reason: 'cancelled by bob' });
    expect(states['stays']!.state).toBe('running');
    // Every ended run's strategy was stopped in the engine.
    expect(f.strategies.filter((s) => s.stopped).map((s) => s.id)).toEqual(['end-sweeper-1', 'by-condition', 'throws', 'cancel-me']);

    // A restart: the rows come back from the recording; the run left running is failed, not running.
    const earlier = await queries.runs();
    const again = runBook({ account: 'acct', surface: fakeSurface().surface, queries, now: () => 3_000, earlier });
    const after = Object.fromEntries(again.list().map((r) => [r.runId, r]));
    expect(after['by-condition']).toMatchObject({ state: 'finished', fills: 1, realizedMicros: 250_000, params: { market: '0xcond-b' } });
    expect(after['throws']).toMatchObject({ state: 'failed', startedBy: 'bob' });
    expect(after['stays']).toMatchObject({ state: 'failed', endedMs: 3_000 });
    expect(after['stays']!.reason).toMatch(/daemon stopped/);
    await expect(again.start({ strategy: 'end-sweeper', params: { market: 'q' }, name: 'stays' }, 'bob')).rejects.toThrow(/exists/);
    await store.close();
  }, 60_000);
});
