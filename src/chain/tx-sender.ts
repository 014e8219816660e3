/**
 * Sends the wallet's own transactions (approvals, redeems from an EOA) carefully: one nonce at a time,
 * counted locally from the node's pending count; a fee cap it never exceeds; a transaction that is not
 * mined in time is replaced at the same nonce with a higher fee (never a second nonce for the same
 * intent); and every signed transaction is handed to `onSigned` before it is broadcast, so a journal can
 * rebroadcast the very same transaction after a crash instead of sending a new one.
 */
import { type BigNumber, type Wallet, type providers, utils } from 'ethers';

export interface TxSenderOptions {
  /** Highest maxFeePerGas it will sign, in gwei (default 500: Polygon's base fee is usually far below). */
  maxFeeGwei?: number;
  /** Priority fee in gwei (default 30, Polygon's usual minimum tip). */
  priorityFeeGwei?: number;
  /** Replace a transaction not mined after this long (default 60 s). */
  replaceAfterMs?: number;
  /** Poll for receipts this often (default 1 s). */
  pollMs?: number;
  /** Give up waiting after this long (default 10 min); the journal still knows the hashes. */
  timeoutMs?: number;
}

export interface SignedTx {
  hash: string;
  raw: string;
  nonce: number;
}

export class FeeCapError extends Error {}

/** Receipt looks after the nonce shows as used before concluding another transaction took it. */
const RECEIPT_GRACE_POLLS = 10;

export class TxSender {
  private queue: Promise<unknown> = Promise.resolve();
  private nextNonce?: number;
  private readonly o: Required<TxSenderOptions>;

  constructor(
    private readonly wallet: Wallet,
    private readonly provider: providers.JsonRpcProvider,
    options: TxSenderOptions = {},
  ) {
    this.o = { maxFeeGwei: 500, priorityFeeGwei: 30, replaceAfterMs: 60_000, pollMs: 1_000, timeoutMs: 600_000, ...options };
  }

  get address(): string {
    return this.wallet.address;
  }

  /** Sends one transaction (serialised with the others) and resolves with its receipt. */
  send(
    req: { to: string; data: string; gasLimit?: number },
    onSigned: (tx: SignedTx) => void | Promise<void> = () => {},
  ): Promise<providers.TransactionReceipt> {
    const run = this.queue.then(() => this.sendNow(req, onSigned));
    this.queue = run.catch(() => {});
    return run;
  }

  /** Rebroadcasts a journalled transaction and waits for it (or for its nonce to be used by another). */
  async resume(tx: SignedTx): Promise<providers.TransactionReceipt | undefined> {
    const known = await this.provider.getTransactionReceipt(tx.hash);
    if (known) return known;
    const used = await this.provider.getTransactionCount(this.wallet.address, 'latest');
    if (used > tx.nonce) return undefined; // that nonce went to another transaction: this one can never be mined
    await this.provider.send('eth_sendRawTransaction', [tx.raw]).catch(() => {});
    return this.wait([tx.hash], tx.nonce);
  }

  private async fees(bump: number): Promise<{ maxFeePerGas: BigNumber; maxPriorityFeePerGas: BigNumber }> {
    const block = await this.provider.getBlock('latest');
    const base = block.baseFeePerGas ?? utils.parseUnits('1', 'gwei');
    const tip = utils.parseUnits(String(this.o.priorityFeeGwei), 'gwei').mul(bump).div(100);
    const cap = utils.parseUnits(String(this.o.maxFeeGwei), 'gwei');
    let maxFee = base.mul(2).add(tip).mul(bump).div(100);
    if (base.gt(cap)) {
      throw new FeeCapError(
        `gas base fee ${utils.formatUnits(base, 'gwei')} gwei is above the cap of ${this.o.maxFeeGwei} gwei: nothing was sent (raise chain.maxFeeGwei or wait)`,
      );
    }
    if (maxFee.gt(cap)) maxFee = cap;
    return { maxFeePerGas: maxFee, maxPriorityFeePerGas: tip.gt(maxFee) ? maxFee : tip };
  }

  private async sendNow(req: { to: string; data: string; gasLimit?: number }, onSigned: (tx: SignedTx) => void | Promise<void>) {
    const pending = await this.provider.getTransactionCount(this.wallet.address, 'pending');
    const nonce = Math.max(pending, this.nextNonce ?? 0);
    const chainId = (await this.provider.getNetwork()).chainId;
    const gasLimit =
      req.gasLimit ?? (await this.provider.estimateGas({ from: this.wallet.address, to: req.to, data: req.data })).mul(12).div(10);
    const hashes: string[] = [];
    const broadcast = async (bump: number) => {
      const fees = await this.fees(bump);
      const raw = await this.wallet.signTransaction({ to: req.to, data: req.data, nonce, gasLimit, chainId, type: 2, ...fees });
      const hash = utils.keccak256(raw);
      await onSigned({ hash, raw, nonce });
      hashes.push(hash);
      await this.provider.send('eth_sendRawTransaction', [raw]);
    };
    await broadcast(100);
    this.nextNonce = nonce + 1;
    let bump = 100;
    for (;;) {
      const receipt = await this.wait(hashes, nonce, this.o.replaceAfterMs);
      if (receipt) return receipt;
      if ((await this.provider.getTransactionCount(this.wallet.address, 'latest')) > nonce) {
        // Mined between the last look and now, perhaps ours: `wait` looks for the receipts a while first.
        const late = await this.wait(hashes, nonce, 0);
        if (late) return late;
        throw new Error(`nonce ${nonce} of ${this.wallet.address} was used by another transaction (sent elsewhere with this key?)`);
      }
      // Not mined in time: same nonce, fee +25 % (nodes want at least +10 % to accept a replacement).
      bump = Math.floor((bump * 125) / 100);
      await broadcast(bump).catch((err: Error) => {
        if (err instanceof FeeCapError) throw err;
      });
    }
  }

  /** Waits for any of the hashes to be mined; undefined when `ms` passes or another tx took the nonce. */
  private async wait(hashes: string[], nonce: number, ms = this.o.timeoutMs): Promise<providers.TransactionReceipt | undefined> {
    const deadline = Date.now() + ms;
    for (;;) {
      for (const h of hashes) {
        const r = await this.provider.getTransactionReceipt(h);
        if (r && r.blockNumber !== null && r.blockNumber !== undefined) return r;
      }
      if ((await this.provider.getTransactionCount(this.wallet.address, 'latest')) > nonce) {
        // The nonce is used. A node under load can count the nonce before it serves the receipt: look a
        // while longer before deciding another transaction took it.
        for (let i = 0; i < RECEIPT_GRACE_POLLS; i++) {
          for (const h of hashes) {
            const r = await this.provider.getTransactionReceipt(h);
            if (r) return r;
          }
          await new Promise((r) => setTimeout(r, Math.max(50, this.o.pollMs)));
        }
        return undefined;
      }
      if (Date.now() >= deadline) return undefined;
      await new Promise((r) => setTimeout(r, this.o.pollMs));
    }
  }
}
