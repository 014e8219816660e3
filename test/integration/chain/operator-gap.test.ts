/**
 * The sandbox operator survives a reorg that drops a transaction it already saw mined: on a real anvil,
 * its transaction at nonce n is mined (receipt seen), a reorg removes that block without mining it again,
 * and the transaction at nonce n+1 then waits on the gap. Every later settlement would stall (as seen in a
 * chaos --chain run: 860 matches left unsettled behind six missing nonces); the operator sends the one at
 * the account's next nonce again and both are mined.
 */
import { providers } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalChain, type LocalChain } from '../../../src/sandbox/chain/anvil.ts';
import { OperatorSender } from '../../../src/sandbox/chain/operator.ts';

let chain: LocalChain;
let provider: providers.JsonRpcProvider;

beforeAll(async () => {
  chain = await startLocalChain({ blockTimeMs: 250 });
  provider = new providers.JsonRpcProvider(chain.rpcUrl, chain.chainId);
  provider.pollingInterval = 50;
});
afterAll(async () => {
  await chain?.stop();
});

describe('sandbox operator', () => {
  it('sends again a mined transaction a reorg dropped, so the transactions behind it are mined', async () => {
    const op = new OperatorSender(provider, chain.chainId, 50);
    await op.init();
    try {
      const first = await op.send(op.address, '0x', 30_000);
      const r1 = await first.mined;
      // The block that mined it is replaced by an empty one: the transaction is gone, its nonce free again.
      await provider.send('anvil_reorg', [(await provider.getBlockNumber()) - r1.blockNumber + 1, []]);
      expect(await provider.getTransactionReceipt(first.hash)).toBeNull();
      const second = await op.send(op.address, '0x', 30_000);
      const r2 = await second.mined;
      expect(r2.status).toBe(1);
      const again = await provider.getTransactionReceipt(first.hash);
      expect(again?.blockNumber).toBeLessThanOrEqual(r2.blockNumber);
    } finally {
      op.stop();
    }
  }, 60_000);
});
