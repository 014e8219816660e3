/**
 * `polytail import`: Polymarket history files → one recording. Everything is parsed and checked
 * first; the recording is then written to a temp file (a copy of the existing recording, if any) and
 * renamed over `out` only when complete, under the recording's write lock (import-target.ts), so a
 * failed import leaves nothing half-written and no other writer's work is lost. Importing rows the
 * recording already holds adds nothing (existing-rows.ts).
 */
import { basename } from 'node:path';
import type { MarketInfo, SourceName, TokenInfo } from '../core/types.ts';
import { levelsJson } from '../store/event-rows.ts';
import { RecordingStore } from '../store/recording-store.ts';
import type { TableName } from '../store/schema.ts';
import { collectFile, type Collected, type CollectedTrade, type FileReport } from './collect.ts';
import { changeKey, OccurrenceFilter, otherKey, printKey, readExisting, snapshotKey, type ExistingRows } from './existing-rows.ts';
import { UNKNOWN_MARKET, type ColumnMap } from './field-map.ts';
import { ImportError } from './import-error.ts';
import { openImportTarget } from './import-target.ts';
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
  /** `--map their_column=field` for trade rows. */
  map?: ColumnMap;
  /** How long to wait for another writer of `out` (default 30 s). */
  lockWaitMs?: number;
  /** Things worth telling the user (waiting for another writer, leftovers cleaned). */
  onNotice?: (message: string) => void;
}

export interface ImportSummary {
  out: string;
  files: FileReport[];
  /** Rows added per table by this import. */
  added: Partial<Record<TableName, number>>;
  /** Trades already present (same wallet and dedup key) in the recording or an earlier file. */
  duplicatesAcrossFiles: number;
  /** Other rows (non-TRADE activity, books, prints, resolutions, markets) already present. */
  alreadyPresent: number;
  inferredMarkets: number;
  /** Row counts of the whole recording after the import. */
  totals: Record<TableName, number>;
}

export async function importFiles(paths: string[], out: string, options: ImportOptions = {}): Promise<ImportSummary> {
  if (paths.length === 0) throw new ImportError(out, undefined, undefined, 'no input files given');
  const collected = paths.map((p) => collectFile(readSource(p, { map: options.map }), { minRepeatRows: options.minRepeatRows }));
  const target = await openImportTarget(out, { waitMs: options.lockWaitMs, onNotice: options.onNotice });
  let store: RecordingStore | undefined;
  try {
    store = await RecordingStore.open(target.tmp);
    const summary = await writeAll(store, collected, out, options);
    summary.totals = await store.counts();
    await store.close();
    store = undefined;
    target.commit();
    return summary;
  } finally {
    if (store) await store.close().catch(() => undefined);
    target.dispose();
  }
}

async function writeAll(store: RecordingStore, collected: Collected[], out: string, options: ImportOptions): Promise<ImportSummary> {
  const added: Partial<Record<TableName, number>> = {};
  const count = (t: TableName, n = 1) => (added[t] = (added[t] ?? 0) + n);
  const existing = await readExisting(store);
  resolveUnknownMarkets(collected, existing);
  let alreadyPresent = 0;

  // Trades: drop ones the recording (or an earlier file) already has, then write in time order.
  let duplicatesAcrossFiles = 0;
  const trades: { t: CollectedTrade; file: number; source: SourceName }[] = [];
  collected.forEach((c, file) => {
    for (const t of c.trades) {
      const id = `${t.trade.wallet} ${t.key}`;
      if (existing.tradeKeys.has(id)) {
        duplicatesAcrossFiles++;
        continue;
      }
      existing.tradeKeys.add(id);
      trades.push({ t, file, source: c.source });
    }
  });
  trades.sort((a, b) => a.t.tsMs - b.t.tsMs || a.file - b.file || a.t.order - b.t.order);

  // Every other kind of row: new only beyond what the recording and earlier files hold.
  const othersFilter = new OccurrenceFilter(existing.others);
  const snapsFilter = new OccurrenceFilter(existing.snapshots);
  const changesFilter = new OccurrenceFilter(existing.changes);
  const printsFilter = new OccurrenceFilter(existing.prints);
  const fresh = collected.map((c) => {
    const f = {
      others: othersFilter.newRows(c.others, (o) => otherKey(o.other)),
      snapshots: snapsFilter.newRows(c.snapshots, (e) => snapshotKey(e.tokenId, e.tsEvent, levelsJson(e.bids), levelsJson(e.asks))),
      changes: changesFilter.newRows(c.changes, (e) => changeKey(e.tokenId, e.tsEvent, e.changes)),
      prints: printsFilter.newRows(c.prints, (e) => printKey(e.tokenId, e.tsEvent, e.side, e.priceMicros, e.sizeMicros)),
    };
    alreadyPresent +=
      c.others.length -
      f.others.length +
      c.snapshots.length -
      f.snapshots.length +
      c.changes.length -
      f.changes.length +
      c.prints.length -
      f.prints.length;
    return { ...c, ...f, markets: c.markets.filter((m) => !existing.realMarkets.has(m.gamma.market.conditionId)) };
  });
  alreadyPresent += collected.reduce((n, c, i) => n + c.markets.length - fresh[i]!.markets.length, 0);

  const plan = planMarkets(
    fresh,
    trades.map((x) => x.t),
    existing.markets,
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
    const key = `${t.trade.txHash}:${t.trade.tokenId}:${t.trade.sizeMicros}:${t.trade.priceMicros}:${t.key.split('#')[1]}`;
    if (options.prints !== false && !printKeys.has(key)) {
      printKeys.add(key);
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
  const others = fresh.flatMap((c) => c.others.map((o) => ({ ...o, source: c.source }))).sort((a, b) => a.other.tsMs - b.other.tsMs);
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
  for (const e of fresh.flatMap((c) => c.snapshots).sort((a, b) => a.tsRecv - b.tsRecv)) (store.appendEvent(e), count('book_snapshots'));
  for (const e of fresh.flatMap((c) => c.changes).sort((a, b) => a.tsRecv - b.tsRecv))
    (store.appendEvent(e), count('book_changes', e.changes.length));
  for (const c of fresh) for (const e of c.prints) (store.appendEvent(e, { source: c.source }), count('trade_prints'));

  // Resolutions: tokens and last events of the recording count as much as this import's.
  const tokensByCondition = mergeTokens(existing.tokensByCondition, plan.tokensByCondition);
  const lastEventMs = new Map(existing.lastEventMs);
  for (const [k, v] of plan.lastEventMs) lastEventMs.set(k, Math.max(lastEventMs.get(k) ?? v, v));
  const endMs = [existing.endMs, plan.recordingEndMs]
    .filter((x): x is number => x !== undefined)
    .reduce((a, b) => Math.max(a, b), -Infinity);
  const resolutions = resolutionEvents(collected, tokensByCondition, lastEventMs, Number.isFinite(endMs) ? endMs : undefined);
  for (const r of resolutions) {
    const stored = existing.resolutions.get(r.event.conditionId);
    if (stored !== undefined) {
      if (!samePayouts(stored, r.event.payouts)) {
        throw new ImportError(
          r.file,
          undefined,
          'conditionId',
          `resolution of ${r.event.conditionId}: the recording already holds a different one (${stored}); nothing was written`,
        );
      }
      alreadyPresent++;
      continue;
    }
    existing.resolutions.set(r.event.conditionId, JSON.stringify(r.event.payouts));
    store.appendEvent(r.event, { source: r.source });
    count('resolutions');
  }
  await store.flush();
  // A resolution never precedes its market's last event, whichever order the files came in.
  await store.connection.run(
    `UPDATE resolutions SET ts_event = l.t + 1, ts_recv = l.t + 1
     FROM (SELECT condition_id, MAX(ts_recv) AS t FROM target_trades GROUP BY 1) l
     WHERE resolutions.condition_id = l.condition_id AND resolutions.ts_recv <= l.t`,
  );

  if (Object.keys(added).length > 0) {
    const origin = options.origin ?? `imported from ${collected.map((c) => basename(c.report.path)).join(', ')}`;
    const previous = await store.getMeta('origin');
    await store.setMeta('origin', previous ? `${previous}\n${origin}` : origin);
  }
  await store.flush();
  return {
    out,
    files: collected.map((c) => c.report),
    added,
    duplicatesAcrossFiles,
    alreadyPresent,
    inferredMarkets: plan.markets.filter((m: PlannedMarket) => m.inferred).length,
    totals: {} as Record<TableName, number>,
  };
}

/** Trades that named no market take their token's market when the import or the recording knows it. */
function resolveUnknownMarkets(collected: Collected[], existing: ExistingRows): void {
  const known = new Map(existing.conditionOfToken);
  for (const c of collected)
    for (const m of c.markets) for (const t of m.gamma.market.tokens) known.set(t.tokenId, m.gamma.market.conditionId);
  for (const c of collected)
    for (const t of c.trades) if (!t.trade.conditionId.startsWith(UNKNOWN_MARKET)) known.set(t.trade.tokenId, t.trade.conditionId);
  for (const c of collected)
    for (const t of c.trades) {
      if (!t.trade.conditionId.startsWith(UNKNOWN_MARKET)) continue;
      const conditionId = known.get(t.trade.tokenId);
      if (conditionId) t.trade = { ...t.trade, conditionId };
    }
}

function mergeTokens(a: Map<string, TokenInfo[]>, b: Map<string, TokenInfo[]>): Map<string, TokenInfo[]> {
  const out = new Map([...a].map(([k, v]) => [k, [...v]]));
  for (const [k, list] of b) {
    const into = out.get(k) ?? [];
    for (const t of list) if (!into.some((x) => x.tokenId === t.tokenId)) into.push(t);
    out.set(k, into);
  }
  return out;
}

function samePayouts(storedJson: string, payouts: Record<string, number>): boolean {
  try {
    const stored = JSON.parse(storedJson) as Record<string, number>;
    const keys = new Set([...Object.keys(stored), ...Object.keys(payouts)]);
    return [...keys].every((k) => stored[k] === undefined || payouts[k] === undefined || stored[k] === payouts[k]);
  } catch {
    return false;
  }
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
    file: string;
  }[] = [];
  const seen = new Map<string, Record<string, number>>();
  for (const c of collected) {
    for (const r of c.resolutions) {
      const payouts = payoutsOf(r, tokensByCondition.get(r.conditionId) ?? []);
      if (Object.keys(payouts).length === 0) {
        throw new ImportError(
          c.report.path,
          undefined,
          'conditionId',
          `resolution of ${r.conditionId}: no token ids known for this market; import its Gamma market or its trades (now or before), or list its tokens`,
        );
      }
      // The same resolution in two files of one command is one resolution; two different ones are an error.
      const earlier = seen.get(r.conditionId);
      if (earlier) {
        if (samePayouts(JSON.stringify(earlier), payouts)) continue;
        throw new ImportError(
          c.report.path,
          undefined,
          'conditionId',
          `resolution of ${r.conditionId} differs from the one in an earlier file`,
        );
      }
      seen.set(r.conditionId, payouts);
      // A resolution never precedes the market's last recorded event. With only a date (or no time)
      // it settles after the recording's whole tape, since the day's trading may run past it.
      const last = r.precise ? lastEventMs.get(r.conditionId) : recordingEndMs;
      const ts = last !== undefined ? Math.max(r.resolvedMs ?? 0, last + 1) : (r.resolvedMs ?? 0);
      out.push({
        event: { type: 'market_resolved', tsEvent: ts, tsRecv: ts, conditionId: r.conditionId, payouts },
        source: c.source,
        file: c.report.path,
      });
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
