/** Where a live/paper session connects: the config's hosts, production defaults, or one sandbox URL for all. */
import type { PolytailConfig } from '../config/config.ts';
import { DATA_API_URL, MARKET_WS_URL, RTDS_HOST, CLOB_URL } from '../feeds/index.ts';

export const GAMMA_URL = 'https://gamma-api.polymarket.com';
export const DEFAULT_SANDBOX_URL = 'http://127.0.0.1:8787';
/**
 * The sandbox's public test key (Hardhat account #0, the one `polytail sandbox` funds; same value as
 * cli/commands/sandbox.ts). Repeated here so starting a session does not load the whole sandbox.
 * Used only when every host is on this machine.
 */
export const SANDBOX_TEST_PRIVATE_KEY = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';

export interface SessionHosts {
  clob: string;
  data: string;
  gamma: string;
  rtds: string;
  marketWs: string;
  geoblock: string;
}

/** Every service of the sandbox at `url` (what `polytail sandbox` prints as its hosts block). */
export function sandboxHosts(url: string): SessionHosts {
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

export function resolveHosts(config: PolytailConfig, sandboxUrl?: string): SessionHosts {
  if (sandboxUrl) return sandboxHosts(sandboxUrl);
  const h = config.hosts ?? {};
  return {
    clob: h.clob ?? CLOB_URL,
    data: h.data ?? DATA_API_URL,
    gamma: h.gamma ?? GAMMA_URL,
    rtds: h.rtds ?? RTDS_HOST,
    marketWs: h.marketWs ?? MARKET_WS_URL,
    geoblock: h.geoblock ?? 'https://polymarket.com/api/geoblock',
  };
}

/** True when every host is on this machine (the sandbox), so nothing can trade real money. */
export function isLoopback(hosts: SessionHosts): boolean {
  return Object.values(hosts).every((u) => /^(https?|wss?):\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(\/|$)/.test(u));
}
