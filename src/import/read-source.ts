/**
 * Reads one input file and classifies each record by its content (extension only decides how to
 * split it: CSV, a JSON document, or JSON lines; `.gz` is gunzipped first).
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { CsvSyntaxError, parseCsv } from './csv.ts';
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

export function readSource(path: string): SourceFile {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new ImportError(path, undefined, undefined, `cannot read: ${(err as Error).message}`);
  }
  const gz = /\.gz$/i.test(path) || (bytes[0] === 0x1f && bytes[1] === 0x8b);
  const text = (gz ? gunzipSync(bytes) : bytes).toString('utf8');
  const name = path.replace(/\.gz$/i, '').toLowerCase();
  const trimmed = text.trimStart();
  if (name.endsWith('.csv') || (!name.endsWith('.json') && !name.endsWith('.jsonl') && !/^[[{]/.test(trimmed))) {
    return { path, container: 'csv', records: readCsv(path, text) };
  }
  if (name.endsWith('.jsonl') || name.endsWith('.ndjson')) return { path, container: 'jsonl', records: readJsonLines(path, text) };
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    // A .json file that is really JSON lines.
    if (text.trim().includes('\n')) return { path, container: 'jsonl', records: readJsonLines(path, text) };
    throw new ImportError(path, undefined, undefined, `not valid JSON: ${(err as Error).message}`);
  }
  return { path, container: 'json', records: fromDocument(path, doc, text) };
}

function readCsv(path: string, text: string): SourceRecord[] {
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
    throw new ImportError(
      path,
      1,
      undefined,
      `unrecognised CSV columns (${table.header.slice(0, 8).join(',')}...): expected Data API /activity or /trades columns, or a price_change capture (id,asset_id,market,timestamp,hash,changes)`,
    );
  }
  return table.records.map((r) => ({ kind, line: r.line, text: r.text, value: r.values }));
}

function readJsonLines(path: string, text: string): SourceRecord[] {
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
    const items = Array.isArray(value) ? value : [value];
    for (const item of items)
      out.push({
        kind: classify(path, i + 1, item),
        line: i + 1,
        text: Array.isArray(value) ? JSON.stringify(item) : lineText,
        value: item,
      });
  });
  return out;
}

function fromDocument(path: string, doc: unknown, text: string): SourceRecord[] {
  if (Array.isArray(doc)) {
    const lines = arrayElementLines(text);
    return doc.map((item, i) => ({ kind: classify(path, lines[i], item), line: lines[i], text: JSON.stringify(item), value: item }));
  }
  return [{ kind: classify(path, 1, doc), line: 1, text, value: doc }];
}

function classify(path: string, line: number | undefined, v: unknown): RecordKind {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new ImportError(path, line, undefined, 'expected a JSON object');
  const o = v as Record<string, unknown>;
  const has = (k: string) => k in o;
  if (has('proxyWallet') && has('avgPrice')) return 'positions';
  if (has('proxyWallet') && has('type')) return 'activity';
  if (has('proxyWallet') && has('transactionHash')) return 'trades';
  if (has('event_type') || (has('bids') && has('asks')) || has('changes') || has('price_changes')) return 'clob-frame';
  if (has('clobTokenIds')) return 'gamma-market';
  if (has('condition_id') && has('token_ids')) return 'gamma-wrapped';
  if (has('winningOutcome') && has('conditionId')) return 'resolution';
  if (Array.isArray(o.markets)) {
    const first = o.markets[0] as Record<string, unknown> | undefined;
    return first && 'winningOutcome' in first ? 'resolution-file' : 'gamma-event';
  }
  throw new ImportError(
    path,
    line,
    undefined,
    `unrecognised record (keys: ${Object.keys(o).slice(0, 8).join(', ')}): expected Data API activity/trades rows, Gamma markets/events, CLOB book/price_change frames or resolutions`,
  );
}
