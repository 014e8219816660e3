/**
 * Two followed wallets in one transaction are two fills to copy, not one: dedup keys name the target's
 * wallet (docs/feeds.md, "One fill, three sources"). A followed taker buys 30 shares in one match from two
 * followed makers that each sell 10 at 0.50 (the same transaction, token, size and price: their fills
 * differ only in the wallet) and from an unfollowed maker at 0.51. The sandbox settles the match on its
 * chain; RTDS, the Data API poll and the chain feed all report it, and every share each wallet traded is
 * copied exactly once, whichever source is first.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FillDedup } from '../../../src/core/dedup.ts';
import type { TargetTradeSeen } from '../../../src/core/events.ts';
import { ActivityPoller } from '../../../src/feeds/activity-poller.ts';
import { ChainFeed } from '../../../src/feeds/chain-feed.ts';
import { RtdsFeed } from '../../../src/feeds/rtds-feed.ts';
import type { Sandbox } from '../../../src/sandbox/index.ts';
import { startSandbox } from '../../../src/sandbox/index.ts';
import type { PlaceRequest } from '../../../src/sandbox/exchange/exchange.ts';
import { until } from './helpers.ts';

const TAKER = '0x1111111111111111111111111111111111111111';
const MAKER_B = '0x2222222222222222222222222222222222222222';
const MAKER_C = '0x3333333333333333333333333333333333333333';
const OTHER = '0x4444444444444444444444444444444444444444';
const TARGETS = [TAKER, MAKER_B, MAKER_C];
let sb: Sandbox;

beforeAll(async () => {
  sb = await startSandbox({
    port: 0,
    synthetic: false,
    chain: { blockTimeMs: 250 },
    scenario: { seed: 11, rtdsPingIntervalMs: 0, markets: [{ slug: 'two-wallets' }] },
  });
});
afterAll(async () => {
  await sb?.stop();
});

describe('two followed wallets in one transaction', () => {
  it('copies each wallet’s fills once: two makers with identical fills and the taker on the other side', async () => {
    const ex = sb.state;
    const token = [...ex.markets.values()][0]!.tokenIds[0];
    for (const a of [...TARGETS, OTHER]) ex.accounts.get(a).unlimited = true;
    const seen: TargetTradeSeen[] = [];
    const emit = (e: { type: string }) => e.type === 'target_trade' && seen.push(e as TargetTradeSeen);
    const quiet = () => {};
    const rtds = new RtdsFeed({ host: sb.urls.rtds, wallets: TARGETS, log: quiet });
    const poller = new ActivityPoller({ baseUrl: sb.urls.data, wallets: TARGETS, intervalMs: 300, startMs: Date.now() - 5000, log: quiet });
    const c = sb.chain!;
    const chain = new ChainFeed({
      wallets: TARGETS,
      rpcUrl: c.rpcUrl,
      wsUrl: c.wsUrl,
      exchanges: [c.contracts.exchange, c.contracts.negRiskExchange],
      confirmations: 1,
      pollIntervalMs: 200,
      log: quiet,
    });
    await Promise.all([rtds.start(emit), poller.start(emit), chain.start(emit)]);
    try {
      const place = (o: Pick<PlaceRequest, 'id' | 'makerAddress' | 'side' | 'type' | 'makerAmountMicros' | 'takerAmountMicros'>) => {
        const r = ex.place({
          owner: o.makerAddress,
          signer: o.makerAddress,
          tokenId: token,
          expirationSec: 0,
          postOnly: false,
          source: 'synthetic',
          ...o,
        });
        if (!r.ok) throw new Error(r.error);
      };
      place({ id: 'ask-b', makerAddress: MAKER_B, side: 'SELL', type: 'GTC', makerAmountMicros: 10_000_000, takerAmountMicros: 5_000_000 });
      place({ id: 'ask-c', makerAddress: MAKER_C, side: 'SELL', type: 'GTC', makerAmountMicros: 10_000_000, takerAmountMicros: 5_000_000 });
      place({ id: 'ask-x', makerAddress: OTHER, side: 'SELL', type: 'GTC', makerAmountMicros: 10_000_000, takerAmountMicros: 5_100_000 });
      place({ id: 'take', makerAddress: TAKER, side: 'BUY', type: 'FAK', makerAmountMicros: 15_300_000, takerAmountMicros: 30_000_000 });
      const fills = ex.ledger.filter((f) => f.takerAddress === TAKER);
      expect(fills.map((f) => [f.makerAddress, f.sizeMicros, f.priceMicros])).toEqual([
        [MAKER_B, 10_000_000, 500_000],
        [MAKER_C, 10_000_000, 500_000],
        [OTHER, 10_000_000, 510_000],
      ]);
      await until('settled on chain', () => (fills.every((f) => f.settledAtMs < Number.MAX_SAFE_INTEGER) ? true : undefined), 60_000);
      const tx = fills[0]!.txHash.toLowerCase();
      expect(fills.every((f) => f.txHash.toLowerCase() === tx)).toBe(true);
      const expected = {
        [`${TAKER}:BUY`]: 30_000_000,
        [`${MAKER_B}:SELL`]: 10_000_000,
        [`${MAKER_C}:SELL`]: 10_000_000,
      };
      // RTDS may take the taker's two identical rows (10 at 0.50 against each maker), published in the same
      // millisecond, for one redelivered frame (src/feeds/rtds-occurrences.ts): the other sources cover it.
      const makersOnly = { [`${MAKER_B}:SELL`]: 10_000_000, [`${MAKER_C}:SELL`]: 10_000_000 };
      await until(
        'every source saw every wallet’s fills',
        () =>
          ['chain', 'data-api'].every((s) => same(shares(seen.filter((e) => e.source === s)), expected)) &&
          same(shares(seen.filter((e) => e.source === 'rtds')), makersOnly)
            ? true
            : undefined,
        60_000,
      );
      // The chain totals the taker's order in one event; RTDS and the Data API list it per maker fill.
      expect(seen.filter((e) => e.source === 'chain' && e.trade.wallet === TAKER).map((e) => e.orderTotal)).toEqual([true]);

      // Every order of arrival: as the sources delivered, and the reverse.
      for (const order of [seen, [...seen].reverse()]) {
        const dedup = new FillDedup();
        const copied = order.map((e) => dedup.accept(e, e.occurrence)).filter((e) => e !== undefined);
        expect(shares(copied)).toEqual(expected);
        // Each maker's fill is one event, under a key that names its wallet.
        for (const maker of [MAKER_B, MAKER_C]) {
          const mine = copied.filter((e) => e.trade.wallet === maker);
          expect(mine.map((e) => e.key)).toEqual([`${tx}:${maker}:${token}:SELL:10000000:500000#1`]);
        }
      }
    } finally {
      await Promise.all([rtds.stop(), poller.stop(), chain.stop()]);
    }
  }, 180_000);
});

/** Shares per wallet and side (all of one transaction here). */
function shares(events: TargetTradeSeen[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of events) {
    const k = `${e.trade.wallet.toLowerCase()}:${e.trade.side}`;
    out[k] = (out[k] ?? 0) + e.trade.sizeMicros;
  }
  return out;
}

function same(a: Record<string, number>, b: Record<string, number>): boolean {
  return Object.keys(b).every((k) => a[k] === b[k]);
}
