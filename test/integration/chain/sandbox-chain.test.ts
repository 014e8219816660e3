/**
 * The sandbox with a chain: the CLOB holds a fresh wallet to its on-chain approvals, approving (then
 * /balance-allowance/update) lets it trade, every match settles on chain with OrderFilled, and the chain,
 * the Data API and the CLOB report the same transaction hash; a resolution is reported on chain and the
 * position turns redeemable.
 */
import { AssetType, OrderType, Side } from '@polymarket/clob-client-v2';
import { Contract, utils } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CTF_ABI, EXCHANGE_ABI } from '../../../src/polymarket/contracts.ts';
import type { Sandbox } from '../../../src/sandbox/index.ts';
import {
  TEST_KEY,
  approveAll,
  chainProvider,
  conditionOf,
  getJson,
  seedBook,
  startChainSandbox,
  tokenOf,
  tradingClient,
  until,
} from './helpers.ts';

let sb: Sandbox;
beforeAll(async () => {
  sb = await startChainSandbox();
});
afterAll(async () => {
  await sb?.stop();
});

describe('sandbox --chain', () => {
  it('refuses orders until the wallet approves, then settles each match on chain with one tx hash everywhere', async () => {
    const token = tokenOf(sb, 'cents-market');
    seedBook(sb, token, [[0.45, 500]], [[0.55, 500]]);
    const client = await tradingClient(sb);
    const order = { tokenID: token, price: 0.55, size: 10, side: Side.BUY };
    const refused = await client.createAndPostOrder(order, { tickSize: '0.01', negRisk: false }, OrderType.GTC).catch((e: Error) => e);
    expect(String((refused as Error).message ?? JSON.stringify(refused))).toMatch(/not enough balance \/ allowance/);

    expect(await approveAll(sb, TEST_KEY)).toBe(6);
    const bal = await client.updateBalanceAllowance({ asset_type: AssetType.COLLATERAL });
    void bal;
    const res = await client.createAndPostOrder(order, { tickSize: '0.01', negRisk: false }, OrderType.GTC);
    expect(res.status).toBe('matched');

    const me = sb.ctx.exchange.ledger.find((f) => f.takerOwner !== 'synthetic')!;
    const txHash = await until('settlement', () => (me.settledAtMs < Number.MAX_SAFE_INTEGER ? me.txHash : undefined));
    const provider = chainProvider(sb);
    const receipt = await provider.getTransactionReceipt(txHash);
    expect(receipt.status).toBe(1);
    const ex = new utils.Interface(EXCHANGE_ABI);
    const fills = receipt.logs.filter((l) => l.address === sb.chain!.contracts.exchange).map((l) => ex.parseLog(l));
    const mine = fills.find((f) => (f.args.maker as string).toLowerCase() === me.takerAddress)!;
    expect(mine.args.takerAmountFilled.toString()).toBe('10000000');
    expect(mine.args.makerAmountFilled.toString()).toBe('5500000');

    const activity = (await getJson(`${sb.urls.data}/activity?user=${me.takerAddress}`)) as { transactionHash: string }[];
    expect(activity.map((a) => a.transactionHash)).toEqual([txHash]);
    const ctf = new Contract(sb.chain!.contracts.ctf, CTF_ABI, provider);
    expect((await ctf.balanceOf(me.takerAddress, token)).toString()).toBe('10000000');
  });

  it('reports a resolution on chain and lists the winning position as redeemable', async () => {
    const cid = conditionOf(sb, 'cents-market');
    await fetch(`${sb.urls.admin}/resolve`, { method: 'POST', body: JSON.stringify({ conditionId: cid, winner: 0 }) });
    const ctf = new Contract(sb.chain!.contracts.ctf, CTF_ABI, chainProvider(sb));
    await until('on-chain payouts', async () => ((await ctf.payoutDenominator(cid)).toNumber() > 0 ? true : undefined));
    const me = sb.ctx.exchange.ledger.find((f) => f.takerOwner !== 'synthetic')!.takerAddress;
    const positions = (await getJson(`${sb.urls.data}/positions?user=${me}&redeemable=true`)) as { redeemable: boolean; size: number }[];
    expect(positions).toMatchObject([{ redeemable: true, size: 10 }]);
  });
});
