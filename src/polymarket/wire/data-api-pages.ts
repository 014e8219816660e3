/**
 * The two shapes of Data API answers. v1 returns a bare JSON array of camelCase rows and pages by
 * `offset`; v2 (2026) wraps rows as `{data, pagination: {next_cursor, has_more}}` with snake_case fields
 * and pages by cursor. `dataApiPage` reads either; `camelRow` turns a v2 row into the v1 field names
 * the row parsers know, so one parser serves both.
 */
import { z } from 'zod';
import { address, optionalMicros, parseWire } from './fields.ts';
import { WireError } from './fields.ts';
import type { Micros } from '../../core/money.ts';

export interface DataApiPage {
  rows: unknown[];
  /** v2: the cursor of the next page; null when there is none; undefined for a v1 answer. */
  nextCursor: string | null | undefined;
}

export function dataApiPage(body: unknown, what: string): DataApiPage {
  if (Array.isArray(body)) return { rows: body, nextCursor: undefined };
  if (body && typeof body === 'object' && Array.isArray((body as { data?: unknown }).data)) {
    const b = body as { data: unknown[]; pagination?: Record<string, unknown>; next_cursor?: unknown };
    const cursor = b.pagination?.['next_cursor'] ?? b.pagination?.['nextCursor'] ?? b.next_cursor;
    return { rows: b.data, nextCursor: typeof cursor === 'string' && cursor !== '' ? cursor : null };
  }
  throw new WireError(`${what}: expected a JSON array (v1) or {data, pagination} (v2), got ${describe(body)}`, '(root)');
}

/** `proxy_wallet` → `proxyWallet`, … ; camelCase keys stay as they are. */
export function camelRow(row: unknown): unknown {
  if (!row || typeof row !== 'object' || Array.isArray(row)) return row;
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase()), v]));
}

export interface LeaderboardEntry {
  wallet: string;
  rank: number;
  name?: string;
  pnlMicros?: Micros;
  volumeMicros?: Micros;
}

const leaderboardRow = z.object({
  proxyWallet: address,
  rank: z.union([z.number(), z.string()]).transform(Number),
  userName: z.string().nullish(),
  pnl: optionalMicros,
  vol: optionalMicros,
  volume: optionalMicros,
});

/** One leaderboard row, v1 (`proxyWallet`, `vol`) or v2 (`proxy_wallet`, `volume`). */
export function parseLeaderboardRow(row: unknown): LeaderboardEntry {
  const r = parseWire(leaderboardRow, camelRow(row), 'leaderboard row');
  return { wallet: r.proxyWallet, rank: r.rank, name: r.userName ?? undefined, pnlMicros: r.pnl, volumeMicros: r.vol ?? r.volume };
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'object') return `an object with keys ${Object.keys(v).slice(0, 5).join(', ') || '(none)'}`;
  return typeof v;
}
