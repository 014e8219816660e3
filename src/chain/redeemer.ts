/**
 * Redeems resolved positions: binary markets through the CTF (`redeemPositions(collateral, 0, condition,
 * [1,2])`), neg-risk markets through the adapter (`redeemPositions(condition, [yes, no])`). An EOA sends
 * its own transaction (TxSender: nonce, fee cap, replacement, RPC backoff); a proxy or Safe wallet's
 * redeem goes through Polymarket's relayer (RelaySender), the call made from the wallet that holds them.
 * Every redeem is journalled first (RedeemJournal), so a crash between send and
 * receipt neither sends it again nor books its payout twice.
 */
import { Contract, type providers, utils } from 'ethers';
import { CTF_ABI, type ChainContracts, NEG_RISK_ADAPTER_ABI } from '../polymarket/contracts.ts';
import type { RedeemEntry, RedeemJournal } from './redeem-journal.ts';
import { RELAYER_DONE, type RelaySender } from './relay-sender.ts';
import type { TxSender } from './tx-sender.ts';

export interface RedeemMarket {
  conditionId: string;
  negRisk: boolean;
  /** [outcome 0 (YES / index set 1), outcome 1 (NO / index set 2)]. */
  tokenIds: [string, string];
  title?: string;
}

export interface RedeemPlan extends RedeemMarket {
  holder: string;
  amounts: [bigint, bigint];
  expectedMicros: number;
  to: string;
  data: string;
}

export interface RedeemResult {
  id: string;
  conditionId: string;
  negRisk: boolean;
  holder: string;
  txHash: string;
  ok: boolean;
  payoutMicros: number;
  via: 'eoa' | 'relayer';
  tsMs: number;
}

export interface RedeemerOptions {
  provider: providers.Provider;
  contracts: ChainContracts;
  /** The wallet holding the positions: the EOA, or the proxy/Safe wallet the relayer acts for. */
  holder: string;
  journal: RedeemJournal;
  /** Exactly one: the EOA's own sender, or the relayer (proxy and Safe wallets). */
  sender?: TxSender;
  relay?: RelaySender;
  /** Called once per redeem whose outcome is known (records it in DuckDB, logs it). */
  book: (r: RedeemResult) => Promise<void> | void;
  now?: () => number;
  newId?: () => string;
  /** Blocks the resolution must be deep before redeeming (default 1: the block that reported it). */
  confirmations?: number;
}

export class Redeemer {
  private readonly ctf: Contract;
  private readonly now: () => number;
  private counter = 0;
  private busy = new Set<string>();

  constructor(private readonly o: RedeemerOptions) {
    this.ctf = new Contract(o.contracts.ctf, CTF_ABI, o.provider);
    this.now = o.now ?? Date.now;
  }

  get holder(): string {
    return this.o.holder.toLowerCase();
  }

  /** What redeeming this market would do now; undefined when unresolved on chain or nothing is held. */
  async plan(m: RedeemMarket): Promise<RedeemPlan | undefined> {
    // A resolution reported in a block a reorg could still drop is not redeemed yet.
    const depth = (this.o.confirmations ?? 1) - 1;
    const blockTag = depth > 0 ? Math.max(0, (await this.o.provider.getBlockNumber()) - depth) : 'latest';
    const den = BigInt(((await this.ctf.payoutDenominator(m.conditionId, { blockTag })) as { toString(): string }).toString());
    if (den === 0n) return undefined;
    const [b0, b1] = ((await this.ctf.balanceOfBatch([this.o.holder, this.o.holder], m.tokenIds)) as { toString(): string }[]).map((b) =>
      BigInt(b.toString()),
    );
    if (b0 === 0n && b1 === 0n) return undefined;
    const nums = await Promise.all(
      [0, 1].map(async (i) => BigInt(((await this.ctf.payoutNumerators(m.conditionId, i)) as { toString(): string }).toString())),
    );
    const expected = Number((b0! * nums[0]! + b1! * nums[1]!) / den);
    const data = m.negRisk
      ? new utils.Interface(NEG_RISK_ADAPTER_ABI).encodeFunctionData('redeemPositions', [m.conditionId, [b0, b1]])
      : new utils.Interface(CTF_ABI).encodeFunctionData('redeemPositions', [
          this.o.contracts.collateral,
          utils.hexZeroPad('0x', 32),
          m.conditionId,
          [1, 2],
        ]);
    return {
      ...m,
      holder: this.holder,
      amounts: [b0!, b1!],
      expectedMicros: expected,
      to: m.negRisk ? this.o.contracts.negRiskAdapter : this.o.contracts.ctf,
      data,
    };
  }

  /**
   * Redeems one market once. A redeem of this market already journalled and not finished is resumed,
   * never sent again; one finished is not repeated unless the chain shows a balance again.
   */
  async redeem(m: RedeemMarket): Promise<RedeemResult | undefined> {
    const key = m.conditionId.toLowerCase();
    if (this.busy.has(key)) return undefined;
    this.busy.add(key);
    try {
      const prior = this.o.journal.latest(m.conditionId, this.holder);
      if (prior && !prior.done) return await this.finish(prior);
      if (prior?.done && !prior.booked) return await this.finish(prior);
      const plan = await this.plan(m);
      if (!plan) return undefined;
      const id = this.o.newId?.() ?? `redeem-${this.now()}-${++this.counter}`;
      const via = this.o.relay ? ('relayer' as const) : ('eoa' as const);
      this.o.journal.write({
        t: 'intent',
        id,
        conditionId: m.conditionId,
        negRisk: m.negRisk,
        holder: this.holder,
        amounts: [plan.amounts[0].toString(), plan.amounts[1].toString()],
        expectedMicros: plan.expectedMicros,
        via,
        tsMs: this.now(),
      });
      if (this.o.relay) {
        // Journalled before the submit (nonce, signature), then the relayer's id: a restart never submits twice.
        const sub = await this.o.relay.submit([{ to: plan.to, data: plan.data }], (req) =>
          this.o.journal.write({ t: 'relay', id, wallet: req.proxyWallet, nonce: String(req.nonce ?? ''), signature: req.signature }),
        );
        this.o.journal.write({ t: 'relayed', id, transactionID: sub.transactionID });
        return await this.settleRelayed(this.o.journal.latest(m.conditionId, this.holder)!, sub.transactionID);
      }
      if (!this.o.sender) throw new Error('Redeemer needs a sender or a relay');
      const receipt = await this.o.sender.send({ to: plan.to, data: plan.data, gasLimit: 500_000 }, (tx) =>
        this.o.journal.write({ t: 'signed', id, hash: tx.hash, raw: tx.raw, nonce: tx.nonce }),
      );
      return await this.settle(this.o.journal.latest(m.conditionId, this.holder)!, receipt.transactionHash);
    } finally {
      this.busy.delete(key);
    }
  }

  /** After a restart: finishes every journalled redeem whose receipt or booking a crash cut off. */
  async resume(): Promise<RedeemResult[]> {
    const out: RedeemResult[] = [];
    for (const e of this.o.journal.all()) {
      if (e.intent.holder !== this.holder || e.booked) continue;
      const r = await this.finish(e);
      if (r) out.push(r);
    }
    return out;
  }

  private async finish(e: RedeemEntry): Promise<RedeemResult | undefined> {
    if (e.done) return this.bookOnce(e);
    if (e.intent.via === 'relayer') return this.finishRelayed(e);
    if (e.signed.length > 0 && this.o.sender) {
      // Any of the signed versions (replacements share a nonce) may be the one that was mined.
      for (const s of e.signed) {
        const r = await this.o.provider.getTransactionReceipt(s.hash);
        if (r) return this.settle(e, s.hash);
      }
      const last = e.signed[e.signed.length - 1]!;
      const r = await this.o.sender.resume(last);
      if (r) return this.settle(e, r.transactionHash);
      // Its nonce went elsewhere: nothing of ours was mined; the intent is void.
      this.o.journal.write({ t: 'done', id: e.intent.id, hash: '', ok: false, payoutMicros: 0, tsMs: this.now() });
      this.o.journal.write({ t: 'booked', id: e.intent.id });
      return undefined;
    }
    // Crashed before anything left the process: nothing was sent, so the intent is void (a new redeem may follow).
    this.o.journal.write({ t: 'done', id: e.intent.id, hash: '', ok: false, payoutMicros: 0, tsMs: this.now() });
    this.o.journal.write({ t: 'booked', id: e.intent.id });
    return undefined;
  }

  /** A relayer redeem a crash cut off: looked up by its id (or, if the submit's answer was lost, by nonce and signature). */
  private async finishRelayed(e: RedeemEntry): Promise<RedeemResult | undefined> {
    if (!this.o.relay) return undefined; // journalled by a relayer wallet, read by a process without one: left as is
    if (e.relayed) return this.settleRelayed(e, e.relayed.transactionID);
    const sig = e.relay?.signature.toLowerCase();
    const found = sig ? (await this.o.relay.list()).find((t) => t.signature?.toLowerCase() === sig) : undefined;
    if (found) {
      this.o.journal.write({ t: 'relayed', id: e.intent.id, transactionID: found.transactionID });
      return this.settleRelayed(e, found.transactionID);
    }
    // The relayer never took it (or nothing was signed): void; the signed request's nonce is simply reused.
    this.o.journal.write({ t: 'done', id: e.intent.id, hash: '', ok: false, payoutMicros: 0, tsMs: this.now() });
    this.o.journal.write({ t: 'booked', id: e.intent.id });
    return undefined;
  }

  private async settleRelayed(e: RedeemEntry, transactionID: string): Promise<RedeemResult | undefined> {
    const t = await this.o.relay!.wait(transactionID);
    if (RELAYER_DONE.includes(t.state) || t.transactionHash) return this.settle(e, t.transactionHash);
    // Refused before it reached the chain: nothing was redeemed; a later round may try again.
    this.o.journal.write({ t: 'done', id: e.intent.id, hash: '', ok: false, payoutMicros: 0, tsMs: this.now() });
    this.o.journal.write({ t: 'booked', id: e.intent.id });
    return undefined;
  }

  /** Reads the payout from the receipt's PayoutRedemption and journals it. */
  private async settle(e: RedeemEntry, hash: string): Promise<RedeemResult | undefined> {
    const receipt = await this.waitReceipt(hash);
    const payout = receipt.status === 1 ? this.payoutOf(receipt, e.intent.negRisk) : 0;
    this.o.journal.write({ t: 'done', id: e.intent.id, hash, ok: receipt.status === 1, payoutMicros: payout, tsMs: this.now() });
    return this.bookOnce(this.o.journal.all().find((x) => x.intent.id === e.intent.id)!);
  }

  private async bookOnce(e: RedeemEntry): Promise<RedeemResult | undefined> {
    if (e.booked || !e.done) return undefined;
    const result: RedeemResult = {
      id: e.intent.id,
      conditionId: e.intent.conditionId,
      negRisk: e.intent.negRisk,
      holder: e.intent.holder,
      txHash: e.done.hash,
      ok: e.done.ok,
      payoutMicros: e.done.payoutMicros,
      via: e.intent.via,
      tsMs: e.done.tsMs,
    };
    await this.o.book(result);
    this.o.journal.write({ t: 'booked', id: e.intent.id });
    return result;
  }

  private async waitReceipt(hash: string): Promise<providers.TransactionReceipt> {
    for (let i = 0; ; i++) {
      const r = await this.o.provider.getTransactionReceipt(hash);
      if (r) return r;
      await new Promise((res) => setTimeout(res, Math.min(2000, 100 * 2 ** i)));
    }
  }

  private payoutOf(r: providers.TransactionReceipt, negRisk: boolean): number {
    const ctf = new utils.Interface(CTF_ABI);
    const adapter = new utils.Interface(NEG_RISK_ADAPTER_ABI);
    const want = negRisk ? this.o.contracts.negRiskAdapter.toLowerCase() : this.o.contracts.ctf.toLowerCase();
    for (const l of r.logs) {
      if (l.address.toLowerCase() !== want) continue;
      try {
        const ev = (negRisk ? adapter : ctf).parseLog(l);
        if (ev.name === 'PayoutRedemption' && (ev.args.redeemer as string).toLowerCase() === this.holder) {
          return Number((ev.args.payout as { toString(): string }).toString());
        }
      } catch {
        // another event of the same contract
      }
    }
    return 0;
  }
}
