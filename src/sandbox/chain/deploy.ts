/** Deploys the local chain's contracts and prepares the sandbox markets' conditions on it. */
import { Contract, utils } from 'ethers';
import type { ChainContracts } from '../../polymarket/contracts.ts';
import { artifact, deployData, iface } from './artifacts.ts';
import type { OperatorSender } from './operator.ts';

export async function deployContracts(op: OperatorSender): Promise<ChainContracts> {
  const collateral = await op.deploy(deployData('Collateral'));
  const ctf = await op.deploy(deployData('ConditionalTokens'));
  const negRiskAdapter = await op.deploy(deployData('NegRiskAdapter', ctf, collateral));
  const exchange = await op.deploy(deployData('Exchange', collateral, ctf, utils.getAddress('0x' + '00'.repeat(20))));
  const negRiskExchange = await op.deploy(deployData('Exchange', collateral, ctf, negRiskAdapter));
  const col = iface('Collateral');
  const a = await op.send(collateral, col.encodeFunctionData('setMinter', [exchange, true]), 100_000);
  const b = await op.send(collateral, col.encodeFunctionData('setMinter', [negRiskExchange, true]), 100_000);
  await Promise.all([a.mined, b.mined]);
  return { collateral, ctf, exchange, negRiskExchange, negRiskAdapter };
}

export interface PreparedMarket {
  conditionId: string;
  tokenIds: [string, string];
}

/**
 * Prepares a binary condition for a question and returns its ids as the CTF derives them: the oracle is
 * the operator for regular markets and the adapter (with wrapped collateral) for neg-risk ones.
 */
export async function prepareMarket(op: OperatorSender, c: ChainContracts, questionId: string, negRisk: boolean): Promise<PreparedMarket> {
  const ctf = new Contract(c.ctf, artifact('ConditionalTokens').abi as string[], op.provider);
  let sent;
  let oracle: string;
  let positionCollateral: string;
  if (negRisk) {
    const adapter = new Contract(c.negRiskAdapter, artifact('NegRiskAdapter').abi as string[], op.provider);
    sent = await op.send(c.negRiskAdapter, iface('NegRiskAdapter').encodeFunctionData('prepareQuestion', [questionId]), 300_000);
    oracle = c.negRiskAdapter;
    positionCollateral = (await adapter.wcol()) as string;
  } else {
    sent = await op.send(c.ctf, iface('ConditionalTokens').encodeFunctionData('prepareCondition', [op.address, questionId, 2]), 300_000);
    oracle = op.address;
    positionCollateral = c.collateral;
  }
  const r = await sent.mined;
  if (r.status !== 1) throw new Error(`sandbox chain: preparing question ${questionId} failed`);
  const conditionId = (await ctf.getConditionId(oracle, questionId, 2)) as string;
  const ids = await Promise.all(
    [1, 2].map(async (indexSet) => {
      const collection = (await ctf.getCollectionId(utils.hexZeroPad('0x', 32), conditionId, indexSet)) as string;
      return ((await ctf.getPositionId(positionCollateral, collection)) as { toString(): string }).toString();
    }),
  );
  return { conditionId, tokenIds: [ids[0]!, ids[1]!] };
}

/** Reports a resolution on chain: payouts per outcome ([1,0], [0,1], or [1,1] for a 50-50). */
export async function reportPayouts(
  op: OperatorSender,
  c: ChainContracts,
  questionId: string,
  negRisk: boolean,
  payouts: [number, number],
) {
  const data = negRisk
    ? iface('NegRiskAdapter').encodeFunctionData('reportPayouts', [questionId, payouts])
    : iface('ConditionalTokens').encodeFunctionData('reportPayouts', [questionId, payouts]);
  return op.send(negRisk ? c.negRiskAdapter : c.ctf, data, 300_000);
}
