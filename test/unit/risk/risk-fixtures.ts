import type { MarketInfo, Order } from '../../../src/core/types.ts';
import type { AccountView, PendingBuy } from '../../../src/risk/types.ts';

export const USD = 1_000_000;

export function market(overrides: Partial<MarketInfo> = {}): MarketInfo {
  return {
    conditionId: '0xc1',
    slug: 'will-it-rain',
    tokens: [
      { tokenId: 'yes1', outcome: 'Yes' },
      { tokenId: 'no1', outcome: 'No' },
    ],
    negRisk: false,
    tickMicros: 10_000,
    minOrderSizeMicros: 5_000_000,
    ...overrides,
  };
}

/** A GTC order: 20 shares at 0.50 = $10 unless overridden. */
export function order(overrides: Partial<Order> = {}): Order {
  return {
    clientOrderId: 'o1',
    strategyId: 's1',
    tokenId: 'yes1',
    conditionId: '0xc1',
    side: 'BUY',
    type: 'GTC',
    priceMicros: 500_000,
    sizeMicros: 20 * USD,
    postOnly: false,
    createdMs: 0,
    salt: 1,
    ...overrides,
  };
}

export interface TestAccountSpec {
  cash?: number;
  equity?: number;
  positions?: Record<string, { conditionId: string; size: number; cost: number }>;
  pending?: PendingBuy[];
}

export function account(spec: TestAccountSpec = {}): AccountView {
  const positions = spec.positions ?? {};
  const open = Object.values(positions).filter((p) => p.size > 0);
  const view: AccountView = {
    cashMicros: spec.cash ?? 1_000 * USD,
    equityMicros: spec.equity ?? 1_000 * USD,
    positionSize: (tokenId) => positions[tokenId]?.size ?? 0,
    marketExposure: (conditionId) => open.filter((p) => p.conditionId === conditionId).reduce((s, p) => s + p.cost, 0),
    totalExposure: () => open.reduce((s, p) => s + p.cost, 0),
    marketsHeld: () => new Set(open.map((p) => p.conditionId)),
  };
  if (spec.pending) view.pendingBuys = () => spec.pending!;
  return view;
}
