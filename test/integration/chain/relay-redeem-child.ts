/** A process that redeems one market of a Safe through the relayer; the test kills it (kill -9) mid-way. */
import { Wallet } from 'ethers';
import { RedeemJournal } from '../../../src/chain/redeem-journal.ts';
import { Redeemer } from '../../../src/chain/redeemer.ts';
import { RelaySender } from '../../../src/chain/relay-sender.ts';
import { RetryingRpcProvider } from '../../../src/chain/rpc.ts';
import { SANDBOX_BUILDER_CREDS } from '../../../src/sandbox/relayer/builder-creds.ts';

const [rpcUrl, chainId, relayerUrl, contractsJson, journalPath, marketJson, key] = process.argv.slice(2) as string[] as [
  string,
  string,
  string,
  string,
  string,
  string,
  string,
];
const provider = new RetryingRpcProvider(rpcUrl, Number(chainId));
const relay = new RelaySender({
  relayerUrl,
  chainId: Number(chainId),
  rpcUrl,
  signer: new Wallet(key, provider),
  creds: { ...SANDBOX_BUILDER_CREDS },
  kind: 'safe',
  pollMs: 50,
});
const redeemer = new Redeemer({
  provider,
  contracts: JSON.parse(contractsJson),
  holder: relay.wallet(),
  journal: new RedeemJournal(journalPath),
  relay,
  book: () => {
    process.stdout.write('BOOKED\n');
  },
});
await redeemer.redeem(JSON.parse(marketJson));
process.stdout.write('DONE\n');
