/**
 * Where Polymarket's services live, defined once: the feeds, the wallet checks and the sessions all
 * default to these. `sandboxHosts` is the same set on a local sandbox (`polytail sandbox`).
 */

export interface PolymarketHosts {
  /** CLOB REST (orders, books, market metadata). */
  clob: string;
  /** Data API (activity, positions, value). */
  data: string;
  /** Gamma (market and event metadata). */
  gamma: string;
  /** RTDS websocket (the activity firehose). */
  rtds: string;
  /** CLOB market websocket (books and prints). */
  marketWs: string;
  /** The geoblock check. */
  geoblock: string;
}

export const PRODUCTION_HOSTS: Readonly<PolymarketHosts> = Object.freeze({
  clob: 'https://clob.polymarket.com',
  data: 'https://data-api.polymarket.com',
  gamma: 'https://gamma-api.polymarket.com',
  rtds: 'wss://ws-live-data.polymarket.com',
  marketWs: 'wss://ws-subscriptions-clob.polymarket.com/ws/market',
  geoblock: 'https://polymarket.com/api/geoblock',
});

/** Every service of the sandbox at `url` (what `polytail sandbox` prints as its hosts block). */
export function sandboxHosts(url: string): PolymarketHosts {
  const base = url.replace(/\/$/, '');
  const ws = base.replace(/^http/, 'ws');
  return {
    clob: base,
    data: `${base}/data-api`,
    gamma: `${base}/gamma-api`,
    rtds: `${ws}/rtds`,
    marketWs: `${ws}/ws/market`,
    geoblock: `${base}/api/geoblock`,
  };
}

/** True when every host is on this machine (the sandbox), so nothing can trade real money. */
export function isLoopback(hosts: PolymarketHosts): boolean {
  return Object.values(hosts).every((u) => /^(https?|wss?):\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(\/|$)/.test(u));
}
