/**
 * Replays a real Data API `/trades` tape (CSV) as fills of its wallets, time-compressed. Markets of the
 * tape are created on the fly (tradable, so makers can quote them and a copier can follow).
 */
import { readFileSync } from 'node:fs';
import { toMicros } from '../../core/money.ts';
import type { SandboxContext } from '../context.ts';
import type { SandboxMarket } from '../exchange/types.ts';
import type { Scenario } from '../scenario.ts';
import { addressFor, tokenIdFor } from '../world.ts';

export interface TapeRow {
  proxyWallet: string;
  side: 'BUY' | 'SELL';
  asset: string;
  conditionId: string;
  size: string;
  price: string;
  timestamp: number;
  title: string;
  slug: string;
  eventSlug: string;
  outcome: string;
  outcomeIndex: number;
  name: string;
  pseudonym: string;
  transactionHash: string;
}

/** Minimal RFC-4180 CSV parsing (quoted fields may hold commas and doubled quotes). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') ((field += '"'), i++);
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') (row.push(field), (field = ''));
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      if (row.some((f) => f !== '')) rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

/** Reads a tape; drops the offset-cap page repeats (identical lines) and sorts oldest first. */
export function readTape(path: string): TapeRow[] {
  const text = readFileSync(path, 'utf8');
  const lines = [...new Set(text.split(/\r?\n/).slice(1).filter(Boolean))];
  const [header] = parseCsv(text.split(/\r?\n/, 1)[0] + '\n');
  const rows = parseCsv(lines.join('\n') + '\n');
  const col = (name: string) => header!.indexOf(name);
  const need = ['proxyWallet', 'side', 'asset', 'conditionId', 'size', 'price', 'timestamp'];
  for (const n of need) if (col(n) < 0) throw new Error(`tape ${path}: missing column "${n}"`);
  const get = (r: string[], n: string) => (col(n) >= 0 ? (r[col(n)] ?? '') : '');
  return rows
    .map((r) => ({
      proxyWallet: get(r, 'proxyWallet').toLowerCase(),
      side: get(r, 'side') === 'SELL' ? ('SELL' as const) : ('BUY' as const),
      asset: get(r, 'asset'),
      conditionId: get(r, 'conditionId'),
      size: get(r, 'size'),
      price: get(r, 'price'),
      timestamp: Number(get(r, 'timestamp')),
      title: get(r, 'title'),
      slug: get(r, 'slug'),
      eventSlug: get(r, 'eventSlug'),
      outcome: get(r, 'outcome'),
      outcomeIndex: Number(get(r, 'outcomeIndex') || 0),
      name: get(r, 'name'),
      pseudonym: get(r, 'pseudonym'),
      transactionHash: get(r, 'transactionHash'),
    }))
    .sort((a, b) => a.timestamp - b.timestamp);
}

export class TapeReplay {
  private readonly timers = new Set<NodeJS.Timeout>();
  emitted = 0;

  constructor(
    private readonly ctx: SandboxContext,
    private readonly scenario: Scenario,
  ) {}

  start(): void {
    const spec = this.scenario.tape;
    if (!spec) return;
    const wallets = spec.wallets ? new Set(spec.wallets.map((w) => w.toLowerCase())) : undefined;
    let rows = readTape(spec.file).filter((r) => !wallets || wallets.has(r.proxyWallet));
    if (spec.limit) rows = rows.slice(0, spec.limit);
    if (rows.length === 0) return;
    const t0 = rows[0]!.timestamp;
    const counterparty = addressFor(`tape-counterparty:${this.scenario.seed}`);
    for (const row of rows) {
      const t = setTimeout(
        () => {
          this.timers.delete(t);
          this.emit(row, counterparty);
        },
        ((row.timestamp - t0) * 1000) / spec.speed,
      );
      t.unref();
      this.timers.add(t);
    }
  }

  private marketOf(row: TapeRow): SandboxMarket {
    const ex = this.ctx.exchange;
    const known = ex.markets.get(row.conditionId);
    const idx = row.outcomeIndex === 1 ? 1 : 0;
    if (known) {
      // The tape may reveal the real id of a token we had to invent.
      if (known.tokenIds[idx] !== row.asset && !ex.tokenIndex.has(row.asset)) {
        ex.tokenIndex.delete(known.tokenIds[idx]);
        ex.books.delete(known.tokenIds[idx]);
        known.tokenIds[idx] = row.asset;
        ex.addMarket(known);
      }
      return known;
    }
    const other = tokenIdFor(`tape-token:${row.conditionId}:${1 - idx}`);
    const outcomes: [string, string] = idx === 0 ? [row.outcome || 'Yes', 'No'] : ['Yes', row.outcome || 'No'];
    const tokenIds: [string, string] = idx === 0 ? [row.asset, other] : [other, row.asset];
    const n = ex.markets.size;
    const m: SandboxMarket = {
      id: String(700_000 + n),
      conditionId: row.conditionId,
      questionId: row.conditionId,
      slug: row.slug || row.conditionId,
      question: row.title || row.slug,
      eventId: String(80_000 + (row.eventSlug.length % 1000)),
      eventSlug: row.eventSlug || row.slug,
      eventTitle: row.eventSlug || row.title,
      outcomes,
      tokenIds,
      tickMicros: 1_000,
      minOrderSizeMicros: 5_000_000,
      negRisk: true,
      feeRate: 0,
      feeExponent: 1,
      createdAtMs: this.ctx.now(),
      endDateIso: new Date(this.ctx.now() + 86_400_000).toISOString(),
      status: 'open',
      fairMicros: 500_000,
      volatility: 0,
      tradable: true,
    };
    ex.addMarket(m);
    return m;
  }

  private emit(row: TapeRow, counterparty: string): void {
    const ex = this.ctx.exchange;
    const m = this.marketOf(row);
    const idx: 0 | 1 = m.tokenIds[1] === row.asset ? 1 : 0;
    const price = Math.min(999_000, Math.max(1_000, toMicros(row.price)));
    m.fairMicros = idx === 0 ? price : 1_000_000 - price;
    const acct = ex.accounts.get(row.proxyWallet);
    if (row.name && !acct.name) acct.name = row.name;
    if (row.pseudonym) acct.pseudonym = row.pseudonym;
    ex.accounts.get(counterparty).unlimited = true;
    ex.recordExternalFill({
      tsMs: this.ctx.now(),
      conditionId: m.conditionId,
      tokenId: row.asset,
      outcome: m.outcomes[idx],
      outcomeIndex: idx,
      priceMicros: price,
      sizeMicros: toMicros(row.size),
      takerSide: row.side,
      takerAddress: row.proxyWallet,
      takerOrderId: ex.hash32('tape-order'),
      takerOwner: 'tape',
      makerAddress: counterparty,
      makerOrderId: ex.hash32('tape-order'),
      makerOwner: 'tape',
      feeMicros: 0,
      feeRateBps: 0,
      txHash: row.transactionHash || ex.hash32('tape-tx'),
      source: 'tape',
    });
    this.emitted += 1;
  }

  stop(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
