/**
 * The transaction sender against a real node (anvil) whose mining the test controls: a base fee above the
 * cap sends nothing; a transaction not mined in time is replaced at the same nonce with a higher fee and
 * exactly one of them is mined; replacements never go above the cap; concurrent sends take consecutive
 * nonces; a nonce taken by another transaction with the same key is reported, not retried with a new nonce;
 * and RPC 429/5xx answers are retried with backoff.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Wallet, utils } from 'ethers';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RetryingRpcProvider } from '../../../src/chain/rpc.ts';
import { FeeCapError, type SignedTx, TxSender } from '../../../src/chain/tx-sender.ts';
import { type LocalChain, startLocalChain } from '../../../src/sandbox/chain/anvil.ts';
import { until } from './helpers.ts';

// anvil's dev account #1 (the well-known test mnemonic): local chain only.
const KEY = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d';
const SINK = '0x000000000000000000000000000000000000dEaD';
const gwei = (n: number) => utils.parseUnits(String(n), 'gwei');

let chain: LocalChain;
let provider: RetryingRpcProvider;
const address = new Wallet(KEY).address;

beforeAll(async () => {
  chain = await startLocalChain({ blockTimeMs: 1000 });
  provider = new RetryingRpcProvider(chain.rpcUrl, chain.chainId);
});
afterAll(async () => {
  await chain?.stop();
});
beforeEach(async () => {
  // Each test mines by hand, from a base fee of 1 gwei.
  await provider.send('evm_setIntervalMining', [0]);
  await provider.send('evm_setAutomine', [false]);
  await provider.send('anvil_setNextBlockBaseFeePerGas', [gwei(1).toHexString()]);
  await provider.send('evm_mine', []);
});

const sender = (o: ConstructorParameters<typeof TxSender>[2] = {}) =>
  new TxSender(new Wallet(KEY, provider), provider, { pollMs: 25, priorityFeeGwei: 1, ...o });
const pending = async () => Number(((await provider.send('txpool_status', [])) as { pending: string }).pending);
const fees = (t: SignedTx) => {
  const tx = utils.parseTransaction(t.raw);
  return { nonce: tx.nonce, maxFee: tx.maxFeePerGas!, tip: tx.maxPriorityFeePerGas! };
};

describe('TxSender on a local node', () => {
  it('refuses to send when the base fee is above the cap: no transaction, no nonce used', async () => {
    await provider.send('anvil_setNextBlockBaseFeePerGas', [gwei(600).toHexString()]);
    await provider.send('evm_mine', []);
    const nonce = await provider.getTransactionCount(address, 'pending');
    const signed: SignedTx[] = [];
    await expect(sender({ maxFeeGwei: 500 }).send({ to: SINK, data: '0x', gasLimit: 30_000 }, (t) => void signed.push(t))).rejects.toThrow(
      FeeCapError,
    );
    expect(signed).toEqual([]);
    expect(await pending()).toBe(0);
    expect(await provider.getTransactionCount(address, 'pending')).toBe(nonce);
  });

  it('replaces a transaction not mined in time at the same nonce with a higher fee; one of them is mined', async () => {
    const nonce = await provider.getTransactionCount(address, 'latest');
    const signed: SignedTx[] = [];
    const receipt = sender({ replaceAfterMs: 300 }).send({ to: SINK, data: '0x', gasLimit: 30_000 }, (t) => void signed.push(t));
    await until('two replacements', () => (signed.length >= 3 ? true : undefined));
    expect(new Set(signed.map((t) => fees(t).nonce))).toEqual(new Set([nonce]));
    for (let i = 1; i < signed.length; i++) {
      // Nodes want at least +10 % on both fee fields to accept a replacement.
      expect(
        fees(signed[i]!)
          .maxFee.mul(100)
          .gte(fees(signed[i - 1]!).maxFee.mul(110)),
      ).toBe(true);
      expect(
        fees(signed[i]!)
          .tip.mul(100)
          .gte(fees(signed[i - 1]!).tip.mul(110)),
      ).toBe(true);
    }
    expect(await pending()).toBe(1); // each replacement displaced the one before
    await provider.send('evm_mine', []);
    const r = await receipt;
    expect(r.status).toBe(1);
    expect(signed.map((t) => t.hash)).toContain(r.transactionHash);
    expect(await provider.getTransactionCount(address, 'latest')).toBe(nonce + 1);
    for (const t of signed) if (t.hash !== r.transactionHash) expect(await provider.getTransactionReceipt(t.hash)).toBeNull();
  });

  it('never signs above the fee cap while replacing; a replacement the node refuses keeps the one it has', async () => {
    // Base 1 gwei: the first fee is 2 × base + tip = 3 gwei, exactly the cap; replacements cannot go higher.
    const signed: SignedTx[] = [];
    const receipt = sender({ replaceAfterMs: 200, maxFeeGwei: 3 }).send(
      { to: SINK, data: '0x', gasLimit: 30_000 },
      (t) => void signed.push(t),
    );
    await until('replacements tried', () => (signed.length >= 3 ? true : undefined));
    for (const t of signed) expect(fees(t).maxFee.lte(gwei(3))).toBe(true);
    expect(await pending()).toBe(1);
    await provider.send('evm_mine', []);
    expect((await receipt).status).toBe(1);
  });

  it('concurrent sends take consecutive nonces, in order', async () => {
    const s = sender();
    const nonce = await provider.getTransactionCount(address, 'latest');
    const signed: SignedTx[] = [];
    const sends = [1, 2, 3].map(() => s.send({ to: SINK, data: '0x', gasLimit: 30_000 }, (t) => void signed.push(t)));
    for (let i = 1; i <= 3; i++) {
      await until(`tx ${i} broadcast`, () => (signed.length >= i ? true : undefined));
      await provider.send('evm_mine', []);
    }
    const receipts = await Promise.all(sends);
    expect(signed.map((t) => t.nonce)).toEqual([nonce, nonce + 1, nonce + 2]);
    expect(receipts.map((r) => r.status)).toEqual([1, 1, 1]);
  });

  it('a nonce taken by another transaction with the same key is reported, not resent with a new nonce', async () => {
    const nonce = await provider.getTransactionCount(address, 'latest');
    const signed: SignedTx[] = [];
    const ours = sender({ replaceAfterMs: 60_000 }).send({ to: SINK, data: '0x', gasLimit: 30_000 }, (t) => void signed.push(t));
    await until('ours broadcast', () => (signed.length === 1 ? true : undefined));
    // The same key elsewhere (another app) replaces it with its own transaction at a much higher fee.
    const other = await new Wallet(KEY, provider).signTransaction({
      to: address,
      value: 1,
      nonce,
      gasLimit: 30_000,
      chainId: chain.chainId,
      type: 2,
      maxFeePerGas: gwei(50),
      maxPriorityFeePerGas: gwei(20),
    });
    await provider.send('eth_sendRawTransaction', [other]);
    await provider.send('evm_mine', []);
    await expect(ours).rejects.toThrow(/nonce \d+ of .* was used by another transaction/);
    expect(await provider.getTransactionReceipt(signed[0]!.hash)).toBeNull();
    expect(await provider.getTransactionCount(address, 'latest')).toBe(nonce + 1);
  });
});

describe('RetryingRpcProvider', () => {
  let server: Server;
  afterAll(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

  it('rides out 429 and 5xx answers with backoff, then answers; gives up on errors that are not transient', async () => {
    const statuses = [429, 502, 503];
    let calls = 0;
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', async () => {
        calls++;
        const status = statuses.shift();
        if (status) {
          res.writeHead(status, { 'content-type': 'text/plain' }).end('busy');
          return;
        }
        const upstream = await fetch(chain.rpcUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        res.writeHead(200, { 'content-type': 'application/json' }).end(await upstream.text());
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const slept: number[] = [];
    const flaky = new RetryingRpcProvider(
      `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      chain.chainId,
      { attempts: 6, baseDelayMs: 100, maxDelayMs: 1000 },
      // Recorded, not waited; but a macrotask passes, as with a real timer (ethers shares an in-flight
      // eth_blockNumber for one tick, so a retry within the same tick would get the same failure back).
      async (ms) => {
        slept.push(ms);
        await new Promise((r) => setTimeout(r, 1));
      },
    );
    expect(await flaky.getBlockNumber()).toBeGreaterThan(0);
    // ethers itself waits out a 429 and asks again; the 5xx answers are ours to retry, with growing delays.
    expect(calls).toBe(4);
    expect(flaky.retries).toBe(2);
    expect(slept).toEqual([100, 200]);
    // A revert (a JSON-RPC error, HTTP 200) is not retried.
    const before = calls;
    await expect(flaky.send('eth_call', [{ to: SINK, data: '0xdeadbeef', from: address }, 'latest'])).resolves.toBe('0x');
    expect(calls).toBe(before + 1);
    await expect(flaky.send('no_such_method', [])).rejects.toThrow();
    expect(calls).toBe(before + 2);
  });
});
