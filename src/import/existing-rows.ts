/**
 * What a recording already holds, so importing the same rows again (in one command or two) adds
 * nothing. Rows without an identity of their own (non-TRADE activity, book snapshots and changes,
 * prints, resolutions) are compared by content and occurrence: the n-th identical row of a file is new
 * only when the recording holds fewer than n of them. Also the market facts resolutions need: each
 * market's tokens and its last recorded event.
 */
import { withWallet } from '../core/dedup.ts';
import type { TokenInfo } from '../core/types.ts';
import type { RecordingStore } from '../store/index.ts';

/** Content key → how many rows with that content the recording holds. */
export type ContentCounts = Map<string, number>;

export interface ExistingRows {
  tradeKeys: Set<string>;
  others: ContentCounts;
  snapshots: ContentCounts;
  changes: ContentCounts;
  prints: ContentCounts;
  /** condition id → its stored payouts (JSON text). */
  resolutions: Map<string, string>;
  /** condition ids with a market row read from metadata (not inferred). */
  realMarkets: Set<string>;
  /** condition ids with any market row. */
  markets: Set<string>;
  tokensByCondition: Map<string, TokenInfo[]>;
  conditionOfToken: Map<string, string>;
  lastEventMs: Map<string, number>;
  endMs: number | undefined;
}

export const otherKey = (o: {
  wallet: string;
  type: string;
  txHash: string;
  tsMs: number;
  tokenId?: string;
  sizeMicros: number;
  usdcMicros: number;
  priceMicros: number;
}) => [o.wallet, o.type, o.txHash, o.tsMs, o.tokenId ?? '', o.sizeMicros, o.usdcMicros, o.priceMicros].join('|');
export const snapshotKey = (tokenId: string, tsEvent: number, bids: string, asks: string) => [tokenId, tsEvent, bids, asks].join('|');
export const changeKey = (tokenId: string, tsEvent: number, changes: { side: string; priceMicros: number; sizeMicros: number }[]) =>
  [tokenId, tsEvent, changes.map((c) => `${c.side}:${c.priceMicros}:${c.sizeMicros}`).join(',')].join('|');
export const printKey = (tokenId: string, tsEvent: number, side: string, priceMicros: number, sizeMicros: number) =>
  [tokenId, tsEvent, side, priceMicros, sizeMicros].join('|');

export async function readExisting(store: RecordingStore): Promise<ExistingRows> {
  const q = (sql: string) => store.query(sql);
  // A recording imported before keys named the wallet holds keys of the older shape: compared in today's.
  const tradeKeys = new Set(
    (await q('SELECT wallet, dedup_key FROM target_trades')).map((r) => `${r.wallet} ${withWallet(String(r.dedup_key), String(r.wallet))}`),
  );
  const others = sum(
    (await q(`SELECT wallet, type, tx_hash, ts_event, token_id, size_micros, usdc_micros, price_micros FROM activity_other`)).map((r) =>
      otherKey({
        wallet: String(r.wallet),
        type: String(r.type),
        txHash: String(r.tx_hash ?? ''),
        tsMs: Number(r.ts_event),
        tokenId: r.token_id === null ? undefined : String(r.token_id),
        sizeMicros: Number(r.size_micros ?? 0),
        usdcMicros: Number(r.usdc_micros ?? 0),
        priceMicros: Number(r.price_micros ?? 0),
      }),
    ),
  );
  const snapshots = sum(
    (await q(`SELECT token_id, ts_event, bids, asks FROM book_snapshots`)).map((r) =>
      snapshotKey(String(r.token_id), Number(r.ts_event), String(r.bids), String(r.asks)),
    ),
  );
  const frames = new Map<number, { tokenId: string; ts: number; changes: { side: string; priceMicros: number; sizeMicros: number }[] }>();
  for (const r of await q(`SELECT frame, token_id, ts_event, side, price_micros, size_micros FROM book_changes ORDER BY frame, seq`)) {
    const f = frames.get(Number(r.frame)) ?? { tokenId: String(r.token_id), ts: Number(r.ts_event), changes: [] };
    f.changes.push({ side: String(r.side), priceMicros: Number(r.price_micros), sizeMicros: Number(r.size_micros) });
    frames.set(Number(r.frame), f);
  }
  const changes = sum([...frames.values()].map((f) => changeKey(f.tokenId, f.ts, f.changes)));
  const prints = sum(
    (await q(`SELECT token_id, ts_event, side, price_micros, size_micros FROM trade_prints`)).map((r) =>
      printKey(String(r.token_id), Number(r.ts_event), String(r.side), Number(r.price_micros), Number(r.size_micros)),
    ),
  );
  const resolutions = new Map(
    (await q(`SELECT condition_id, payouts FROM resolutions ORDER BY seq`)).map((r) => [String(r.condition_id), String(r.payouts)]),
  );
  const marketRows = await q(`SELECT condition_id, tokens, inferred FROM markets ORDER BY seq`);
  const tokensByCondition = new Map<string, TokenInfo[]>();
  const conditionOfToken = new Map<string, string>();
  const addToken = (conditionId: string, t: TokenInfo) => {
    conditionOfToken.set(t.tokenId, conditionId);
    const list = tokensByCondition.get(conditionId) ?? [];
    if (!list.some((x) => x.tokenId === t.tokenId)) list.push(t);
    tokensByCondition.set(conditionId, list);
  };
  for (const r of marketRows) for (const t of parseTokens(r.tokens)) addToken(String(r.condition_id), t);
  for (const r of await q(`SELECT DISTINCT condition_id, token_id, outcome FROM target_trades`))
    addToken(String(r.condition_id), { tokenId: String(r.token_id), outcome: String(r.outcome ?? '') });
  const lastEventMs = new Map<string, number>();
  let endMs: number | undefined;
  const see = (conditionId: string | undefined, ts: number) => {
    endMs = endMs === undefined ? ts : Math.max(endMs, ts);
    if (conditionId !== undefined) lastEventMs.set(conditionId, Math.max(lastEventMs.get(conditionId) ?? ts, ts));
  };
  for (const r of await q(`SELECT condition_id, MAX(ts_recv) AS t FROM target_trades GROUP BY 1`)) see(String(r.condition_id), Number(r.t));
  for (const table of ['trade_prints', 'book_snapshots', 'book_changes'])
    for (const r of await q(`SELECT token_id, MAX(ts_recv) AS t FROM ${table} GROUP BY 1`))
      see(conditionOfToken.get(String(r.token_id)), Number(r.t));
  return {
    tradeKeys,
    others,
    snapshots,
    changes,
    prints,
    resolutions,
    realMarkets: new Set(marketRows.filter((r) => !r.inferred).map((r) => String(r.condition_id))),
    markets: new Set(marketRows.map((r) => String(r.condition_id))),
    tokensByCondition,
    conditionOfToken,
    lastEventMs,
    endMs,
  };
}

function sum(keys: string[]): ContentCounts {
  const m: ContentCounts = new Map();
  for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1);
  return m;
}

function parseTokens(v: unknown): TokenInfo[] {
  try {
    const list = JSON.parse(String(v)) as { tokenId?: unknown; outcome?: unknown }[];
    return Array.isArray(list)
      ? list.filter((t) => typeof t?.tokenId === 'string').map((t) => ({ tokenId: String(t.tokenId), outcome: String(t.outcome ?? '') }))
      : [];
  } catch {
    return [];
  }
}

/**
 * Keeps the rows whose occurrence among identical rows of their own file goes beyond what the
 * recording (and earlier files of this import) already hold.
 */
export class OccurrenceFilter {
  private readonly taken: ContentCounts;

  constructor(existing: ContentCounts) {
    this.taken = new Map(existing);
  }

  /** `rows` of one file, in order; returns the new ones. */
  newRows<T>(rows: T[], keyOf: (row: T) => string): T[] {
    const seenInFile = new Map<string, number>();
    const out: T[] = [];
    for (const row of rows) {
      const key = keyOf(row);
      const n = (seenInFile.get(key) ?? 0) + 1;
      seenInFile.set(key, n);
      if (n > (this.taken.get(key) ?? 0)) {
        this.taken.set(key, n);
        out.push(row);
      }
    }
    return out;
  }
}
