/** Strategies added and stopped while the engine runs (targets over the control API): routing, orders, ledger, determinism. */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { EngineEvent, TargetTradeSeen } from '../../../src/core/events.ts';
import { defineStrategy, type StrategyDefinition } from '../../../src/strategy/api.ts';
import { builtinStrategies } from '../../../src/strategy/builtin/index.ts';
import { parseStrategyParams } from '../../../src/strategy/loader.ts';
import { YES_NO_MARKET, buildHarness } from '../../helpers/engine-harness.ts';

const WALLET = '0x' + 'a'.repeat(40);
const market = YES_NO_MARKET;

function buy(i: number): TargetTradeSeen {
  return {
    type: 'target_trade',
    source: 'rtds',
    seq: i,
    tsEvent: 1000 * i,
    tsRecv: 1000 * i,
    trade: {
      wallet: WALLET,
      txHash: `0x${i}`,
      tokenId: 'yes',
      conditionId: 'c1',
      side: 'BUY',
      sizeMicros: 20_000_000,
      priceMicros: 500_000,
      usdcMicros: 10_000_000,
      outcome: 'Yes',
    },
  };
}

const spec = () => {
  const definition = builtinStrategies['mirror']!;
  return { definition, id: 'late', params: parseStrategyParams(definition, { wallets: [WALLET] }) as Record<string, unknown> };
};

function run() {
  const h = buildHarness({ strategies: [] });
  h.feed([market, buy(1)]);
  const before = h.decisions.length;
  h.engine.addStrategy(spec());
  h.feed([buy(2)]);
  const afterAdd = h.decisions.slice(before);
  expect(() => h.engine.addStrategy(spec())).toThrow(/a strategy with id "late" is already running/);
  h.engine.stopStrategy('late', 'removed');
  h.feed([buy(3)]);
  const afterStop = h.decisions.length;
  const held = h.engine.portfolio.strategy('late').size('yes');
  h.engine.addStrategy(spec());
  h.feed([buy(4)]);
  return { h, before, afterAdd, afterStop, held };
}

describe('strategies at run time', () => {
  it('routes a wallet only while its strategy runs, and keeps its ledger across a stop', () => {
    const { h, before, afterAdd, afterStop, held } = run();
    expect(before).toBe(0); // nobody followed the wallet yet
    expect(afterAdd.map((d) => [d.strategyId, d.action])).toEqual([['late', 'copy']]);
    expect(afterStop).toBe(before + 1); // trade 3 reached no strategy
    expect(held).toBe(20_000_000);
    expect(h.decisions.at(-1)).toMatchObject({ strategyId: 'late', action: 'copy' });
    expect(h.engine.portfolio.strategy('late').size('yes')).toBe(40_000_000);
    expect(h.engine.snapshot().strategies).toEqual([expect.objectContaining({ id: 'late', paused: false })]);
    expect(h.engine.snapshot().strategies[0]).not.toHaveProperty('stopped');
  });

  it('a stopped strategy cannot be resumed, shows as stopped, and is the same in every run', () => {
    const h = buildHarness({ strategies: [spec()] });
    h.feed([market]);
    h.engine.stopStrategy('late', 'removed');
    h.engine.control.resumeStrategy('late');
    expect(h.engine.snapshot().strategies[0]).toMatchObject({ id: 'late', stopped: true, paused: true, pausedReason: 'removed' });
    const fills = (r: ReturnType<typeof run>) => r.h.orderEvents.map((e) => JSON.stringify(e));
    expect(fills(run())).toEqual(fills(run()));
  });

  it('stopping cancels its resting orders, and nothing reaches it afterwards, not even a resolution', () => {
    const calls: string[] = [];
    const resting = defineStrategy({
      apiVersion: 1,
      name: 'resting',
      description: 'one far-away bid, then listens',
      kind: 'market',
      params: z.object({}),
      subscriptions: () => ({ tokens: ['yes'] }),
      create: () => {
        let placed = false;
        return {
          onBook: () => {
            calls.push('book');
            if (placed) return;
            placed = true;
            return {
              kind: 'order',
              intent: { tokenId: 'yes', side: 'BUY', type: 'GTC', limitPriceMicros: 100_000, sizeMicros: 10_000_000 },
            };
          },
          onResolution: () => void calls.push('resolution'),
        };
      },
    });
    const h = buildHarness({ strategies: [{ definition: resting as StrategyDefinition, params: {}, id: 'r' }] });
    const book = (t: number): EngineEvent => ({
      type: 'book_snapshot',
      tokenId: 'yes',
      bids: [{ priceMicros: 400_000, sizeMicros: 100_000_000 }],
      asks: [{ priceMicros: 600_000, sizeMicros: 100_000_000 }],
      tsEvent: t,
      tsRecv: t,
    });
    h.feed([market, book(1000)]);
    expect(h.engine.openOrders()).toHaveLength(1);
    h.engine.stopStrategy('r', 'removed');
    expect(h.engine.openOrders()).toHaveLength(0);
    expect(h.orderEvents.at(-1)).toMatchObject({ type: 'order_cancelled' });
    h.feed([book(2000), { type: 'market_resolved', conditionId: 'c1', payouts: { yes: 1_000_000, no: 0 }, tsEvent: 3000, tsRecv: 3000 }]);
    expect(calls).toEqual(['book']);
    expect(h.engine.snapshot().strategies[0]).toMatchObject({ id: 'r', stopped: true });
  });
});
