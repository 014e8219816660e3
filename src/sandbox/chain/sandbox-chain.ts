/**
 * The sandbox's local chain: a node, the contracts, the markets' conditions, and the glue that keeps the
 * chain and the fake CLOB in agreement — matches settle on chain, resolutions are reported on chain, new
 * wallets' starting money is minted there, the CLOB reads allowances from the chain (refreshed by
 * /balance-allowance/update, as the real one caches them) and books redemptions it sees on chain.
 */
import { Contract, providers, utils } from 'ethers';
import { CTF_ABI, type ChainContracts, ERC20_ABI, NEG_RISK_ADAPTER_ABI } from '../../polymarket/contracts.ts';
import type { Exchange } from '../exchange/exchange.ts';
import type { ExchangeEvent, LedgerFill } from '../exchange/types.ts';
import type { Scenario } from '../scenario.ts';
import { type LocalChain, type LocalChainOptions, startLocalChain } from './anvil.ts';
import { iface } from './artifacts.ts';
import { deployContracts, prepareMarket, reportPayouts } from './deploy.ts';
import { OperatorSender } from './operator.ts';
import { ChainSettler } from './settler.ts';
import { createHash } from 'node:crypto';
import type { SandboxRelayer } from '../relayer/relayer.ts';

export interface ChainRedeem {
  redeemer: string;
  conditionId: string;
  payoutMicros: number;
  txHash: string;
  tsMs: number;
}

interface Allowances {
  collateral: Map<string, bigint>;
  operators: Map<string, boolean>;
}

const hex32 = (label: string) => '0x' + createHash('sha256').update(label).digest('hex');

export class SandboxChain {
  readonly redeems: ChainRedeem[] = [];
  /** `${wallet}:${conditionId}` of positions redeemed on chain (the Data API stops listing them). */
  readonly redeemed = new Set<string>();
  private readonly markets = new Map<string, { questionId: string; negRisk: boolean }>();
  private readonly allowances = new Map<string, Allowances>();
  /** The relayer emulation on this chain, when it runs as a chain id the relayer client accepts. */
  relayer?: SandboxRelayer;
  private settler?: ChainSettler;
  private exchange?: () => Exchange;
  private watchTimer?: NodeJS.Timeout;
  private lastBlock = 0;
  private reading?: Promise<void>;
  private stopped = false;

  private constructor(
    readonly node: LocalChain,
    readonly provider: providers.JsonRpcProvider,
    readonly op: OperatorSender,
    readonly contracts: ChainContracts,
    private readonly log: (msg: string) => void,
  ) {}

  static async start(options: LocalChainOptions & { log?: (msg: string) => void } = {}): Promise<SandboxChain> {
    const node = await startLocalChain(options);
    try {
      const provider = new providers.StaticJsonRpcProvider(node.rpcUrl, node.chainId);
      provider.pollingInterval = Math.max(50, Math.floor(node.blockTimeMs / 4));
      const op = new OperatorSender(provider, node.chainId, Math.max(25, Math.floor(node.blockTimeMs / 4)));
      await op.init();
      const contracts = await deployContracts(op);
      return new SandboxChain(node, provider, op, contracts, options.log ?? (() => {}));
    } catch (err) {
      await node.stop();
      throw err;
    }
  }

  get info() {
    return {
      rpcUrl: this.node.rpcUrl,
      wsUrl: this.node.wsUrl,
      chainId: this.node.chainId,
      contracts: this.contracts,
      operator: this.op.address,
    };
  }

  get stats() {
    return { settledFills: this.settler?.settled ?? 0, failedFills: this.settler?.failed ?? 0, redeems: this.redeems.length };
  }

  /**
   * Prepares every scenario market's condition on chain and rewrites the scenario's ids to the chain's
   * (condition id from oracle + question, token ids = CTF position ids). Markets with fixed ids (a replayed
   * tape's real markets) stay off chain.
   */
  async prepareScenario(scenario: Scenario): Promise<void> {
    for (const spec of scenario.markets) {
      if (spec.conditionId || spec.tokenIds) continue;
      const questionId = hex32(`question:${scenario.seed}:${spec.slug}`);
      const m = await prepareMarket(this.op, this.contracts, questionId, spec.negRisk);
      spec.conditionId = m.conditionId;
      spec.tokenIds = m.tokenIds;
      this.markets.set(m.conditionId.toLowerCase(), { questionId, negRisk: spec.negRisk });
    }
  }

  isOnChain(conditionId: string): boolean {
    return this.markets.has(conditionId.toLowerCase());
  }

  /** Routes the exchange's events: fills wait for their settlement; resolutions are reported on chain. */
  attach(exchange: () => Exchange, publish: (e: ExchangeEvent) => void): (e: ExchangeEvent) => void {
    this.exchange = exchange;
    this.settler = new ChainSettler(
      this.op,
      this.contracts,
      exchange,
      (cid) => this.isOnChain(cid),
      (fill: LedgerFill) => publish({ type: 'fill', fill }),
      this.log,
    );
    this.watch();
    return (e) => {
      if (e.type === 'fill' && this.settler!.take(e.fill)) return;
      if (e.type === 'market-status' && e.market.status === 'resolved' && e.market.payoutMicros)
        this.resolve(e.market.conditionId, e.market.payoutMicros);
      publish(e);
    };
  }

  private resolve(conditionId: string, payoutMicros: [number, number]): void {
    const m = this.markets.get(conditionId.toLowerCase());
    if (!m) return;
    const payouts: [number, number] = payoutMicros[0] === payoutMicros[1] ? [1, 1] : payoutMicros[0] > 0 ? [1, 0] : [0, 1];
    void reportPayouts(this.op, this.contracts, m.questionId, m.negRisk, payouts)
      .then((s) => s.mined)
      .then((r) => r.status !== 1 && this.log(`sandbox chain: resolving ${conditionId} reverted`))
      .catch((err: Error) => this.log(`sandbox chain: could not resolve ${conditionId}: ${err.message}`));
  }

  /** Mints collateral on chain to mirror money the CLOB credits (starting balances). */
  credit(address: string, micros: number): void {
    if (micros <= 0) return;
    void this.op
      .send(this.contracts.collateral, iface('Collateral').encodeFunctionData('mint', [utils.getAddress(address), micros]), 100_000)
      .catch((err: Error) => this.log(`sandbox chain: could not mint for ${address}: ${err.message}`));
  }

  /** What the CLOB believes the wallet allowed (cached; refresh() reads the chain). */
  allowancesOf(holder: string): Allowances {
    return this.allowances.get(holder.toLowerCase()) ?? { collateral: new Map(), operators: new Map() };
  }

  async refresh(holder: string): Promise<void> {
    const col = new Contract(this.contracts.collateral, ERC20_ABI, this.provider);
    const ctf = new Contract(this.contracts.ctf, CTF_ABI, this.provider);
    const spenders = [this.contracts.exchange, this.contracts.negRiskExchange, this.contracts.negRiskAdapter];
    const a: Allowances = { collateral: new Map(), operators: new Map() };
    await Promise.all(
      spenders.map(async (s) => {
        a.collateral.set(s, BigInt(((await col.allowance(holder, s)) as { toString(): string }).toString()));
        a.operators.set(s, (await ctf.isApprovedForAll(holder, s)) as boolean);
      }),
    );
    this.allowances.set(holder.toLowerCase(), a);
  }

  /** The CLOB's allowance rule: a BUY needs collateral allowance for the amount, a SELL the CTF operator approval. */
  mayTrade(maker: string, side: 'BUY' | 'SELL', negRisk: boolean, makerAmountMicros: number): boolean {
    const spender = negRisk ? this.contracts.negRiskExchange : this.contracts.exchange;
    const a = this.allowances.get(maker.toLowerCase());
    const ok = side === 'BUY' ? (a?.collateral.get(spender) ?? 0n) >= BigInt(makerAmountMicros) : (a?.operators.get(spender) ?? false);
    if (!ok) void this.refresh(maker).catch(() => {});
    return ok;
  }

  /** Follows redemptions on chain and books them in the CLOB's balances (payout in, positions out). */
  private watch(): void {
    const tick = async () => {
      if (this.stopped) return;
      await this.catchUp().catch((err: Error) => this.log(`sandbox chain: redemption watch failed: ${err.message}`));
      if (!this.stopped) this.watchTimer = setTimeout(() => void tick(), this.node.blockTimeMs);
    };
    void tick();
  }

  /**
   * Books every redemption mined up to the current head. The Data API calls it before answering, so a
   * position redeemed in a block the timed watch has not read yet is never listed as still redeemable
   * (the watch alone lags the chain by up to a block time plus a read, more on a loaded machine).
   * One read at a time: a caller that arrives while one runs waits for it, then reads what it missed.
   */
  catchUp(): Promise<void> {
    const run = (this.reading ?? Promise.resolve()).catch(() => undefined).then(() => this.readRedemptions());
    const mine = run.finally(() => {
      if (this.reading === mine) this.reading = undefined;
    });
    this.reading = mine;
    return mine;
  }

  private async readRedemptions(): Promise<void> {
    if (this.stopped) return;
    const ctf = new utils.Interface(CTF_ABI);
    const adapter = new utils.Interface(NEG_RISK_ADAPTER_ABI);
    const head = await this.provider.getBlockNumber();
    if (head <= this.lastBlock) return;
    const logs = await this.provider.getLogs({
      fromBlock: this.lastBlock + 1,
      toBlock: head,
      address: undefined,
      topics: [[ctf.getEventTopic('PayoutRedemption'), adapter.getEventTopic('PayoutRedemption')]],
    });
    this.lastBlock = head;
    for (const l of logs) this.book(l, ctf, adapter);
  }

  private book(l: providers.Log, ctf: utils.Interface, adapter: utils.Interface): void {
    const ex = this.exchange?.();
    if (!ex) return;
    const fromAdapter = l.address.toLowerCase() === this.contracts.negRiskAdapter.toLowerCase();
    if (!fromAdapter && l.address.toLowerCase() !== this.contracts.ctf.toLowerCase()) return;
    const ev = fromAdapter ? adapter.parseLog(l) : ctf.parseLog(l);
    const redeemer = (ev.args.redeemer as string).toLowerCase();
    // The adapter redeems on the CTF as itself; its own event names the wallet.
    if (!fromAdapter && redeemer === this.contracts.negRiskAdapter.toLowerCase()) return;
    const conditionId = (ev.args.conditionId as string).toLowerCase();
    const market = [...ex.markets.values()].find((m) => m.conditionId.toLowerCase() === conditionId);
    if (!market) return;
    const payout = Number((ev.args.payout as { toString(): string }).toString());
    const acct = ex.accounts.get(redeemer);
    acct.usdcMicros += payout;
    if (fromAdapter) {
      const amounts = (ev.args.amounts as { toString(): string }[]).map((a) => Number(a.toString()));
      market.tokenIds.forEach((t, i) => ex.accounts.addTokens(redeemer, t, -(amounts[i] ?? 0)));
    } else {
      for (const t of market.tokenIds) acct.tokens.set(t, 0);
    }
    this.redeemed.add(`${redeemer}:${conditionId}`);
    this.redeems.push({ redeemer, conditionId, payoutMicros: payout, txHash: l.transactionHash, tsMs: ex.now() });
  }

  /** Reorganises the last `depth` blocks; with `keepTxs` the same transactions are mined again in new blocks. */
  async reorg(depth: number, keepTxs = true): Promise<{ dropped: string[] }> {
    const head = await this.provider.getBlockNumber();
    const hashes: string[] = [];
    const pairs: [string, number][] = [];
    for (let i = 0; i < depth; i++) {
      const b = await this.provider.getBlock(head - depth + 1 + i);
      for (const h of b.transactions) {
        hashes.push(h);
        const raw = this.op.raw.get(h) ?? ((await this.provider.send('eth_getRawTransactionByHash', [h])) as string | null);
        if (raw && keepTxs) pairs.push([raw, i]);
      }
    }
    await this.provider.send('anvil_reorg', [depth, pairs]);
    // Dropped operator transactions free their nonces: count again from the chain.
    if (!keepTxs) await this.op.init();
    else {
      // anvil does not always mine every transaction handed back: one left out would leave a nonce gap that
      // stalls every later settlement, so send the missing ones again (same hashes).
      for (const [raw] of pairs) {
        const h = utils.keccak256(raw);
        if (!(await this.provider.getTransactionReceipt(h)))
          await this.provider.send('eth_sendRawTransaction', [raw]).catch(() => undefined);
      }
    }
    return { dropped: keepTxs ? [] : hashes };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.watchTimer) clearTimeout(this.watchTimer);
    this.op.stop();
    await this.node.stop();
  }
}
