/**
 * The copy pipeline the built-in copy strategies share, exported so user strategy files can reuse it:
 * sanity checks, slippage-guarded limit prices, SELL-as-fraction, and turning a size into an intent.
 * Every path ends in an order or a skip with a reason code, never in silence.
 */
import type { TargetTradeSeen } from '../core/events.ts';
import { lazy, type Text } from '../core/lazy-text.ts';
import { formatMicros, formatUsd, MICROS, mulDiv, sharesFor, toMicros, type Micros } from '../core/money.ts';
import type { OrderType, Side } from '../core/types.ts';
import { DEFAULT_TICK_MICROS } from '../polymarket/market-defaults.ts';
import type { PlaceOrder, Skip, StrategyContext } from './api.ts';
import type { CopyBaseParams, CopyParams } from './copy-params.ts';
import { sizeBuy, sizeSell, skip, type DesiredSize } from './sizing.ts';

/**
 * The worst price we accept: BUY = ref × (1 + bps), SELL = ref × (1 − bps), kept inside
 * [tick, 1 − tick]. (Not a flat [0.01, 0.99]: on a 0.001-tick market a 0.999 target price would
 * otherwise get a BUY limit below the target's own price.)
 */
export function limitPriceFor(side: Side, refPriceMicros: Micros, maxSlippageBps: number, tickMicros = DEFAULT_TICK_MICROS): Micros {
  const factor = side === 'BUY' ? 10_000 + maxSlippageBps : 10_000 - maxSlippageBps;
  const raw = mulDiv(refPriceMicros, factor, 10_000, side === 'BUY' ? 'ceil' : 'floor');
  const tick = tickMicros > 0 ? tickMicros : DEFAULT_TICK_MICROS;
  return Math.min(MICROS - tick, Math.max(tick, raw));
}

/** Checks every copy strategy makes first: the wallet is ours to follow and the trade's numbers are sane. */
export function precheckTrade(event: TargetTradeSeen, params: Pick<CopyParams, 'wallets'>): Skip | undefined {
  const t = event.trade;
  if (!follows(params.wallets, t.wallet)) {
    return skip('wallet_not_followed', lazy(notFollowedText, t.wallet), { wallet: t.wallet });
  }
  if (!(t.priceMicros > 0 && t.priceMicros < MICROS) || !(t.sizeMicros > 0)) {
    return skip('bad_target_trade', lazy(badTradeText, t.priceMicros, t.sizeMicros), {
      priceMicros: t.priceMicros,
      sizeMicros: t.sizeMicros,
    });
  }
  return undefined;
}

/** Wallets in params are lower-cased by their schema; a trade's wallet usually is too (no copy made then). */
function follows(wallets: readonly string[], wallet: string): boolean {
  for (let i = 0; i < wallets.length; i++) if (wallets[i] === wallet) return true;
  return wallets.includes(wallet.toLowerCase());
}

const notFollowedText = (wallet: string) => `wallet ${wallet} is not in this strategy's wallets`;
const badTradeText = (price: Micros, size: Micros) => `target trade has price ${price} µ and size ${size} µ; cannot copy`;
const copyBuyText = (side: string, size: Micros, price: Micros, sizeNote: Text) =>
  `copy ${side} ${formatMicros(size, 2)} @ ${formatMicros(price, 3)}: ${sizeNote}`;
const copySellText = (sizeNote: Text, size: Micros) => `copy SELL: ${sizeNote}; selling ${formatMicros(size, 2)} sh`;
const belowMinTargetText = (usdc: Micros, min: Micros) => `target BUY ${formatUsd(usdc)} is below minTargetUsdc ${formatUsd(min)}`;

/** Builds a BUY intent. Market orders spend USDC (`amountMicros`); GTC rests a share size at the limit. */
export function buyIntent(
  event: TargetTradeSeen,
  ctx: StrategyContext,
  params: Pick<CopyParams, 'orderType' | 'maxSlippageBps'>,
  tokenId: string,
  refPriceMicros: Micros,
  size: DesiredSize,
): PlaceOrder {
  const type: OrderType = params.orderType;
  const limitPriceMicros = limitPriceFor('BUY', refPriceMicros, params.maxSlippageBps, ctx.market(tokenId)?.tickMicros);
  const note = lazy(copyBuyText, event.trade.side, event.trade.sizeMicros, event.trade.priceMicros, size.note);
  if (type === 'GTC') {
    // A USDC budget must hold at the limit price, not only at the target's price.
    const sizeMicros = size.basis === 'shares' ? size.sizeMicros : sharesFor(size.usdcMicros, limitPriceMicros, 'floor');
    return {
      kind: 'order',
      intent: { tokenId, side: 'BUY', type, limitPriceMicros, cause: event, referencePriceMicros: refPriceMicros, sizeMicros, note },
    };
  }
  const amountMicros = size.usdcMicros;
  return {
    kind: 'order',
    intent: { tokenId, side: 'BUY', type, limitPriceMicros, cause: event, referencePriceMicros: refPriceMicros, amountMicros, note },
  };
}

/**
 * Mirrors a target SELL of `event.trade.tokenId` by selling the same fraction of our position in
 * `ourTokenId` (the same token for a tail, the opposite one for a fade) at or above `refPriceMicros` − slippage.
 */
export function copySell(
  event: TargetTradeSeen,
  ctx: StrategyContext,
  params: Pick<CopyBaseParams, 'copySells' | 'orderType' | 'maxSlippageBps' | 'sellAllWhenUnknown'>,
  ourTokenId: string,
  refPriceMicros: Micros,
): PlaceOrder | Skip {
  const t = event.trade;
  if (!params.copySells) {
    return skip('sells_disabled', 'copySells is off: target SELLs are not mirrored', { targetSizeMicros: t.sizeMicros });
  }
  const sized = sizeSell({
    ourSizeMicros: ctx.position(ourTokenId).sizeMicros,
    targetSellMicros: t.sizeMicros,
    targetBeforeMicros: ctx.targetPosition(t.wallet, t.tokenId),
    sellAllWhenUnknown: params.sellAllWhenUnknown,
  });
  if (sized.kind === 'skip') return sized;
  const limitPriceMicros = limitPriceFor('SELL', refPriceMicros, params.maxSlippageBps, ctx.market(ourTokenId)?.tickMicros);
  return {
    kind: 'order',
    intent: {
      tokenId: ourTokenId,
      side: 'SELL',
      type: params.orderType,
      limitPriceMicros,
      sizeMicros: sized.sizeMicros,
      reduceOnly: true,
      cause: event,
      referencePriceMicros: refPriceMicros,
      note: lazy(copySellText, sized.note, sized.sizeMicros),
    },
  };
}

/** Target BUYs below `minTargetUsdc` are ignored. SELLs are not: skipping small exits would strand our position. */
export function checkMinTargetUsdc(event: TargetTradeSeen, minTargetUsdc: number): Skip | undefined {
  const min = toMicros(minTargetUsdc);
  const usdc = event.trade.usdcMicros;
  if (event.trade.side === 'BUY' && min > 0 && usdc < min) {
    return skip('below_min_target_usdc', lazy(belowMinTargetText, usdc, min), {
      targetUsdcMicros: usdc,
      minTargetUsdcMicros: min,
    });
  }
  return undefined;
}

/** Sizes a BUY of `tokenId` at `refPriceMicros`; `sizeWith` replaces the params' sizing mode (proportional). */
export type BuySizer = (event: TargetTradeSeen, ctx: StrategyContext, refPriceMicros: Micros) => DesiredSize | Skip;

export function sizingModeSizer(params: Pick<CopyParams, 'sizing'>): BuySizer {
  return (event, ctx, refPriceMicros) =>
    sizeBuy(params.sizing, {
      targetSizeMicros: event.trade.sizeMicros,
      targetUsdcMicros: event.trade.usdcMicros,
      priceMicros: refPriceMicros,
      equityMicros: ctx.equityMicros(),
    });
}

/**
 * The whole tail: copy a target BUY of a token as our BUY of it, a target SELL as a fractional SELL.
 * Reads params at call time, so a multiplier changed while running applies to the next trade.
 */
export function tailTrade(event: TargetTradeSeen, ctx: StrategyContext, params: CopyBaseParams, sizer: BuySizer): PlaceOrder | Skip {
  const rejected = precheckTrade(event, params) ?? checkMinTargetUsdc(event, params.minTargetUsdc);
  if (rejected) return rejected;
  const t = event.trade;
  if (t.side === 'SELL') return copySell(event, ctx, params, t.tokenId, t.priceMicros);
  const size = sizer(event, ctx, t.priceMicros);
  if (size.kind === 'skip') return size;
  return buyIntent(event, ctx, params, t.tokenId, t.priceMicros, size);
}
