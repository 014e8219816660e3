// Which rows each panel lists, shared by the panels (to draw) and the app (to move the selection).
import type { FeedRow, SessionSnapshot } from '../session-model.ts';

export const PANELS = ['feed', 'positions', 'pnl', 'orders', 'targets', 'risk', 'logs'] as const;
export type PanelId = (typeof PANELS)[number];

export const PANEL_TITLES: Record<PanelId, string> = {
  feed: 'Feed',
  positions: 'Positions',
  pnl: 'PnL',
  orders: 'Orders',
  targets: 'Targets',
  risk: 'Risk',
  logs: 'Logs',
};

/** Feed rows matching the filter text (case-insensitive, any of wallet, market, outcome, strategy, reason). */
export function filteredFeed(snap: SessionSnapshot, filter: string): readonly FeedRow[] {
  const needle = filter.trim().toLowerCase();
  if (!needle) return snap.feed;
  return snap.feed.filter((row) => {
    const t = row.trade;
    const d = row.decision;
    const title = t?.title ?? (d?.tokenId ? snap.titleOf(d.tokenId) : undefined) ?? '';
    const hay = [t?.wallet, title, t?.outcome, t?.side, d?.strategyId, d?.action, d?.reason, d?.message, row.fill.state]
      .filter(Boolean)
      .join(' ')
      .toLowerCase();
    return hay.includes(needle);
  });
}

/** How many selectable rows a panel has. */
export function selectableCount(panel: PanelId, snap: SessionSnapshot, filter: string): number {
  switch (panel) {
    case 'feed':
      return filteredFeed(snap, filter).length;
    case 'positions':
      return snap.positions.length;
    case 'orders':
      return snap.openOrders.length;
    case 'targets':
      return snap.strategies.length;
    case 'risk':
      return snap.riskUsage.length;
    case 'logs':
      return snap.logs.length;
    case 'pnl':
      return 0;
  }
}
