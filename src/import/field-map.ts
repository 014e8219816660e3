/**
 * Trade rows as people actually have them: the Data API's own names (v1 camelCase or v2 snake_case),
 * common synonyms (`wallet`, `token_id`, `qty`, `tx_hash`...), or any name mapped with
 * `--map their_column=field`. A row is a trade when the minimal fields are there — wallet, token,
 * side, size, price, time — and it is rewritten to the Data API v1 shape the wire parsers read.
 * Times may be unix seconds, unix milliseconds or ISO 8601 (no zone = UTC). A row without a
 * transaction hash gets `no-tx:<time ms>` in its place, so identical rows are told apart by content,
 * time and occurrence, and importing the same file again finds the same keys.
 */
import { ImportError } from './import-error.ts';

/** The fields a trade row can have, each with the names it is recognised by (first = canonical). */
export const TRADE_FIELDS = {
  wallet: ['proxyWallet', 'proxy_wallet', 'wallet', 'user', 'address', 'trader'],
  token: ['asset', 'asset_id', 'assetId', 'token', 'token_id', 'tokenId', 'clobTokenId', 'clob_token_id'],
  side: ['side'],
  size: ['size', 'shares', 'qty', 'quantity'],
  price: ['price', 'px'],
  time: ['timestamp', 'time', 'ts', 'datetime', 'date', 'created_at', 'createdAt', 'match_time', 'matchTime'],
  tx: ['transactionHash', 'transaction_hash', 'txHash', 'tx_hash', 'tx'],
  market: ['conditionId', 'condition_id', 'market', 'market_id'],
  type: ['type'],
  usdc: ['usdcSize', 'usdc_size', 'usdc', 'notional'],
  outcome: ['outcome'],
  outcomeIndex: ['outcomeIndex', 'outcome_index'],
  slug: ['slug'],
  eventSlug: ['eventSlug', 'event_slug'],
  title: ['title'],
} as const;

export type TradeField = keyof typeof TRADE_FIELDS;
export const MINIMAL_FIELDS: TradeField[] = ['wallet', 'token', 'side', 'size', 'price', 'time'];

/** `their_column → field` from `--map` (field: a TRADE_FIELDS key or any of its names). */
export type ColumnMap = Map<string, TradeField>;

export function parseColumnMap(specs: string[] = []): ColumnMap {
  const map: ColumnMap = new Map();
  for (const spec of specs) {
    const m = /^([^=]+)=([^=]+)$/.exec(spec.trim());
    const field = m ? fieldNamed(m[2]!.trim()) : undefined;
    if (!m || !field) {
      throw new ImportError(
        '--map',
        undefined,
        undefined,
        `"${spec}": expected their_column=field, field one of ${Object.keys(TRADE_FIELDS).join(', ')} (or a Data API name such as proxyWallet)`,
      );
    }
    map.set(m[1]!.trim(), field);
  }
  return map;
}

function fieldNamed(name: string): TradeField | undefined {
  if (name in TRADE_FIELDS) return name as TradeField;
  for (const [field, names] of Object.entries(TRADE_FIELDS)) if ((names as readonly string[]).includes(name)) return field as TradeField;
  return undefined;
}

/** Finds each field's column: a `--map` entry first, then the canonical name, then the synonyms in order. */
export function columnsOf(keys: readonly string[], map: ColumnMap): Partial<Record<TradeField, string>> {
  const out: Partial<Record<TradeField, string>> = {};
  for (const [their, field] of map) if (keys.includes(their)) out[field] = their;
  for (const [field, names] of Object.entries(TRADE_FIELDS) as [TradeField, readonly string[]][]) {
    if (out[field] !== undefined) continue;
    const hit = names.find((n) => keys.includes(n));
    if (hit !== undefined) out[field] = hit;
  }
  return out;
}

/** Missing minimal fields for these columns (empty: the rows can be read as trades). */
export function missingFields(columns: Partial<Record<TradeField, string>>): TradeField[] {
  return MINIMAL_FIELDS.filter((f) => columns[f] === undefined);
}

/**
 * One row with every field under its Data API name (when it was under a synonym or a mapped column),
 * its time as unix seconds or ms, and, for trades, a stand-in transaction hash and market when it has
 * none. Other keys are kept as they are.
 */
export function normalizeTradeRow(row: Record<string, unknown>, columns: Partial<Record<TradeField, string>>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...row };
  for (const [field, column] of Object.entries(columns) as [TradeField, string][]) {
    const canonical = TRADE_FIELDS[field][0];
    // A synonym stands in for an absent canonical name; a --map entry wins over what is there.
    if (column !== canonical) out[canonical] = row[column];
  }
  if (out.timestamp !== undefined) out.timestamp = timeValue(out.timestamp);
  const type = out.type;
  const isTrade = type === undefined || type === null || type === '' || String(type).toUpperCase() === 'TRADE';
  if (isTrade && blank(out.transactionHash) && out.timestamp !== undefined)
    out.transactionHash = `no-tx:${timeMsOf(out.timestamp) ?? String(out.timestamp)}`;
  if (isTrade && blank(out.conditionId) && !blank(out.asset)) out.conditionId = `${UNKNOWN_MARKET}${String(out.asset)}`;
  return out;
}

function blank(v: unknown): boolean {
  return v === undefined || v === null || String(v).trim() === '';
}

/** conditionId of a row that named none; import resolves it from the token's known market, if any. */
export const UNKNOWN_MARKET = 'token-market:';

/**
 * Unix seconds as given; unix ms and ISO 8601 become ms (a number ≥ 1e11). ISO without a zone is UTC.
 * Anything else is passed on unchanged for the wire parser to reject with its own message.
 */
function timeValue(v: unknown): unknown {
  if (typeof v === 'string') {
    const t = v.trim();
    if (/^-?\d+(\.\d+)?$/.test(t)) return timeValue(Number(t));
    const m = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?))?\s*(Z|[+-]\d{2}:?\d{2})?$/i.exec(t);
    if (!m) return v;
    const zone = m[3] === undefined || m[3].toUpperCase() === 'Z' ? 'Z' : m[3].replace(/^([+-]\d{2})(\d{2})$/, '$1:$2');
    const ms = Date.parse(`${m[1]}T${m[2] ?? '00:00:00'}${zone}`);
    return Number.isFinite(ms) ? ms : v;
  }
  return v;
}

function timeMsOf(v: unknown): number | undefined {
  if (typeof v !== 'number' || !Number.isFinite(v)) return undefined;
  return v >= 1e11 ? Math.round(v) : Math.round(v * 1000);
}
