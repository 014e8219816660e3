/**
 * A live session against a sandbox that settles on chain: the session finds the chain by itself, runs the
 * chain feed beside RTDS and the Data API (health row with head block), starts its equity from the
 * wallet's balance, copies the target's BUY, and when the market resolves auto-redeems the copy: cash
 * back once, one row in the session's `redeems` table, nothing redeemed twice.
 */
import { AssetType } from '@polymarket/clob-client-v2';
import { Contract, Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeedHealth } from '../../../src/core/control.ts';
import type { TargetTradeSeen } from '../../../src/core/events.ts';
import { startLiveSession } from '../../../src/modes/live-session.ts';
import { ERC20_ABI } from '../../../src/polymarket/contracts.ts';
import type { Sandbox } from '../../../src/sandbox/index.ts';
import { configFor, tempDataDir } from '../modes/helpers.ts';
import { TEST_KEY, approveAll, chainProvider, seedBook, startChainSandbox, tokenOf, tradingClient, until } from './helpers.ts';

const TARGET = '0x1111111111111111111111111111111111111111';
const me = new Wallet(TEST_KEY).address;
let sb: Sandbox;

beforeAll(async () => {
  sb = await startChainSandbox({ defaultUsdc: 1000 });
  const client = await tradingClient(sb); // API key: the sandbox mints the starting balance on chain
  await approveAll(sb, TEST_KEY);
  await client.updateBalanceAllowance({ asset_type: AssetType.COLLATERAL }); // what `polytail approve` does last
});
afterAll(async () => {
  await sb?.stop();
});

/** The target takes 20 shares at 0.60 from a seeded book; the match settles on chain. */
function targetBuys(slug: string) {
  const token = tokenOf(sb, slug, 0);
  sb.state.accounts.get(TARGET).unlimited = true;
  seedBook(sb, token, [[0.4, 1000]], [[0.6, 1000]]);
  const r = sb.state.place({
    id: sb.state.hash32('target'),
    owner: 'synthetic',
    makerAddress: TARGET,
    signer: TARGET,
    tokenId: token,
    side: 'BUY',
    type: 'FAK',
    makerAmountMicros: 12_000_000,
    takerAmountMicros: 20_000_000,
    expirationSec: 0,
    postOnly: false,
    source: 'synthetic',
  });
  if (!r.ok) throw new Error(r.error);
}

describe('a live session with the chain', () => {
  it('feeds OrderFilled as a third source, copies, and auto-redeems the copy once into the recording', async () => {
    const collateral = new Contract(sb.chain!.contracts.collateral, ERC20_ABI, chainProvider(sb));
    const balance = async () => Number((await collateral.balanceOf(me)).toString());
    const chainTrades: TargetTradeSeen[] = [];
    const session = await startLiveSession({
      mode: 'live',
      config: configFor(tempDataDir(), [TARGET], { startingCashUsdc: 5, maxTradeAgeSeconds: 600 }),
      sandboxUrl: sb.urls.clob,
      pollIntervalMs: 500,
      syncIntervalMs: 0,
      env: {},
      listeners: [{ onEvent: (e) => void (e.type === 'target_trade' && e.source === 'chain' && chainTrades.push(e)) }],
    });
    try {
      expect(session.chain?.feed).toBeDefined();
      // Equity starts from the wallet's collateral, not the configured $5.
      expect(session.engine.snapshot().equity.cashMicros).toBe(await balance());
      const chainRow = () => session.engine.snapshot().feedHealth.find((f: FeedHealth) => f.source === 'chain');
      await until('chain feed up', () => ((chainRow()?.headBlock ?? 0) > 0 ? true : undefined));

      targetBuys('cents-market');
      await until('our copy filled', () => (session.engine.snapshot().positions.length > 0 ? true : undefined), 30_000);
      // The chain feed saw the target's fill with its market (token lookup) even if another source was first.
      await until('chain feed reported the fill', () => (chainRow()?.lagMs !== undefined ? true : undefined), 30_000);
      const ours = session.engine.snapshot().positions[0]!;
      await until('our fill settled', () =>
        sb.state.ledger.filter((f) => f.takerAddress === me.toLowerCase()).every((f) => f.settledAtMs < Number.MAX_SAFE_INTEGER)
          ? true
          : undefined,
      );

      const before = await balance();
      await fetch(`${sb.urls.admin}/resolve`, { method: 'POST', body: JSON.stringify({ slug: 'cents-market', winner: 0 }) });
      await until('auto-redeemed', () => (session.chain!.redeems.length > 0 ? true : undefined), 60_000);
      const [redeem] = session.chain!.redeems;
      expect(redeem).toMatchObject({ ok: true, negRisk: false, via: 'eoa', payoutMicros: ours.sizeMicros });
      expect((await balance()) - before).toBe(ours.sizeMicros);

      // Once: another round finds nothing, the row is in DuckDB once, the cash arrived once.
      expect(await session.chain!.autoRedeem!.runOnce()).toEqual([]);
      const rows = await session.recording.query(`SELECT redeem_id, tx_hash, payout_micros, ok FROM redeems`);
      expect(rows).toEqual([{ redeem_id: redeem!.id, tx_hash: redeem!.txHash, payout_micros: ours.sizeMicros, ok: true }]);
      expect((await balance()) - before).toBe(ours.sizeMicros);
      expect(chainTrades.every((e) => e.trade.conditionId !== '')).toBe(true);
    } finally {
      await session.stop();
    }
  }, 180_000);
});
