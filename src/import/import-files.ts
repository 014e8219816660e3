/**
 * `polytail import`: Polymarket history files → one recording. Everything is parsed and checked
 * first; the recording is then written to a temp file (a copy of the existing recording, if any) and
 * renamed over `out` only when complete, so a failed import leaves nothing half-written.
 */
import { copyFileSync, existsSync, renameSync, rmSync } from 'node:fs';
import { basename } from 'node:path';
import type { MarketInfo, SourceName, TokenInfo } from '../core/types.ts';
import { RecordingStore } from '../store/recording-store.ts';
import type { TableName } from '../store/schema.ts';
import { collectFile, type Collected, type CollectedTrade, type FileReport } from './collect.ts';
import { ImportError } from './import-error.ts';
import { readSource } from './read-source.ts';
import { payoutFor, type ResolutionEntry } from './resolutions.ts';
import { planMarkets, type PlannedMarket } from './plan-markets.ts';

export interface ImportOptions {
  /** Shortest block of consecutive rows treated as a repeated page. Default 20. */
  minRepeatRows?: number;
  /** Also record each imported trade as a print on the tape (marks, resting sim orders). Default true. */
  prints?: boolean;
  /** Text stored in meta `origin` (appended to what is there). Default: the file names. */
  origin?: string;
}

export interface ImportSummary {
  out: string;
  files: FileReport[];
  /** Rows added per table by this import. */
  added: Partial<Record<TableName, number>>;
  /** Trades already present (same wallet and dedup key) in the recording or an earlier file. */
  duplicatesAcrossFiles: number;
  inferredMarkets: number;
  /** Row counts of the whole recording after the import. */
  totals: Record<TableName, number>;
}

export async function importFiles(paths: string[], out: string, options: ImportOptions = {}): Promise<ImportSummary> {
  if (paths.length === 0) throw new ImportError(out, undefined, undefined, 'no input files given');
  const collected = paths.map((p) => collectFile(readSource(p), { minRepeatRows: options.minRepeatRows }));
  const tmp = `${out}.importing-${process.pid}`;
  removeDb(tmp);
  if (existsSync(out)) {
    copyFileSync(out, tmp);
    if (existsSync(`${out}.wal`)) copyFileSync(`${out}.wal`, `${tmp}.wal`);
  }
  let store: RecordingStore | undefined;
  try {
    store = await RecordingStore.open(tmp);
    const summary = await writeAll(store, collected, out, options);
    summary.totals = await store.counts();
    await store.close();
    store = undefined;
    if (existsSync(`${tmp}.wal`)) throw new Error(`checkpoint left ${tmp}.wal behind`);
    renameSync(tmp, out);
    removeDb(`${out}.wal`, true);
    return summary;
  } catch (err) {
    if (store) await store.close().catch(() => undefined);
    removeDb(tmp);
    throw err;
  }
}

function removeDb(path: string, walOnly = false): void {
  if (!walOnly) rmSync(path, { force: true });
  rmSync(path.endsWith('.wal') ? path : `${path}.wal`, { force: true });
}

async function writeAll(store: RecordingStore, collected: Collected[], out: string, options: ImportOptions): Promise<ImportSummary> {
  const added: Partial<Record<TableName, number>> = {};
  const count = (t: TableName, n = 1) => (added[t] = (added[t] ?? 0) + n);

  // Trades: drop ones the recording (or an earlier file) already has, then write in time order.
  const seenKeys = new Set((await store.query('SELECT wallet, dedup_key FROM target_trades')).map((r) => `${r.wallet} ${r.dedup_key}`));
  let duplicatesAcrossFiles = 0;
  const trades: { t: CollectedTrade; file: number; source: SourceName }[] = [];
  collected.forEach((c, file) => {
    for (const t of c.trades) {
      const id = `${t.trade.wallet} ${t.key}`;
      if (seenKeys.has(id)) {
        duplicatesAcrossFiles++;
        continue;
      }
      seenKeys.add(id);
      trades.push({ t, file, source: c.source });
    }
  });
  trades.sort((a, b) => a.t.tsMs - b.t.tsMs || a.file - b.file || a.t.order - b.t.order);

  const existingMarkets = new Set((await store.query('SELECT DISTINCT condition_id FROM markets')).map((r) => String(r.condition_id)));
  const plan = planMarkets(
    collected,
    trades.map((x) => x.t),
    existingMarkets,
  );

  for (const m of plan.markets) {
    store.appendEvent(
      { type: 'market', tsEvent: m.tsMs, tsRecv: m.tsMs, market: m.market },
      { inferred: m.inferred, source: m.source, raw: m.raw },
    );
    count('markets');
  }
  const printKeys = new Set<string>();
  let sourceSeq = 0;
  for (const { t, source } of trades) {
    store.appendEvent(
      { type: 'target_trade', tsEvent: t.tsMs, tsRecv: t.tsMs, source, seq: ++sourceSeq, key: t.key, trade: t.trade },
      { raw: t.raw },
    );
    count('target_trades');
    const printKey = `${t.trade.txHash}:${t.trade.tokenId}:${t.trade.sizeMicros}:${t.trade.priceMicros}:${t.key.split('#')[1]}`;
    if (options.prints !== false && !printKeys.has(printKey)) {
      printKeys.add(printKey);
      store.appendEvent(
        {
          type: 'trade_print',
          tsEvent: t.tsMs,
          tsRecv: t.tsMs,
          tokenId: t.trade.tokenId,
          side: t.trade.side,
          priceMicros: t.trade.priceMicros,
          sizeMicros: t.trade.sizeMicros,
        },
        { source },
      );
      count('trade_prints');
    }
  }
  const others = collected.flatMap((c) => c.others.map((o) => ({ ...o, source: c.source }))).sort((a, b) => a.other.tsMs - b.other.tsMs);
  for (const { other: o, raw, source } of others) {
    store.add('activity_other', {
      ts_event: o.tsMs,
      ts_recv: o.tsMs,
      source,
      type: o.type,
      wallet: o.wallet,
      tx_hash: o.txHash,
      condition_id: o.conditionId,
      token_id: o.tokenId,
      side: o.side,
      size_micros: o.sizeMicros,
      usdc_micros: o.usdcMicros,
      price_micros: o.priceMicros,
      outcome: o.outcome,
      outcome_index: o.outcomeIndex,
      slug: o.slug,
      title: o.title,
      raw,
    });
    count('activity_other');
  }
  for (const e of collected.flatMap((c) => c.snapshots).sort((a, b) => a.tsRecv - b.tsRecv))
    (store.appendEvent(e), count('book_snapshots'));
  for (const e of collected.flatMap((c) => c.changes).sort((a, b) => a.tsRecv - b.tsRecv))
    (store.appendEvent(e), count('book_changes', e.changes.length));
  for (const c of collected) for (const e of c.prints) (store.appendEvent(e, { source: c.source }), count('trade_prints'));
  for (const r of resolutionEvents(collected, plan.tokensByCondition, plan.lastEventMs, plan.recordingEndMs)) {
    store.appendEvent(r.event, { source: r.source });
    count('resolutions');
  }

  const origin = options.origin ?? `imported from ${collected.map((c) => basename(c.report.path)).join(', ')}`;
  const previous = await store.getMeta('origin');
  await store.setMeta('origin', previous ? `${previous}\n${origin}` : origin);
  await store.flush();
  return {
    out,
    files: collected.map((c) => c.report),
    added,
    duplicatesAcrossFiles,
    inferredMarkets: plan.markets.filter((m: PlannedMarket) => m.inferred).length,
    totals: {} as Record<TableName, number>,
  };
}

function resolutionEvents(
  collected: Collected[],
  tokensByCondition: Map<string, TokenInfo[]>,
  lastEventMs: Map<string, number>,
  recordingEndMs: number | undefined,
) {
  const out: {
    event: { type: 'market_resolved'; tsEvent: number; tsRecv: number; conditionId: string; payouts: Record<string, number> };
    source: string;
  }[] = [];
  for (const c of collected) {
    for (const r of c.resolutions) {
      const payouts = payoutsOf(r, tokensByCondition.get(r.conditionId) ?? []);
      if (Object.keys(payouts).length === 0) {
        throw new ImportError(
          c.report.path,
          undefined,
          'conditionId',
          `resolution of ${r.conditionId}: no token ids known for this market; import its Gamma market or its trades in the same command, or list its tokens`,
        );
      }
      // A resolution never precedes the market's last recorded event. With only a date (or no time)
      // it settles after the whole import's tape, since the day's trading may run past it.
      const last = r.precise ? lastEventMs.get(r.conditionId) : recordingEndMs;
      const ts = last !== undefined ? Math.max(r.resolvedMs ?? 0, last + 1) : (r.resolvedMs ?? 0);
      out.push({ event: { type: 'market_resolved', tsEvent: ts, tsRecv: ts, conditionId: r.conditionId, payouts }, source: c.source });
    }
  }
  return out.sort((a, b) => a.event.tsRecv - b.event.tsRecv);
}

function payoutsOf(r: ResolutionEntry, known: TokenInfo[]): Record<string, number> {
  const payouts: Record<string, number> = {};
  for (const t of r.tokens) payouts[t.tokenId] = t.payoutMicros ?? payoutFor(r, t.outcome);
  for (const t of known) if (!(t.tokenId in payouts) && r.winningOutcome !== '') payouts[t.tokenId] = payoutFor(r, t.outcome);
  return payouts;
}

export type { MarketInfo };
