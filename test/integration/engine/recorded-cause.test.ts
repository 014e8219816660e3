/**
 * Copies of recorded trades name their trade without decoding its dedup key: the key stays in the DuckDB
 * chunk until a decision's or an order's `causeKey` is read (src/core/cause.ts). The bundled Nobel
 * recording, streamed as a replay streams it, through mirror on its two targets: decisions and orders
 * read afterwards equal, field for field, those of the same run fed the plain events.
 */
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EngineEvent } from '../../../src/core/events.ts';
import { RecordedCauseOrder } from '../../../src/engine/recorded-cause-order.ts';
import { streamEvents } from '../../../src/store/event-stream.ts';
import { RecordedTrade, RecordedTradeSeen } from '../../../src/store/recorded-trade.ts';
import { builtinStrategies } from '../../../src/strategy/builtin/index.ts';
import { parseStrategyParams } from '../../../src/strategy/loader.ts';
import { buildHarness } from '../../helpers/engine-harness.ts';

const NOBEL = join(import.meta.dirname, '../../../recordings/nobel-peace-prize-2025.duckdb');
const TARGETS = ['0xe8dd7741ccb12350957ec71e9ee332e0d1e6ec86', '0xd218e474776403a330142299f7796e8ba32eb5c9'];

async function recorded(): Promise<EngineEvent[]> {
  const instance = await DuckDBInstance.create(NOBEL, { access_mode: 'READ_ONLY' });
  try {
    const out: EngineEvent[] = [];
    for await (const batch of streamEvents(instance, {})) out.push(...batch);
    return out;
  } finally {
    instance.closeSync();
  }
}

function replay(events: EngineEvent[], orderType: 'FOK' | 'GTC') {
  const definition = builtinStrategies['mirror']!;
  const params = parseStrategyParams(definition, {
    wallets: TARGETS,
    orderType,
    sizing: { mode: 'multiplier', multiplier: 0.5 },
  }) as Record<string, unknown>;
  const h = buildHarness({ strategies: [{ definition, params }], startMs: events[0]!.tsRecv, latencyMs: 250 });
  h.feed(events);
  return h;
}

const plain = (events: EngineEvent[]) => events.map((e) => (e instanceof RecordedTradeSeen ? e.toJSON() : e));
const json = (v: unknown) => JSON.parse(JSON.stringify(v)) as unknown;

describe('copies of recorded trades', () => {
  afterEach(() => vi.restoreAllMocks());

  it('decode no key while copying; read afterwards, decisions and orders equal those of the plain events', async () => {
    const events = await recorded();
    expect(events.some((e) => e instanceof RecordedTradeSeen)).toBe(true);
    const decodes = vi.spyOn(RecordedTrade.prototype, 'dedupKey');
    const lazy = replay(events, 'FOK');
    const copies = lazy.decisions.filter((d) => d.action === 'copy');
    expect(copies.length).toBeGreaterThan(100);
    expect(decodes).not.toHaveBeenCalled();
    const orders = lazy.orderEvents.map((e) => e.order);
    expect(orders.some((o) => o instanceof RecordedCauseOrder)).toBe(true);

    const eager = replay(plain(events), 'FOK');
    expect(json(lazy.decisions)).toEqual(json(eager.decisions));
    expect(json(orders)).toEqual(json(eager.orderEvents.map((e) => e.order)));
    expect(decodes).toHaveBeenCalled();
    // Every copy names a recorded trade's key, and each key once per strategy.
    const keys = copies.map((d) => d.causeKey);
    expect(keys.every((k) => typeof k === 'string' && k.startsWith('0x'))).toBe(true);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('a resting order keeps its key as text, not the trade (it may outlive the chunk by hours)', async () => {
    const events = await recorded();
    const h = replay(events, 'GTC');
    const orders = h.orderEvents.map((e) => e.order);
    expect(orders.length).toBeGreaterThan(0);
    for (const o of orders) {
      expect(o).not.toBeInstanceOf(RecordedCauseOrder);
      expect(typeof Object.getOwnPropertyDescriptor(o, 'causeKey')?.value).toBe('string');
    }
  });
});
