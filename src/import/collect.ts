/**
 * One parsed input file → what it contributes to a recording, in memory, before anything is
 * written: target trades (pagination repeats dropped, dedup keys with occurrence numbers), non-TRADE
 * activity, market metadata, book events, prints and resolutions.
 */
import { basename } from 'node:path';
import { contentKey } from '../core/dedup.ts';
import type { BookLevelsChanged, BookSnapshotted, TradePrinted } from '../core/events.ts';
import type { SourceName, TargetTrade } from '../core/types.ts';
import { WireError } from '../polymarket/wire/fields.ts';
import { parseActivityRow, parseTradesRow, type ActivityOther } from '../polymarket/wire/data-api.ts';
import { finalPayouts, parseGammaEvent, parseGammaMarket, type GammaMarket } from '../polymarket/wire/gamma.ts';
import { parseMarketMessage, parsePriceChangeFrame } from '../polymarket/wire/clob-market.ts';
import { ImportError } from './import-error.ts';
import { findPaginationRepeats } from './pagination.ts';
import type { SourceFile, SourceRecord } from './read-source.ts';
import { parseResolutionEntry, parseResolutionFile, type ResolutionEntry } from './resolutions.ts';

export interface CollectedTrade {
  tsMs: number;
  /** Chronological position within its file (files come newest first from the API). */
  order: number;
  trade: TargetTrade;
  key: string;
  raw: string;
}

export interface FileReport {
  path: string;
  /** What the rows were: activity, trades, gamma, clob, price-change-csv, resolutions (comma-joined if mixed). */
  format: string;
  rows: number;
  repeatsDropped: number;
  /** Kept rows byte-identical to an earlier kept row of the same file (genuine identical fills). */
  identicalKept: number;
  trades: number;
  nonTrade: number;
  markets: number;
  bookSnapshots: number;
  bookChanges: number;
  prints: number;
  resolutions: number;
}

export interface Collected {
  report: FileReport;
  source: SourceName;
  trades: CollectedTrade[];
  others: { other: ActivityOther; raw: string }[];
  markets: { gamma: GammaMarket; raw: string }[];
  snapshots: BookSnapshotted[];
  changes: BookLevelsChanged[];
  prints: TradePrinted[];
  resolutions: ResolutionEntry[];
}

export interface CollectOptions {
  /** Shortest block of rows treated as a repeated page (see pagination.ts). Default 20. */
  minRepeatRows?: number;
}

export function collectFile(file: SourceFile, options: CollectOptions = {}): Collected {
  const source: SourceName = `import:${basename(file.path)}`;
  const c: Collected = {
    report: emptyReport(file),
    source,
    trades: [],
    others: [],
    markets: [],
    snapshots: [],
    changes: [],
    prints: [],
    resolutions: [],
  };
  const dataApi = file.records.filter((r) => r.kind === 'activity' || r.kind === 'trades');
  const scan = findPaginationRepeats(
    dataApi.map((r) => r.text),
    options.minRepeatRows ?? 20,
  );
  c.report.repeatsDropped = scan.dropped;
  const keptTexts = new Set<string>();
  const occurrences = new Map<string, number>();
  let dataIndex = 0;
  const formats = new Set<string>();
  for (const record of file.records) {
    formats.add(formatName(record));
    if (record.kind === 'activity' || record.kind === 'trades') {
      if (!scan.keep[dataIndex++]) continue;
      if (keptTexts.has(record.text)) c.report.identicalKept++;
      keptTexts.add(record.text);
    }
    wrap(file.path, record, () => collectRecord(c, record, occurrences));
  }
  c.report.format = [...formats].join(',');
  c.report.rows = file.records.length;
  orderChronologically(c.trades);
  return c;
}

function collectRecord(c: Collected, record: SourceRecord, occurrences: Map<string, number>): void {
  switch (record.kind) {
    case 'activity':
    case 'trades': {
      const parsed = record.kind === 'activity' ? parseActivityRow(record.value) : parseTradesRow(record.value);
      if (parsed.kind === 'other') {
        c.others.push({ other: parsed, raw: record.text });
        c.report.nonTrade++;
        return;
      }
      const ck = contentKey(parsed.trade);
      const n = (occurrences.get(ck) ?? 0) + 1;
      occurrences.set(ck, n);
      c.trades.push({ tsMs: parsed.tsMs, order: c.trades.length, trade: parsed.trade, key: `${ck}#${n}`, raw: record.text });
      c.report.trades++;
      return;
    }
    case 'positions':
      throw new ImportError(
        c.report.path,
        record.line,
        undefined,
        'a /positions snapshot is not history: recordings hold trades, markets, books and resolutions',
      );
    case 'gamma-market':
      addMarket(c, parseGammaMarket(record.value), record.text);
      return;
    case 'gamma-event':
      for (const m of parseGammaEvent(record.value)) addMarket(c, m, JSON.stringify(m.market));
      return;
    case 'gamma-wrapped':
      addMarket(c, parseWrapped(record.value), record.text);
      return;
    case 'clob-frame':
      for (const e of parseMarketMessage(record.value)) {
        if (e.type === 'book_snapshot') (c.snapshots.push(e), c.report.bookSnapshots++);
        else if (e.type === 'book_change') (c.changes.push(e), (c.report.bookChanges += e.changes.length));
        else if (e.type === 'trade_print') (c.prints.push(e), c.report.prints++);
      }
      return;
    case 'price-change-csv': {
      const v = record.value as Record<string, string>;
      const ts = parseCaptureTime(v.timestamp ?? '');
      if (ts === undefined)
        throw new WireError(
          `price_change row: field "timestamp": expected a time like 2025-01-25 18:15:47.925 +0100 (got ${JSON.stringify(v.timestamp)})`,
          'timestamp',
        );
      let changes: unknown;
      try {
        changes = JSON.parse(v.changes ?? '');
      } catch {
        throw new WireError(`price_change row: field "changes": expected a JSON list of {side,size,price}`, 'changes');
      }
      for (const e of parsePriceChangeFrame({ asset_id: v.asset_id, timestamp: ts, changes }).events) {
        c.changes.push(e);
        c.report.bookChanges += e.changes.length;
      }
      return;
    }
    case 'resolution':
      c.resolutions.push(parseResolutionEntry(record.value));
      c.report.resolutions++;
      return;
    case 'resolution-file': {
      const entries = parseResolutionFile(record.value);
      c.resolutions.push(...entries);
      c.report.resolutions += entries.length;
      return;
    }
  }
}

function addMarket(c: Collected, gamma: GammaMarket, raw: string): void {
  c.markets.push({ gamma, raw });
  c.report.markets++;
  if (gamma.payouts) {
    c.resolutions.push({
      conditionId: gamma.market.conditionId,
      winningOutcome: '',
      tokens: gamma.market.tokens.map((t) => ({ tokenId: t.tokenId, outcome: t.outcome, payoutMicros: gamma.payouts![t.tokenId] })),
      resolvedMs: gamma.resolvedMs,
      precise: gamma.resolvedMs !== undefined,
    });
    c.report.resolutions++;
  }
}

/** Vendor rows `{condition_id, token_ids, outcome_prices, resolved, raw}`: the Gamma object is in `raw`. */
function parseWrapped(value: unknown): GammaMarket {
  const v = value as { raw?: unknown; token_ids?: unknown; outcome_prices?: unknown; resolved?: unknown; end_sec?: unknown };
  if (v.raw === undefined || v.raw === null) throw new WireError('market row: field "raw": missing (the Gamma market object)', 'raw');
  let gamma: GammaMarket;
  try {
    gamma = parseGammaMarket(v.raw);
  } catch (err) {
    if (err instanceof WireError) throw new WireError(err.message, `raw.${err.field}`);
    throw err;
  }
  if (!gamma.payouts && v.resolved === true && Array.isArray(v.token_ids) && Array.isArray(v.outcome_prices)) {
    const payouts = finalPayouts(v.token_ids.map(String), v.outcome_prices.map(String));
    if (payouts) {
      gamma.payouts = payouts;
      gamma.resolvedMs ??= typeof v.end_sec === 'number' ? v.end_sec * 1000 : undefined;
    }
  }
  return gamma;
}

/** "2025-01-25 18:15:47.925 +0100" (the capture's format), ISO strings or epoch ms → ms. */
export function parseCaptureTime(text: string): number | undefined {
  const t = text.trim();
  if (/^\d{12,14}$/.test(t)) return Number(t);
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d+)?)\s*(Z|[+-]\d{2}:?\d{2})?$/.exec(t);
  if (!m) return undefined;
  const zone = m[3] === undefined || m[3] === 'Z' ? 'Z' : m[3].replace(/^([+-]\d{2})(\d{2})$/, '$1:$2');
  const ms = Date.parse(`${m[1]}T${m[2]}${zone}`);
  return Number.isFinite(ms) ? ms : undefined;
}

function orderChronologically(trades: CollectedTrade[]): void {
  if (trades.length < 2) return;
  const descending = trades[0]!.tsMs > trades[trades.length - 1]!.tsMs;
  trades.forEach((t, i) => (t.order = descending ? trades.length - 1 - i : i));
  trades.sort((a, b) => a.tsMs - b.tsMs || a.order - b.order);
}

function wrap(path: string, record: SourceRecord, fn: () => void): void {
  try {
    fn();
  } catch (err) {
    if (err instanceof WireError) throw new ImportError(path, record.line, err.field, err.message);
    if (err instanceof ImportError) throw err;
    const e = err as Error & { field?: string };
    throw new ImportError(path, record.line, e.field, e.message);
  }
}

function formatName(r: SourceRecord): string {
  if (r.kind.startsWith('gamma')) return 'gamma';
  if (r.kind.startsWith('resolution')) return 'resolutions';
  return r.kind;
}

function emptyReport(file: SourceFile): FileReport {
  return {
    path: file.path,
    format: '',
    rows: 0,
    repeatsDropped: 0,
    identicalKept: 0,
    trades: 0,
    nonTrade: 0,
    markets: 0,
    bookSnapshots: 0,
    bookChanges: 0,
    prints: 0,
    resolutions: 0,
  };
}
