/**
 * The chain feed alone: every fill of a target seen once from OrderFilled logs (WebSocket plus eth_getLogs,
 * through a dropped socket), nothing of other wallets; and a 2-block reorg — a fill not yet confirmed is
 * retracted before the engine sees it, a fill already emitted and then reorganised out raises an alert, and
 * a fill mined again in the new blocks is not emitted twice.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TargetTradeSeen } from '../../../src/core/events.ts';
import { ChainFeed, type ChainFeedOptions } from '../../../src/feeds/chain-feed.ts';
import type { Sandbox } from '../../../src/sandbox/index.ts';
import { chainProvider, seedBook, startChainSandbox, tokenOf, until } from './helpers.ts';

const TARGET = '0x1111111111111111111111111111111111111111';
const OTHER = '0x2222222222222222222222222222222222222222';
let sb: Sandbox;
const feeds: ChainFeed[] = [];

beforeAll(async () => {
  sb = await startChainSandbox();
});
afterEach(async () => {
  await Promise.all(feeds.splice(0).map((f) => f.stop()));
});
afterAll(async () => {
  await sb?.stop();
});

/** A synthetic wallet takes liquidity: the match settles on chain like any other. */
function trade(wallet: string, slug: string, side: 'BUY' | 'SELL', shares: number, index: 0 | 1 = 0) {
  const token = tokenOf(sb, slug, index);
  sb.state.accounts.get(wallet).unlimited = true;
  seedBook(sb, token, [[0.4, 1000]], [[0.6, 1000]]);
  const price = side === 'BUY' ? 600_000 : 400_000;
  const size = shares * 1_000_000;
  const usdc = (size * price) / 1_000_000;
  const r = sb.state.place({
    id: sb.state.hash32('taker'),
    owner: 'synthetic',
    makerAddress: wallet,
    signer: wallet,
    tokenId: token,
    side,
    type: 'FAK',
    makerAmountMicros: side === 'BUY' ? usdc : size,
    takerAmountMicros: side === 'BUY' ? size : usdc,
    expirationSec: 0,
    postOnly: false,
    source: 'synthetic',
  });
  if (!r.ok) throw new Error(r.error);
  return r.fills;
}

function startFeed(seen: TargetTradeSeen[], over: Partial<ChainFeedOptions> = {}): ChainFeed {
  const c = sb.chain!;
  const feed = new ChainFeed({
    wallets: [TARGET],
    rpcUrl: c.rpcUrl,
    wsUrl: c.wsUrl,
    exchanges: [c.contracts.exchange, c.contracts.negRiskExchange],
    pollIntervalMs: 100,
    safetyPollMs: 1000,
    log: () => {},
    ...over,
  });
  feeds.push(feed);
  void feed.start((e) => e.type === 'target_trade' && seen.push(e));
  return feed;
}

describe('chain feed', () => {
  it("detects every fill of a target once, with the ledger's hash, side, size and price, through a dropped socket", async () => {
    const seen: TargetTradeSeen[] = [];
    const feed = startFeed(seen);
    await until('feed started', () => (feed.health().headBlock > 0 ? true : undefined));
    const fills = [
      ...trade(TARGET, 'cents-market', 'BUY', 12),
      ...trade(OTHER, 'cents-market', 'BUY', 7),
      ...trade(TARGET, 'neg-risk-market', 'BUY', 9, 1),
    ];
    feed.dropSocket();
    fills.push(...trade(TARGET, 'cents-market', 'SELL', 5), ...trade(TARGET, 'mills-market', 'BUY', 20));
    const mine = fills.filter((f) => f.takerAddress === TARGET);
    await until('all target fills', () => (seen.length >= mine.length ? true : undefined));
    await until('every settlement', () => (mine.every((f) => f.settledAtMs < Number.MAX_SAFE_INTEGER) ? true : undefined));
    const key = (t: { txHash: string; tokenId: string; side: string; sizeMicros: number; priceMicros: number }) =>
      `${t.txHash}:${t.tokenId}:${t.side}:${t.sizeMicros}:${t.priceMicros}`;
    expect(seen.map((e) => key(e.trade)).sort()).toEqual(
      mine
        .map((f) => key({ txHash: f.txHash, tokenId: f.tokenId, side: f.takerSide, sizeMicros: f.sizeMicros, priceMicros: f.priceMicros }))
        .sort(),
    );
    expect(seen.every((e) => e.source === 'chain' && e.trade.wallet === TARGET)).toBe(true);
    // Nothing more arrives after a few more blocks (each fill once).
    const head = feed.health().headBlock;
    await until('three more blocks', () => (feed.health().headBlock >= head + 3 ? true : undefined));
    expect(seen.length).toBe(mine.length);
  });

  describe('a 2-block reorg', () => {
    const rpc = () => chainProvider(sb);
    const mine = async (n: number) => {
      for (let i = 0; i < n; i++) await rpc().send('evm_mine', []);
    };
    beforeAll(async () => {
      await rpc().send('evm_setIntervalMining', [0]);
    });
    afterAll(async () => {
      await rpc().send('evm_setIntervalMining', [1]);
    });

    it('retracts a fill that was not yet confirmed: the engine never sees it', async () => {
      const seen: TargetTradeSeen[] = [];
      const feed = startFeed(seen, { confirmations: 3 });
      await until('feed started', () => (feed.health().headBlock > 0 ? true : undefined));
      const [f] = trade(TARGET, 'cents-market', 'BUY', 6);
      await until('settlement sent', async () =>
        ((await rpc().send('txpool_status', [])) as { pending: string }).pending !== '0x0' ? true : undefined,
      );
      await mine(2);
      await until('log seen, pending', () => (feed.health().pendingLogs >= 1 ? true : undefined));
      await sb.ctx.chain!.reorg(2, false);
      await mine(4);
      await until('reorg noticed', () => (feed.health().retracted >= 1 ? true : undefined));
      expect(seen).toEqual([]);
      expect(f!.txHash).toMatch(/^0x/);
    });

    it('alerts when an emitted fill is reorganised out, and does not re-emit one mined again', async () => {
      const seen: TargetTradeSeen[] = [];
      const alerts: string[] = [];
      const feed = startFeed(seen, { confirmations: 1, onAlert: (_m, fill) => alerts.push(fill.txHash) });
      await until('feed started', () => (feed.health().headBlock > 0 ? true : undefined));

      // Mined again in the new blocks (same tx hash): the same fill, emitted once, no alert.
      trade(TARGET, 'cents-market', 'BUY', 8);
      await until('settlement sent', async () =>
        ((await rpc().send('txpool_status', [])) as { pending: string }).pending !== '0x0' ? true : undefined,
      );
      await mine(1);
      await until('emitted', () => (seen.length === 1 ? true : undefined));
      await sb.ctx.chain!.reorg(2, true);
      await mine(3);
      await until('reorg noticed', () => (feed.health().reorgs >= 1 ? true : undefined));
      await until('re-read', async () => (feed.health().headBlock >= (await rpc().getBlockNumber()) ? true : undefined));
      expect(seen.length).toBe(1);
      expect(alerts).toEqual([]);

      // Gone for good: an alert naming the transaction.
      trade(TARGET, 'cents-market', 'BUY', 4);
      await until('settlement sent', async () =>
        ((await rpc().send('txpool_status', [])) as { pending: string }).pending !== '0x0' ? true : undefined,
      );
      await mine(1);
      await until('emitted', () => (seen.length === 2 ? true : undefined));
      await sb.ctx.chain!.reorg(2, false);
      await mine(4);
      await until('alert', () => (alerts.length === 1 ? true : undefined));
      expect(alerts).toEqual([seen[1]!.trade.txHash]);
      expect(seen.length).toBe(2);
    });
  });
});
