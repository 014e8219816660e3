/**
 * The market gate holds a token's first target trade until its book is loaded — for the second
 * outcome of a market too, whose market metadata the first outcome's trade already brought in. Paper
 * fills against the books, so without this every copy on that outcome was refused `no_book`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../src/core/events.ts';
import { MarketRegistry } from '../../../src/core/market-registry.ts';
import { MarketGate } from '../../../src/live/session-markets.ts';
import { startSandbox, type Sandbox } from '../../../src/sandbox/index.ts';

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox({
    port: 0,
    synthetic: false,
    scenario: { seed: 3, markets: [{ slug: 'gate-a', fairValue: 0.4 }], makers: [], traders: [] },
  });
});
afterAll(async () => sb.stop());

function trade(tokenId: string, conditionId: string, n: number): EngineEvent {
  const trade = {
    wallet: '0x1111111111111111111111111111111111111111',
    txHash: `0x${String(n).padStart(64, '0')}`,
    tokenId,
    conditionId,
    side: 'BUY' as const,
    sizeMicros: 10_000_000,
    priceMicros: 400_000,
    usdcMicros: 4_000_000,
    outcome: 'Yes',
  };
  return { type: 'target_trade', source: 'rtds', seq: n, tsEvent: n, tsRecv: n, trade, key: `k${n}#1` };
}

describe('MarketGate', () => {
  it('loads the book of each outcome on its first trade, and metadata once per market', async () => {
    const market = [...sb.state.markets.values()][0]!;
    const [yes, no] = market.tokenIds;
    const markets = new MarketRegistry();
    const emitted: EngineEvent[] = [];
    const booksLoaded: string[] = [];
    const gate = new MarketGate({
      gammaUrl: sb.urls.gamma,
      markets,
      emit: (e) => {
        if (e.type === 'market') markets.upsert(e.market);
        emitted.push(e);
      },
      onNewToken: async (tokenId) => {
        booksLoaded.push(tokenId);
      },
      now: () => 0,
      log: () => {},
    });
    gate.push(trade(yes, market.conditionId, 1));
    await gate.idle();
    expect(markets.byTokenId(no)).toBeDefined(); // the market (both outcomes) is known now
    gate.push(trade(no, market.conditionId, 2));
    gate.push(trade(yes, market.conditionId, 3));
    await gate.idle();
    expect(booksLoaded).toEqual([yes, no]);
    expect(emitted.filter((e) => e.type === 'market')).toHaveLength(1);
    expect(emitted.filter((e) => e.type === 'target_trade').map((e) => (e.type === 'target_trade' ? e.seq : 0))).toEqual([1, 2, 3]);
  });
});
