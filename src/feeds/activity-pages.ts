/**
 * Reads a wallet's TRADE activity for a time window from the Data API, oldest first, paging by time
 * rather than by offset (offsets are capped at a few thousand and past the cap the API repeats or
 * refuses). A full page is cut before its last second, and the next page starts at that second, so
 * every second's rows come from one response: identical rows (one transaction, several equal fills)
 * are then numbered 1, 2, ... the same way on every read. A single second with more rows than a page
 * falls back to offset paging inside that second.
 */
import { contentKey } from '../core/dedup.ts';
import type { TargetTrade } from '../core/types.ts';
import { WireError } from '../polymarket/wire/fields.ts';
import { parseActivityRow } from '../polymarket/wire/data-api.ts';
import { type HttpJsonOptions, getJson } from './http-json.ts';

export interface ActivityFill {
  tsMs: number;
  trade: TargetTrade;
  occurrence: number;
}

export interface ActivityWindow {
  baseUrl: string;
  wallet: string;
  startSec: number;
  endSec: number;
  pageLimit: number;
  /** Offsets above this are refused or repeated by the API. */
  offsetCap: number;
  http: HttpJsonOptions;
  onMalformed(message: string): void;
}

export async function readActivityWindow(w: ActivityWindow): Promise<ActivityFill[]> {
  const out: ActivityFill[] = [];
  let start = w.startSec;
  for (let guard = 0; guard < 10_000; guard++) {
    const rows = await page(w, start, w.endSec, 0);
    if (rows.length < w.pageLimit) {
      out.push(...numbered(rows, w));
      return out;
    }
    const lastSec = timestampOf(rows[rows.length - 1]);
    const firstSec = timestampOf(rows[0]);
    if (lastSec === undefined || firstSec === undefined) throw new WireError('activity row: field "timestamp": missing', 'timestamp');
    // Pages must move forward in time (sortDirection=ASC); a server that does not would page forever.
    if (lastSec < firstSec || lastSec < start || (firstSec !== lastSec && lastSec === start))
      throw new WireError(
        `activity of ${w.wallet}: a page is not in time order (from ${firstSec} to ${lastSec}, asked from ${start})`,
        'timestamp',
      );
    if (firstSec === lastSec) {
      out.push(...numbered(await wholeSecond(w, lastSec, rows), w));
      if (lastSec >= w.endSec) return out;
      start = lastSec + 1;
    } else {
      out.push(
        ...numbered(
          rows.filter((r) => timestampOf(r) !== lastSec),
          w,
        ),
      );
      start = lastSec;
    }
  }
  throw new WireError(`activity of ${w.wallet}: more than 10000 pages between ${w.startSec} and ${w.endSec}`, '(root)');
}

/**
 * Every row of one busy second, by offset (bounded by the API's offset cap). The query keeps the
 * window's end and rows of later seconds are cut off here: with `end` = that second, some servers
 * compare fractional trade times and would leave rows of the second out.
 */
async function wholeSecond(w: ActivityWindow, sec: number, first: unknown[]): Promise<unknown[]> {
  const rows = [...first];
  while (rows.length <= w.offsetCap) {
    const more = await page(w, sec, w.endSec, rows.length);
    const same = more.filter((r) => timestampOf(r) === sec);
    rows.push(...same);
    if (more.length < w.pageLimit || same.length < more.length) break;
  }
  return rows;
}

async function page(w: ActivityWindow, startSec: number, endSec: number, offset: number): Promise<unknown[]> {
  const q = new URLSearchParams({
    user: w.wallet,
    type: 'TRADE',
    start: String(startSec),
    end: String(endSec),
    limit: String(w.pageLimit),
    offset: String(offset),
    sortBy: 'TIMESTAMP',
    sortDirection: 'ASC',
  });
  const body = await getJson(`${w.baseUrl}/activity?${q}`, w.http);
  if (!Array.isArray(body))
    throw new WireError(`activity of ${w.wallet}: expected a JSON array, got ${JSON.stringify(body).slice(0, 80)}`, '(root)');
  return body;
}

function timestampOf(row: unknown): number | undefined {
  const t = (row as { timestamp?: unknown } | null)?.timestamp;
  const n = typeof t === 'string' ? Number(t) : t;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

/** Parses rows and numbers identical fills within this set of rows. */
function numbered(rows: unknown[], w: ActivityWindow): ActivityFill[] {
  const counts = new Map<string, number>();
  const out: ActivityFill[] = [];
  for (const row of rows) {
    let parsed;
    try {
      parsed = parseActivityRow(row);
    } catch (err) {
      if (err instanceof WireError) {
        w.onMalformed(`activity of ${w.wallet}: ${err.message}`);
        continue;
      }
      throw err;
    }
    if (parsed.kind !== 'trade') continue;
    const ck = contentKey(parsed.trade);
    const occurrence = (counts.get(ck) ?? 0) + 1;
    counts.set(ck, occurrence);
    out.push({ tsMs: parsed.tsMs, trade: parsed.trade, occurrence });
  }
  return out;
}
