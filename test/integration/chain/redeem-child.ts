/** A process that redeems one market and is killed (kill -9) by the test between send and receipt. */
import { Wallet } from 'ethers';
import { RedeemJournal } from '../../../src/chain/redeem-journal.ts';
import { Redeemer } from '../../../src/chain/redeemer.ts';
import { RetryingRpcProvider } from '../../../src/chain/rpc.ts';
import { TxSender } from '../../../src/chain/tx-sender.ts';

const [rpcUrl, contractsJson, journalPath, marketJson, key] = process.argv.slice(2) as [string, string, string, string, string];
const provider = new RetryingRpcProvider(rpcUrl);
const wallet = new Wallet(key, provider);
const redeemer = new Redeemer({
  provider,
  contracts: JSON.parse(contractsJson),
  holder: wallet.address,
  journal: new RedeemJournal(journalPath),
  sender: new TxSender(wallet, provider, { pollMs: 50, priorityFeeGwei: 1 }),
  book: () => {
    process.stdout.write('BOOKED\n');
  },
});
await redeemer.redeem(JSON.parse(marketJson));
process.stdout.write('DONE\n');
