/**
 * The only reader of the exchanges' OrderFilled event. Polygon's V2 exchange layout is not confirmed in
 * public material; if it differs, this file changes and nothing else does.
 *
 * Reading rule: the wallet is the event's `maker` (its own order, whether it rested or took). Asset id 0 is
 * collateral: makerAssetId 0 means the wallet paid collateral, i.e. BOUGHT takerAssetId; otherwise it SOLD
 * makerAssetId. Shares and collateral are the filled amounts (6 decimals both); the price is their ratio,
 * snapped to 0.0001 (every tick is a multiple of it) to undo the rounding of the collateral amount.
 */
import { utils } from 'ethers';
import type { Side } from '../core/types.ts';
import { ORDER_FILLED_EVENT } from '../polymarket/contracts.ts';

const iface = new utils.Interface([ORDER_FILLED_EVENT]);
export const ORDER_FILLED_TOPIC = iface.getEventTopic('OrderFilled');

export interface RawLog {
  address: string;
  topics: string[];
  data: string;
  blockNumber: number;
  blockHash: string;
  transactionHash: string;
  logIndex: number;
  removed?: boolean;
}

export interface OrderFilled {
  exchange: string;
  orderHash: string;
  maker: string;
  taker: string;
  makerAssetId: string;
  takerAssetId: string;
  makerAmountFilled: bigint;
  takerAmountFilled: bigint;
  fee: bigint;
  txHash: string;
  blockNumber: number;
  blockHash: string;
  logIndex: number;
}

export interface DecodedFill {
  wallet: string;
  side: Side;
  tokenId: string;
  sizeMicros: number;
  usdcMicros: number;
  priceMicros: number;
}

export function decodeOrderFilled(log: RawLog): OrderFilled {
  const ev = iface.parseLog({ topics: log.topics, data: log.data });
  const big = (v: { toString(): string }) => BigInt(v.toString());
  return {
    exchange: log.address.toLowerCase(),
    orderHash: ev.args.orderHash as string,
    maker: (ev.args.maker as string).toLowerCase(),
    taker: (ev.args.taker as string).toLowerCase(),
    makerAssetId: (ev.args.makerAssetId as { toString(): string }).toString(),
    takerAssetId: (ev.args.takerAssetId as { toString(): string }).toString(),
    makerAmountFilled: big(ev.args.makerAmountFilled),
    takerAmountFilled: big(ev.args.takerAmountFilled),
    fee: big(ev.args.fee),
    txHash: log.transactionHash.toLowerCase(),
    blockNumber: typeof log.blockNumber === 'string' ? parseInt(log.blockNumber, 16) : log.blockNumber,
    blockHash: log.blockHash.toLowerCase(),
    logIndex: typeof log.logIndex === 'string' ? parseInt(log.logIndex, 16) : log.logIndex,
  };
}

/** The wallet's fill as polytail trades it; undefined for an event that moves no shares. */
export function fillOf(ev: OrderFilled): DecodedFill | undefined {
  const buys = ev.makerAssetId === '0';
  const tokenId = buys ? ev.takerAssetId : ev.makerAssetId;
  const shares = buys ? ev.takerAmountFilled : ev.makerAmountFilled;
  const usdc = buys ? ev.makerAmountFilled : ev.takerAmountFilled;
  if (tokenId === '0' || shares <= 0n) return undefined;
  const raw = Number((usdc * 1_000_000n * 2n + shares) / (shares * 2n));
  const priceMicros = Math.min(1_000_000, Math.max(0, Math.round(raw / 100) * 100));
  return { wallet: ev.maker, side: buys ? 'BUY' : 'SELL', tokenId, sizeMicros: Number(shares), usdcMicros: Number(usdc), priceMicros };
}

/** Topic filter for OrderFilled events whose maker is one of the wallets (OR within the topic). */
export function makerTopics(wallets: string[]): (string | string[] | null)[] {
  return [ORDER_FILLED_TOPIC, null, wallets.map((w) => utils.hexZeroPad(w.toLowerCase(), 32))];
}
