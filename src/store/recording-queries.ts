/** Questions asked of a recording as a whole: who traded most, how much is in it, over what time. */
import type { RecordingStore } from './recording-store.ts';
import { TABLE_NAMES, type TableName } from './schema.ts';

export interface WalletStat {
  wallet: string;
  trades: number;
  buys: number;
  sells: number;
  volumeMicros: number;
  markets: number;
  firstMs: number;
  lastMs: number;
}

/** Busiest wallets first (by trade count, then volume, then address for a stable order). */
export async function walletStats(store: RecordingStore, limit = 20): Promise<WalletStat[]> {
  const rows = await store.query(
    `SELECT wallet, COUNT(*) AS trades, COUNT(*) FILTER (WHERE side = 'BUY') AS buys,
            COUNT(*) FILTER (WHERE side = 'SELL') AS sells, COALESCE(SUM(usdc_micros), 0) AS volume,
            COUNT(DISTINCT condition_id) AS markets, MIN(ts_recv) AS first_ms, MAX(ts_recv) AS last_ms
       FROM target_trades GROUP BY wallet ORDER BY trades DESC, volume DESC, wallet LIMIT ${Math.max(0, Math.floor(limit))}`,
  );
  return rows.map((r) => ({
    wallet: String(r.wallet),
    trades: Number(r.trades),
    buys: Number(r.buys),
    sells: Number(r.sells),
    volumeMicros: Number(r.volume),
    markets: Number(r.markets),
    firstMs: Number(r.first_ms),
    lastMs: Number(r.last_ms),
  }));
}

/** How the trades of some wallets fall around a split time (ts_recv), for a sweep's training and held-out windows. */
export interface TradesAroundSplit {
  before: number;
  after: number;
  /** ts_recv of their first and last trade; undefined when they have none. */
  firstMs?: number;
  lastMs?: number;
  /** The ts_recv with 70 % of their trades at or before it: a split that holds out the last 30 %. */
  p70Ms?: number;
}

/** `wallets` lower-case, as target_trades stores them. */
export async function tradesAroundSplit(store: RecordingStore, wallets: readonly string[], splitMs: number): Promise<TradesAroundSplit> {
  if (wallets.length === 0) return { before: 0, after: 0 };
  const [r] = await store.query(
    `SELECT COUNT(*) FILTER (WHERE ts_recv < ?) AS before, COUNT(*) FILTER (WHERE ts_recv >= ?) AS after,
            MIN(ts_recv) AS first_ms, MAX(ts_recv) AS last_ms, quantile_disc(ts_recv, 0.7) AS p70_ms
       FROM target_trades WHERE wallet IN (${wallets.map(() => '?').join(', ')})`,
    [splitMs, splitMs, ...wallets],
  );
  const at = (v: unknown) => (v === null || v === undefined ? undefined : Number(v));
  return {
    before: Number(r?.before ?? 0),
    after: Number(r?.after ?? 0),
    firstMs: at(r?.first_ms),
    lastMs: at(r?.last_ms),
    p70Ms: at(r?.p70_ms),
  };
}

export async function tableCounts(store: RecordingStore): Promise<Record<TableName, number>> {
  // Files written before a table existed (redeems) lack it: it counts as empty.
  const present = new Set((await store.query(`SELECT table_name FROM information_schema.tables`)).map((r) => String(r.table_name)));
  const out = {} as Record<TableName, number>;
  for (const t of TABLE_NAMES) out[t] = 0;
  const sql = TABLE_NAMES.filter((t) => present.has(t))
    .map((t) => `SELECT '${t}' AS t, COUNT(*) AS n FROM ${t}`)
    .join(' UNION ALL ');
  for (const r of await store.query(sql)) out[r.t as TableName] = Number(r.n);
  return out;
}

/** First and last ts_recv over the event tables, or undefined for an empty recording. */
export async function timeRange(store: RecordingStore): Promise<{ fromMs: number; toMs: number } | undefined> {
  const tables = ['target_trades', 'book_snapshots', 'book_changes', 'trade_prints', 'resolutions'];
  const sql = tables.map((t) => `SELECT MIN(ts_recv) AS a, MAX(ts_recv) AS b FROM ${t}`).join(' UNION ALL ');
  const [r] = await store.query(`SELECT MIN(a) AS a, MAX(b) AS b FROM (${sql})`);
  return r && r.a !== null && r.a !== undefined ? { fromMs: Number(r.a), toMs: Number(r.b) } : undefined;
}
