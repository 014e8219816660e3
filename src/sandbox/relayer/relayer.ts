/**
 * The sandbox's stand-in for Polymarket's relayer (relayer-v2.polymarket.com): it takes the requests the
 * real @polymarket/builder-relayer-client builds, checks them as far as the client's source tells what the
 * service must check (builder HMAC, the owner's signature, the Safe's nonce), and executes them on the
 * local chain from the sandbox operator's account, which pays the gas as the real relayer does. Proxy
 * wallets (PROXY) go through the sandbox's own factory and relay hub (proxy-contracts.ts): the operator
 * is the relay, and calls the hub's relayCall with the owner's signature. Every transaction moves STATE_NEW → STATE_EXECUTED
 * (sent) → STATE_MINED, or STATE_FAILED when it reverts; `hold()` keeps new ones at STATE_NEW until
 * `release()` so a test can stop a client between its submit and the confirmation.
 */
import { randomUUID } from 'node:crypto';
import { utils } from 'ethers';
import type { OperatorSender } from '../chain/operator.ts';
import { iface } from '../chain/artifacts.ts';
import { type ProxyWallets, proxyAddressOf } from './proxy-wallets.ts';
import { SANDBOX_PROXY_CONTRACTS } from './proxy-contracts.ts';
import { type SafeWallets, safeAddressOf } from './safe-wallets.ts';
import { type ProxyRequest, type SafeRequest, createSigner, proxySigner, safeSigner, safeTxHash } from './signatures.ts';

export type RelayerState = 'STATE_NEW' | 'STATE_EXECUTED' | 'STATE_MINED' | 'STATE_CONFIRMED' | 'STATE_FAILED' | 'STATE_INVALID';

/** One transaction as GET /transaction lists it (field names as the client's RelayerTransaction type). */
export interface RelayerTransaction {
  transactionID: string;
  transactionHash: string;
  from: string;
  to: string;
  proxyAddress: string;
  data: string;
  nonce: string;
  value: string;
  signature: string;
  state: RelayerState;
  type: string;
  owner: string;
  metadata: string;
  createdAt: string;
  updatedAt: string;
}

export class RelayerError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const PENDING: RelayerState[] = ['STATE_NEW', 'STATE_EXECUTED'];

export class SandboxRelayer {
  readonly transactions: RelayerTransaction[] = [];
  private held = false;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly op: OperatorSender,
    readonly safes: SafeWallets,
    readonly proxies: ProxyWallets,
    readonly chainId: number,
    private readonly log: (msg: string) => void = () => {},
  ) {}

  /** Submissions accepted so far, by type (SAFE, SAFE-CREATE, PROXY). */
  submissions(type?: string): number {
    return this.transactions.filter((t) => !type || t.type === type).length;
  }

  hold(): void {
    this.held = true;
  }

  release(): void {
    this.held = false;
    for (const run of this.waiting.splice(0)) run();
  }

  find(id: string): RelayerTransaction | undefined {
    return this.transactions.find((t) => t.transactionID === id);
  }

  ofBuilder(key: string): RelayerTransaction[] {
    return this.transactions.filter((t) => t.owner === key);
  }

  /** The next Safe nonce for an owner: the chain's, past any of its transactions still pending here. */
  async nonceOf(owner: string): Promise<number> {
    const safe = safeAddressOf(owner);
    const pending = this.transactions.filter((t) => t.proxyAddress === safe && t.type === 'SAFE' && PENDING.includes(t.state));
    return (await this.safes.nonce(safe)) + pending.length;
  }

  /** What GET /relay-payload answers for a proxy owner: the relay (the operator) and the hub's next nonce. */
  async relayPayload(owner: string): Promise<{ address: string; nonce: string }> {
    const wallet = proxyAddressOf(owner);
    const pending = this.transactions.filter((t) => t.proxyAddress === wallet && t.type === 'PROXY' && PENDING.includes(t.state));
    return { address: this.op.address, nonce: String((await this.proxies.nonce(owner)) + pending.length) };
  }

  async submit(body: unknown, builderKey: string): Promise<RelayerTransaction> {
    const req = body as Partial<SafeRequest> & { type?: string; metadata?: string };
    if (!req || typeof req !== 'object' || !req.from || !utils.isAddress(req.from)) throw new RelayerError(400, 'invalid request: from');
    if (req.type === 'SAFE-CREATE') return this.submitCreate(req as SafeRequest & { signatureParams: never }, builderKey);
    if (req.type === 'SAFE') return this.submitSafe(req as SafeRequest, builderKey);
    if (req.type === 'PROXY') return this.submitProxy(req as unknown as ProxyRequest, builderKey);
    throw new RelayerError(400, `transaction type ${String(req.type)} is not supported by the sandbox relayer (SAFE, SAFE-CREATE, PROXY)`);
  }

  private async submitProxy(req: ProxyRequest, builderKey: string): Promise<RelayerTransaction> {
    const wallet = proxyAddressOf(req.from);
    const p = req.signatureParams;
    const { ProxyFactory, RelayHub } = SANDBOX_PROXY_CONTRACTS;
    if (!p || req.to?.toLowerCase() !== ProxyFactory.toLowerCase() || p.relayHub?.toLowerCase() !== RelayHub.toLowerCase())
      throw new RelayerError(400, 'invalid request: to/relayHub are not the sandbox proxy factory and relay hub');
    if (req.proxyWallet?.toLowerCase() !== wallet.toLowerCase()) throw new RelayerError(400, 'proxyWallet is not the proxy wallet of from');
    if (p.relay?.toLowerCase() !== this.op.address.toLowerCase()) throw new RelayerError(400, 'invalid relay address');
    if (proxySigner(req)?.toLowerCase() !== req.from.toLowerCase()) throw new RelayerError(400, 'invalid signature');
    if (req.nonce !== (await this.relayPayload(req.from)).nonce) throw new RelayerError(400, `invalid nonce ${req.nonce}`);
    const tx = this.record(req as unknown as SafeRequest, wallet, builderKey);
    const data = iface('SandboxRelayHub').encodeFunctionData('relayCall', [
      req.from,
      req.to,
      req.data,
      p.relayerFee,
      p.gasPrice,
      p.gasLimit,
      req.nonce,
      req.signature,
      '0x',
    ]);
    // The real factory creates the wallet inside the first relayed call; here it is placed just before.
    const gas = Math.min(Number(p.gasLimit) + 300_000, 12_000_000);
    this.run(tx, async () => {
      await this.proxies.place(req.from);
      return this.op.send(RelayHub, data, gas);
    });
    return tx;
  }

  private async submitCreate(req: SafeRequest, builderKey: string): Promise<RelayerTransaction> {
    const safe = safeAddressOf(req.from);
    if (await this.safes.deployed(safe)) throw new RelayerError(400, 'safe already deployed');
    const p = req.signatureParams as unknown as { paymentToken: string; payment: string; paymentReceiver: string };
    if (createSigner(this.chainId, req.signature, p)?.toLowerCase() !== req.from.toLowerCase())
      throw new RelayerError(400, 'invalid signature');
    const tx = this.record(req, safe, builderKey);
    this.run(tx, async () => {
      await this.safes.create(req.from);
      // The real factory deploys in a transaction; a zero-value call to the new Safe gives this one a hash.
      return this.op.send(safe, '0x', 100_000);
    });
    return tx;
  }

  private async submitSafe(req: SafeRequest, builderKey: string): Promise<RelayerTransaction> {
    const safe = safeAddressOf(req.from);
    if (req.proxyWallet?.toLowerCase() !== safe.toLowerCase()) throw new RelayerError(400, 'proxyWallet is not the Safe of from');
    if (!(await this.safes.deployed(safe))) throw new RelayerError(400, 'safe not deployed');
    const owner = await this.safes.owner(safe);
    const signer = safeSigner(safeTxHash(this.chainId, req), req.signature);
    if (!signer || signer.toLowerCase() !== owner.toLowerCase()) throw new RelayerError(400, 'invalid signature');
    if (Number(req.nonce) !== (await this.nonceOf(req.from))) throw new RelayerError(400, `invalid nonce ${req.nonce}`);
    const tx = this.record(req, safe, builderKey);
    const p = req.signatureParams;
    const data = iface('SandboxSafe').encodeFunctionData('execTransaction', [
      req.to,
      0,
      req.data,
      Number(p.operation),
      p.safeTxnGas,
      p.baseGas,
      p.gasPrice,
      p.gasToken,
      p.refundReceiver,
      req.signature,
    ]);
    this.run(tx, () => this.op.send(safe, data, 2_000_000));
    return tx;
  }

  private record(req: SafeRequest & { type?: string; metadata?: string }, safe: string, builderKey: string): RelayerTransaction {
    const now = new Date().toISOString();
    const tx: RelayerTransaction = {
      transactionID: randomUUID(),
      transactionHash: '',
      from: req.from,
      to: req.to,
      proxyAddress: safe,
      data: req.data ?? '0x',
      nonce: String(req.nonce ?? ''),
      value: '0',
      signature: req.signature,
      state: 'STATE_NEW',
      type: req.type ?? '',
      owner: builderKey,
      metadata: req.metadata ?? '',
      createdAt: now,
      updatedAt: now,
    };
    this.transactions.push(tx);
    return tx;
  }

  private run(tx: RelayerTransaction, send: () => Promise<{ hash: string; mined: Promise<{ status?: number }> }>): void {
    const go = () =>
      void send()
        .then(async (sent) => {
          this.set(tx, 'STATE_EXECUTED', sent.hash);
          const r = await sent.mined;
          this.set(tx, r.status === 1 ? 'STATE_MINED' : 'STATE_FAILED', sent.hash);
        })
        .catch((err: Error) => {
          this.log(`sandbox relayer: ${tx.transactionID} failed: ${err.message}`);
          this.set(tx, 'STATE_FAILED', tx.transactionHash);
        });
    if (this.held) this.waiting.push(go);
    else go();
  }

  private set(tx: RelayerTransaction, state: RelayerState, hash: string): void {
    tx.state = state;
    tx.transactionHash = hash;
    tx.updatedAt = new Date().toISOString();
  }
}
