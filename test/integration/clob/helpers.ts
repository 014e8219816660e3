/** Shared setup for the live-venue tests: an in-process sandbox, a loaded account and a ClobVenue. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAccount, type LiveAccount } from '../../../src/wallet/live-account.ts';
import { loadApiCreds, type ApiCreds } from '../../../src/wallet/api-creds.ts';
import { parseConfig } from '../../../src/config/config.ts';
import type { OrderEvent } from '../../../src/core/events.ts';
import type { Order, OrderType, Side } from '../../../src/core/types.ts';
import { ClobVenue, type ClobVenueOptions } from '../../../src/exec/clob/clob-venue.ts';
import type { Sandbox } from '../../../src/sandbox/index.ts';
import { TEST_KEY } from '../sandbox/helpers.ts';

export { TEST_KEY, conditionOf, seedBook, startTestSandbox, tokenOf } from '../sandbox/helpers.ts';

export function tempDir(prefix = 'polytail-clob-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function accountFor(sb: Sandbox, dataDir = tempDir(), key = TEST_KEY): LiveAccount {
  const config = parseConfig({ hosts: { clob: sb.urls.clob, geoblock: `${sb.urls.web}/api/geoblock` }, dataDir });
  return loadAccount({ POLYTAIL_PRIVATE_KEY: key }, config);
}

export interface Harness {
  account: LiveAccount;
  creds: ApiCreds;
  venue: ClobVenue;
  events: OrderEvent[];
}

export async function venueFor(sb: Sandbox, options: ClobVenueOptions = {}, dataDir = tempDir()): Promise<Harness> {
  const account = accountFor(sb, dataDir);
  const { creds } = await loadApiCreds(account);
  const venue = ClobVenue.create(account, creds, { pollIntervalMs: 0, reconcileGraceMs: 50, tradeLookupDelayMs: 50, ...options });
  const events: OrderEvent[] = [];
  venue.attach((e) => events.push(e));
  return { account, creds, venue, events };
}

let seq = 0;
/** An engine-shaped order; prices/sizes in human units for readability. */
export function order(
  tokenId: string,
  conditionId: string,
  side: Side,
  type: OrderType,
  price: number,
  size: number,
  extra: Partial<Order> = {},
): Order {
  seq++;
  return {
    clientOrderId: `o-${seq}-${Date.now()}`,
    strategyId: 'test',
    tokenId,
    conditionId,
    side,
    type,
    priceMicros: Math.round(price * 1e6),
    sizeMicros: Math.round(size * 1e6),
    postOnly: false,
    createdMs: Date.now(),
    salt: seq,
    ...extra,
  };
}

/** Event types in order, for compact assertions. */
export function types(events: OrderEvent[]): string[] {
  return events.map((e) => e.type);
}
