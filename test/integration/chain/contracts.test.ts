/**
 * The local chain's contracts on a real node (anvil): CTF ids derived as the CTF derives them (and as
 * polytail computes them), settlement with OrderFilled, binary redeem through the CTF and neg-risk redeem
 * through the adapter.
 */
import { Contract, Wallet, providers, utils } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binaryTokenIds, conditionIdOf } from '../../../src/chain/ctf-ids.ts';
import { CTF_ABI, ERC20_ABI, NEG_RISK_ADAPTER_ABI, type ChainContracts } from '../../../src/polymarket/contracts.ts';
import { type LocalChain, startLocalChain } from '../../../src/sandbox/chain/anvil.ts';
import { iface } from '../../../src/sandbox/chain/artifacts.ts';
import { deployContracts, prepareMarket, reportPayouts } from '../../../src/sandbox/chain/deploy.ts';
import { OperatorSender } from '../../../src/sandbox/chain/operator.ts';

const USER_KEY = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';
const MAX = utils.parseUnits('1', 77);
let chain: LocalChain;
let op: OperatorSender;
let c: ChainContracts;
let provider: providers.JsonRpcProvider;
let user: Wallet;

beforeAll(async () => {
  chain = await startLocalChain({ blockTimeMs: 200 });
  provider = new providers.JsonRpcProvider(chain.rpcUrl);
  provider.pollingInterval = 50;
  op = new OperatorSender(provider, chain.chainId, 50);
  await op.init();
  c = await deployContracts(op);
  user = new Wallet(USER_KEY, provider);
});

afterAll(async () => {
  op?.stop();
  await chain?.stop();
});

const mined = async (p: Promise<{ mined: Promise<providers.TransactionReceipt> }>) => {
  const r = await (await p).mined;
  expect(r.status).toBe(1);
  return r;
};

async function approveAll(w: Wallet) {
  const col = new Contract(c.collateral, ERC20_ABI, w);
  const ctf = new Contract(c.ctf, CTF_ABI, w);
  for (const s of [c.exchange, c.negRiskExchange, c.negRiskAdapter]) {
    await (await col.approve(s, MAX)).wait();
    await (await ctf.setApprovalForAll(s, true)).wait();
  }
}

function fill(over: Partial<Record<string, unknown>>) {
  return {
    makerOrderHash: utils.id('maker-order'),
    takerOrderHash: utils.id('taker-order'),
    maker: '0x1111111111111111111111111111111111111111',
    taker: user.address,
    conditionId: utils.hexZeroPad('0x', 32),
    tokenId: 0,
    takerBuys: true,
    shares: 100_000_000,
    usdc: 40_000_000,
    fee: 0,
    makerSynthetic: true,
    takerSynthetic: false,
    ...over,
  };
}

describe('local chain contracts', () => {
  it('derives condition and position ids as the CTF does, and polytail computes the same', async () => {
    const q = utils.id('question-ids');
    const m = await prepareMarket(op, c, q, false);
    expect(m.conditionId).toBe(conditionIdOf(op.address, q));
    expect(m.tokenIds).toEqual(binaryTokenIds(c.collateral, m.conditionId));
    const adapter = new Contract(c.negRiskAdapter, NEG_RISK_ADAPTER_ABI, provider);
    const n = await prepareMarket(op, c, utils.id('question-neg'), true);
    expect(n.tokenIds).toEqual(binaryTokenIds(await adapter.wcol(), n.conditionId));
  });

  it('settles a match with OrderFilled for both orders, then redeems a binary win through the CTF once', async () => {
    const q = utils.id('question-binary');
    const m = await prepareMarket(op, c, q, false);
    await mined(op.send(c.collateral, iface('Collateral').encodeFunctionData('mint', [user.address, 1_000_000_000]), 100_000));
    await approveAll(user);
    const r = await mined(
      op.send(
        c.exchange,
        iface('Exchange').encodeFunctionData('settle', [[fill({ conditionId: m.conditionId, tokenId: m.tokenIds[0] })]]),
        1_000_000,
      ),
    );
    const ex = iface('Exchange');
    const events = r.logs.filter((l) => l.address === c.exchange).map((l) => ex.parseLog(l));
    expect(events.map((e) => e.name)).toEqual(['OrderFilled', 'OrderFilled']);
    const mine = events.find((e) => e.args.maker === user.address)!;
    expect(mine.args.taker).toBe(c.exchange);
    expect(mine.args.makerAssetId.toString()).toBe('0');
    expect(mine.args.takerAssetId.toString()).toBe(m.tokenIds[0]);
    expect(mine.args.makerAmountFilled.toNumber()).toBe(40_000_000);
    expect(mine.args.takerAmountFilled.toNumber()).toBe(100_000_000);

    const ctf = new Contract(c.ctf, CTF_ABI, user);
    const col = new Contract(c.collateral, ERC20_ABI, user);
    expect((await ctf.balanceOf(user.address, m.tokenIds[0])).toNumber()).toBe(100_000_000);
    await mined(reportPayouts(op, c, q, false, [1, 0]));
    const before = (await col.balanceOf(user.address)).toNumber();
    await (await ctf.redeemPositions(c.collateral, utils.hexZeroPad('0x', 32), m.conditionId, [1, 2])).wait();
    expect((await col.balanceOf(user.address)).toNumber() - before).toBe(100_000_000);
    // A second redeem pays nothing: the balance was burned.
    await (await ctf.redeemPositions(c.collateral, utils.hexZeroPad('0x', 32), m.conditionId, [1, 2])).wait();
    expect((await col.balanceOf(user.address)).toNumber() - before).toBe(100_000_000);
  });

  it('redeems a neg-risk win through the adapter with amounts', async () => {
    const q = utils.id('question-negrisk');
    const m = await prepareMarket(op, c, q, true);
    await mined(
      op.send(
        c.negRiskExchange,
        iface('Exchange').encodeFunctionData('settle', [[fill({ conditionId: m.conditionId, tokenId: m.tokenIds[1], usdc: 70_000_000 })]]),
        1_500_000,
      ),
    );
    await mined(reportPayouts(op, c, q, true, [0, 1]));
    const adapter = new Contract(c.negRiskAdapter, NEG_RISK_ADAPTER_ABI, user);
    const col = new Contract(c.collateral, ERC20_ABI, user);
    const before = (await col.balanceOf(user.address)).toNumber();
    await (await adapter.redeemPositions(m.conditionId, [0, 100_000_000])).wait();
    expect((await col.balanceOf(user.address)).toNumber() - before).toBe(100_000_000);
  });
});
