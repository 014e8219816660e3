/** Where a live/paper session connects: the config's hosts, else production, or one sandbox URL for all. */
import type { PolytailConfig } from '../config/config.ts';
import { PRODUCTION_HOSTS, sandboxHosts, type PolymarketHosts } from '../polymarket/hosts.ts';

export const DEFAULT_SANDBOX_URL = 'http://127.0.0.1:8787';

export function resolveHosts(config: PolytailConfig, sandboxUrl?: string): PolymarketHosts {
  if (sandboxUrl) return sandboxHosts(sandboxUrl);
  return { ...PRODUCTION_HOSTS, ...definedOnly(config.hosts ?? {}) };
}

function definedOnly(hosts: Partial<PolymarketHosts>): Partial<PolymarketHosts> {
  return Object.fromEntries(Object.entries(hosts).filter(([, url]) => url !== undefined));
}
