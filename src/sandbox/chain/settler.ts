/**
 * Settles the sandbox's matches on the local chain: every match (one taker order against one or more
 * makers) becomes one `settle` transaction on the regular or neg-risk exchange. Until it is mined the
 * trade is MATCHED with no hash; once mined the ledger fill takes the transaction's hash and is published
 * to RTDS and the Data API, so every source reports the same hash. A reverted settlement marks the trade
 * FAILED, as the real CLOB does.
 */
import { utils } from 'ethers';
import { mulDiv } from '../../core/money.ts';
import type { ChainContracts } from '../../polymarket/contracts.ts';
import type { Exchange } from '../exchange/exchange.ts';
import type { LedgerFill } from '../exchange/types.ts';
import { iface } from './artifacts.ts';
import type { OperatorSender } from './operator.ts';

const HASH32 = /^0x[0-9a-fA-F]{64}$/;
const orderHash = (id: string) => (HASH32.test(id) ? id : utils.id(id));

export class ChainSettler {
  private readonly groups = new Map<string, LedgerFill[]>();
  private scheduled = false;
  settled = 0;
  failed = 0;
  inFlight = 0;

  constructor(
    private readonly op: OperatorSender,
    private readonly contracts: ChainContracts,
    private readonly exchange: () => Exchange,
    private readonly onChain: (conditionId: string) => boolean,
    private readonly publish: (fill: LedgerFill) => void,
    private readonly log: (msg: string) => void,
  ) {}

  /** Takes a fill to settle on chain; false when its market is not on the chain (replayed tape). */
  take(fill: LedgerFill): boolean {
    if (!this.onChain(fill.conditionId)) return false;
    fill.settledAtMs = Number.MAX_SAFE_INTEGER;
    const list = this.groups.get(fill.tradeId) ?? [];
    list.push(fill);
    this.groups.set(fill.tradeId, list);
    if (!this.scheduled) {
      this.scheduled = true;
      queueMicrotask(() => this.flush());
    }
    return true;
  }

  private flush(): void {
    this.scheduled = false;
    const groups = [...this.groups.values()];
    this.groups.clear();
    for (const fills of groups) void this.settle(fills);
  }

  private async settle(fills: LedgerFill[]): Promise<void> {
    const market = this.exchange().markets.get(fills[0]!.conditionId);
    const negRisk = market?.negRisk ?? false;
    const args = fills.map((f) => ({
      makerOrderHash: orderHash(f.makerOrderId),
      takerOrderHash: orderHash(f.takerOrderId),
      maker: utils.getAddress(f.makerAddress),
      taker: utils.getAddress(f.takerAddress),
      conditionId: f.conditionId,
      tokenId: f.tokenId,
      takerBuys: f.takerSide === 'BUY',
      shares: f.sizeMicros,
      usdc: mulDiv(f.sizeMicros, f.priceMicros, 1_000_000, 'nearest'),
      fee: f.feeMicros,
      makerSynthetic: f.makerOwner === 'synthetic' || f.source !== 'clob',
      takerSynthetic: f.takerOwner === 'synthetic' || f.source !== 'clob',
    }));
    const data = iface('Exchange').encodeFunctionData('settle', [args]);
    this.inFlight++;
    try {
      const sent = await this.op.send(
        negRisk ? this.contracts.negRiskExchange : this.contracts.exchange,
        data,
        200_000 + 400_000 * fills.length,
      );
      const receipt = await sent.mined;
      const now = this.exchange().now();
      for (const f of fills) {
        f.txHash = sent.hash;
        f.settledAtMs = now;
        if (receipt.status !== 1) f.forcedStatus = 'FAILED';
      }
      if (receipt.status === 1) this.settled += fills.length;
      else {
        this.failed += fills.length;
        this.log(`sandbox chain: settlement ${sent.hash} reverted (a wallet lacks balance or approvals); trade marked FAILED`);
      }
    } catch (err) {
      for (const f of fills) {
        f.forcedStatus = 'FAILED';
        f.settledAtMs = this.exchange().now();
      }
      this.failed += fills.length;
      this.log(`sandbox chain: could not send a settlement: ${(err as Error).message}`);
    } finally {
      this.inFlight--;
    }
    for (const f of fills) if (f.forcedStatus !== 'FAILED') this.publish(f);
  }
}
