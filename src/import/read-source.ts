/**
 * Reads one input file and classifies each record by its content (extension only decides how to
 * split it: CSV, a JSON document, or JSON lines; `.gz` is gunzipped first).
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { CsvSyntaxError, parseCsv } from './csv.ts';
import { columnsOf, missingFields, normalizeTradeRow, TRADE_FIELDS, type ColumnMap, type TradeField } from './field-map.ts';
import { ImportError } from './import-error.ts';
import { arrayElementLines } from './json-lines.ts';

export type RecordKind =
  | 'activity'
  | 'trades'
  | 'positions'
  | 'gamma-market'
  | 'gamma-event'
  | 'gamma-wrapped'
  | 'clob-frame'
  | 'price-change-csv'
  | 'resolution'
  | 'resolution-file';

export interface SourceRecord {
  kind: RecordKind;
  line: number | undefined;
  /** The record's exact text (for pagination-repeat detection). */
  text: string;
  value: unknown;
}

export interface SourceFile {
  path: string;
  container: 'csv' | 'json' | 'jsonl';
  records: SourceRecord[];
}

export interface ReadOptions {
  /** `--map their_column=field` for trade rows. */
  map?: ColumnMap;
}

export function readSource(path: string, options: ReadOptions = {}): SourceFile {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder, not a file' : (err as Error).message;
    throw new ImportError(path, undefined, undefined, `cannot read: ${why}`);
  }
  const text = decode(path, bytes);
  const map = options.map ?? new Map();
  const name = path.replace(/\.gz$/i, '').toLowerCase();
  const trimmed = text.trimStart();
  if (name.endsWith('.csv') || (!name.endsWith('.json') && !name.endsWith('.jsonl') && !/^[[{]/.test(trimmed))) {
    return { path, container: 'csv', records: readCsv(path, text, map) };
  }
  if (name.endsWith('.jsonl') || name.endsWith('.ndjson')) return { path, container: 'jsonl', records: readJsonLines(path, text, map) };
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    // A .json file that is really JSON lines.
    if (text.trim().includes('\n')) return { path, container: 'jsonl', records: readJsonLines(path, text, map) };
    throw new ImportError(path, undefined, undefined, `not valid JSON: ${(err as Error).message}`);
  }
  return { path, container: 'json', records: fromDocument(path, doc, text, map) };
}

/** Gunzips `.gz` files (and gzip bytes under any name); a damaged archive is a message, not a crash. */
function decode(path: string, bytes: Buffer): string {
  const gzMagic = bytes[0] === 0x1f && bytes[1] === 0x8b;
  if (!/\.gz$/i.test(path) && !gzMagic) return bytes.toString('utf8');
  if (!gzMagic) throw new ImportError(path, undefined, undefined, 'named .gz but it is not gzip data; rename it or compress it with gzip');
  try {
    return gunzipSync(bytes).toString('utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'Z_BUF_ERROR' || /unexpected end/i.test((err as Error).message)
        ? 'the archive is truncated'
        : `the archive is damaged (${(err as Error).message})`;
    throw new ImportError(path, undefined, undefined, `cannot decompress: ${why}`);
  }
}

function readCsv(path: string, text: string, map: ColumnMap): SourceRecord[] {
  let table;
  try {
    table = parseCsv(text);
  } catch (err) {
    if (err instanceof CsvSyntaxError) throw new ImportError(path, err.line, undefined, err.message);
    throw err;
  }
  const h = new Set(table.header);
  let kind: RecordKind;
  if (h.has('changes') && h.has('asset_id')) kind = 'price-change-csv';
  else if (h.has('proxyWallet') && h.has('avgPrice')) kind = 'positions';
  else if (h.has('proxyWallet') && h.has('type')) kind = 'activity';
  else if (h.has('proxyWallet') && h.has('transactionHash')) kind = 'trades';
  else {
    const missing = missingFields(columnsOf(table.header, map));
    if (missing.length > 0) {
      throw new ImportError(
        path,
        1,
        undefined,
        `cannot import these CSV columns (${table.header.slice(0, 10).join(',')}${table.header.length > 10 ? ',…' : ''}): ${missingText(missing)}. ` +
          'Also accepted: Data API /activity or /trades exports, a price_change capture (id,asset_id,market,timestamp,hash,changes)',
      );
    }
    kind = table.header.includes('type') || [...map.values()].includes('type') ? 'activity' : 'trades';
  }
  const columns = columnsOf(table.header, map);
  const tradeLike = kind === 'activity' || kind === 'trades';
  return table.records.map((r) => ({
    kind,
    line: r.line,
    text: r.text,
    value: tradeLike ? normalizeTradeRow(r.values, columns) : r.values,
  }));
}

/** "missing fields: wallet (proxyWallet, proxy_wallet, …), time (…)" plus how to map them. */
export function missingText(missing: TradeField[]): string {
  const list = missing.map((f) => `${f} (${TRADE_FIELDS[f].slice(0, 4).join(', ')}${TRADE_FIELDS[f].length > 4 ? ', …' : ''})`).join(', ');
  return `missing fields: ${list}; name your columns so, or map them with --map their_column=field`;
}

function readJsonLines(path: string, text: string, map: ColumnMap): SourceRecord[] {
  const out: SourceRecord[] = [];
  text.split('\n').forEach((raw, i) => {
    const lineText = raw.trim();
    if (lineText === '') return;
    let value: unknown;
    try {
      value = JSON.parse(lineText);
    } catch (err) {
      throw new ImportError(path, i + 1, undefined, `not valid JSON: ${(err as Error).message}`);
    }
    const page = unwrapPage(value);
    const items = page ?? (Array.isArray(value) ? value : [value]);
    for (const item of items) {
      const c = classify(path, i + 1, item, map);
      out.push({ kind: c.kind, line: i + 1, text: page || Array.isArray(value) ? JSON.stringify(item) : lineText, value: c.value });
    }
  });
  return out;
}

function fromDocument(path: string, doc: unknown, text: string, map: ColumnMap): SourceRecord[] {
  const page = unwrapPage(doc);
  if (page) {
    // A Data API v2 page: `{data: [...], pagination}`; lines point at the wrapper.
    return page.map((item) => ({ ...classify(path, undefined, item, map), line: undefined, text: JSON.stringify(item) }));
  }
  if (Array.isArray(doc)) {
    const lines = arrayElementLines(text);
    return doc.map((item, i) => ({ ...classify(path, lines[i], item, map), line: lines[i], text: JSON.stringify(item) }));
  }
  return [{ ...classify(path, 1, doc, map), line: 1, text }];
}

/** The rows of a Data API v2 response (`{data: [...], pagination|next_cursor|...}`), else undefined. */
function unwrapPage(doc: unknown): unknown[] | undefined {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return undefined;
  const o = doc as Record<string, unknown>;
  if (!Array.isArray(o.data)) return undefined;
  const others = Object.keys(o).filter((k) => k !== 'data');
  return others.every((k) => /^(pagination|next_cursor|nextCursor|cursor|count|limit|offset|total|has_more|hasMore)$/.test(k))
    ? o.data
    : undefined;
}

function classify(path: string, line: number | undefined, v: unknown, map: ColumnMap): { kind: RecordKind; value: unknown } {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new ImportError(path, line, undefined, 'expected a JSON object');
  const o = v as Record<string, unknown>;
  const has = (k: string) => k in o;
  const as = (kind: RecordKind) => ({ kind, value: v });
  if (has('proxyWallet') && has('avgPrice')) return as('positions');
  if (map.size === 0) {
    if (has('event_type') || (has('bids') && has('asks')) || has('changes') || has('price_changes')) return as('clob-frame');
    if (has('clobTokenIds')) return as('gamma-market');
    if (has('condition_id') && has('token_ids')) return as('gamma-wrapped');
    if (has('winningOutcome') && has('conditionId')) return as('resolution');
    if (Array.isArray(o.markets)) {
      const first = o.markets[0] as Record<string, unknown> | undefined;
      return as(first && 'winningOutcome' in first ? 'resolution-file' : 'gamma-event');
    }
  }
  const keys = Object.keys(o);
  const columns = columnsOf(keys, map);
  const known = has('proxyWallet') && (has('type') || has('transactionHash'));
  const missing = missingFields(columns);
  if (!known && missing.length > 0) {
    throw new ImportError(
      path,
      line,
      undefined,
      `cannot import a record with keys ${keys.slice(0, 10).join(', ')}${keys.length > 10 ? ', …' : ''}: ${missingText(missing)}. ` +
        'Also accepted: Gamma markets/events, CLOB book/price_change frames, resolutions',
    );
  }
  const type = columns.type === undefined ? undefined : o[columns.type];
  return { kind: type === undefined ? 'trades' : 'activity', value: normalizeTradeRow(o, columns) };
}
