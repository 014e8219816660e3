/**
 * The sandbox operator's transaction sender: one key, nonces counted locally so many settlement
 * transactions can be in flight at once, raw signed transactions kept by hash (a reorg can put them back
 * with the same hashes) and by nonce, and receipts watched block by block. A transaction whose receipt was
 * seen can still be dropped by a later reorg that anvil does not mine again: every later nonce then waits
 * on it, so a stall also sends again the transactions at the account's next nonces (same hashes).
 */
import { Wallet, type providers, utils } from 'ethers';

/** Dev account 9 of the well-known test mnemonic: a public throwaway key that only means something locally. */
export const OPERATOR_PRIVATE_KEY = '0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6';

const REBROADCAST_AFTER_MS = 5_000;
/** How many transactions from the account's next nonce on are sent again when the queue stalls. */
const GAP_RESEND = 16;
/** Raw transactions kept by nonce (a reorg reaches back a few blocks, never this far). */
const KEEP_BY_NONCE = 4_096;

export interface SentTx {
  hash: string;
  raw: string;
  mined: Promise<providers.TransactionReceipt>;
}

export class OperatorSender {
  readonly wallet: Wallet;
  private nonce = -1;
  private readonly waiting = new Map<string, { resolve: (r: providers.TransactionReceipt) => void; sentAt: number }>();
  readonly raw = new Map<string, string>();
  private readonly rawByNonce = new Map<number, string>();
  private timer?: NodeJS.Timeout;
  private polling = false;
  private stopped = false;

  constructor(
    readonly provider: providers.JsonRpcProvider,
    private readonly chainId: number,
    private readonly pollMs: number,
  ) {
    this.wallet = new Wallet(OPERATOR_PRIVATE_KEY, provider);
  }

  get address(): string {
    return this.wallet.address;
  }

  async init(): Promise<void> {
    this.nonce = await this.provider.getTransactionCount(this.wallet.address, 'pending');
  }

  /** Signs and sends at once (the nonce is taken synchronously, so call order = nonce order). */
  async send(to: string | undefined, data: string, gasLimit: number): Promise<SentTx> {
    const nonce = this.nonce++;
    const tx: providers.TransactionRequest = {
      to,
      data,
      nonce,
      gasLimit,
      chainId: this.chainId,
      type: 2,
      maxFeePerGas: utils.parseUnits('100', 'gwei'),
      maxPriorityFeePerGas: utils.parseUnits('1', 'gwei'),
    };
    const raw = await this.wallet.signTransaction(tx);
    const hash = utils.keccak256(raw);
    this.raw.set(hash, raw);
    this.rawByNonce.set(nonce, raw);
    if (this.rawByNonce.size > KEEP_BY_NONCE) this.rawByNonce.delete(this.rawByNonce.keys().next().value!);
    const mined = new Promise<providers.TransactionReceipt>((resolve) => this.waiting.set(hash, { resolve, sentAt: Date.now() }));
    await this.provider.send('eth_sendRawTransaction', [raw]);
    this.arm();
    return { hash, raw, mined };
  }

  async deploy(bytecode: string, gasLimit = 6_000_000): Promise<string> {
    const sent = await this.send(undefined, bytecode, gasLimit);
    const r = await sent.mined;
    if (r.status !== 1 || !r.contractAddress) throw new Error(`sandbox chain: deployment ${sent.hash} failed`);
    return r.contractAddress;
  }

  get pending(): number {
    return this.waiting.size;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private arm(): void {
    if (this.timer || this.stopped) return;
    this.timer = setTimeout(() => void this.poll(), this.pollMs);
  }

  private async poll(): Promise<void> {
    this.timer = undefined;
    if (this.polling || this.stopped) return;
    this.polling = true;
    try {
      const hashes = [...this.waiting.keys()];
      const receipts = await Promise.all(hashes.map((h) => this.provider.getTransactionReceipt(h).catch(() => null)));
      const now = Date.now();
      const resend: string[] = [];
      receipts.forEach((r, i) => {
        const w = this.waiting.get(hashes[i]!);
        if (!r || r.blockNumber === null || r.blockNumber === undefined) {
          // Long unmined: a reorg may have dropped it from the node's pool, and every later nonce waits on it.
          if (w && now - w.sentAt > REBROADCAST_AFTER_MS) (resend.push(hashes[i]!), (w.sentAt = now));
          return;
        }
        this.waiting.delete(hashes[i]!);
        w?.resolve(r);
      });
      for (const h of resend) await this.provider.send('eth_sendRawTransaction', [this.raw.get(h)]).catch(() => undefined);
      if (resend.length > 0) {
        // Stalled: the gap may be a transaction no longer waited for (mined, then dropped by a reorg).
        const next = await this.provider.getTransactionCount(this.wallet.address, 'latest').catch(() => undefined);
        for (let n = next ?? this.nonce; n < Math.min(this.nonce, (next ?? this.nonce) + GAP_RESEND); n++) {
          const raw = this.rawByNonce.get(n);
          if (raw) await this.provider.send('eth_sendRawTransaction', [raw]).catch(() => undefined);
        }
      }
    } finally {
      this.polling = false;
      if (this.waiting.size > 0) this.arm();
    }
  }
}
