/**
 * How much of a target's trading in one transaction has been copied already, whatever the granularity a
 * source reports it in. On Polygon a taker's own OrderFilled event totals the whole match (one event for
 * the order), while the Data API and RTDS list that match per maker fill (one row per price level): the
 * same 319 shares arrive as one chain event of 319 at the average price and as rows of 103 and 216.
 * Content keys cannot join those, so dedup also keeps, per wallet, transaction, token and side, views of
 * the group, each a set of distinct fills (keys) with their summed size and collateral:
 *
 * - `rows`: every per-fill report from any source (RTDS, Data API, the chain's maker-side events), joined
 *   by key, so two sources that each saw a different row add up;
 * - one view per source: its own reports, totals included (the chain's view is complete once its
 *   block is read: every log of a transaction is in one block).
 *
 * What was passed on (`copied`) is the largest view. A report that makes a view larger than `copied`
 * passes on only the excess (the whole fill when nothing covered it yet); otherwise it adds nothing new.
 * The copied total of a group is never the sum over sources. docs/feeds.md ("One fill, three sources").
 * Groups are per wallet: a maker and a taker both followed, or two makers of one taker, never share one.
 */
import { mulDiv } from './money.ts';
import type { TargetTrade } from './types.ts';

interface SourceSum {
  keys: Set<string>;
  size: number;
  usdc: number;
}

interface Group {
  copiedSize: number;
  copiedUsdc: number;
  rows: SourceSum;
  bySource: Map<string, SourceSum>;
  ts: number;
}

export type Coverage =
  | { kind: 'new'; trade: TargetTrade }
  /** Already counted by another source's report of this transaction. */
  | { kind: 'covered' };

const groupKey = (t: TargetTrade) => `${t.wallet.toLowerCase()}|${t.txHash.toLowerCase()}|${t.tokenId}|${t.side}`;
/** Keys name the wallet (`wallet` '' for a legacy key written before they did: it counts for every wallet). */
const floorKey = (wallet: string, tx: string, tokenId: string, side: string) => `${wallet}|${tx}|${tokenId}|${side}`;

export class TxCoverage {
  private readonly groups = new Map<string, Group>();
  /**
   * Restored after a restart from keys alone, per wallet, tx, token and side: the copied size
   * (every decided key) and the decided keys that name one reported fill (`rows`), which a new group's
   * rows view starts with.
   */
  private readonly floors = new Map<string, { size: number; usdc: number; rows: SourceSum }>();

  /**
   * Counts one fill (its dedup key) from one source; `total` marks a report that sums the target's whole
   * order in the transaction (the chain's taker event). `known` means the key itself was passed on before
   * (by this source or another): it still counts toward the views.
   */
  note(source: string, key: string, trade: TargetTrade, tsEvent: number, known: boolean, total = false): Coverage {
    const gk = groupKey(trade);
    let group = this.groups.get(gk);
    if (!group) {
      const [tx, wallet] = [trade.txHash.toLowerCase(), trade.wallet.toLowerCase()];
      const floor =
        this.floors.get(floorKey(wallet, tx, trade.tokenId, trade.side)) ?? this.floors.get(floorKey('', tx, trade.tokenId, trade.side));
      const rows = floor ? { keys: new Set(floor.rows.keys), size: floor.rows.size, usdc: floor.rows.usdc } : emptySum();
      group = { copiedSize: floor?.size ?? 0, copiedUsdc: floor?.usdc ?? 0, rows, bySource: new Map(), ts: tsEvent };
      this.groups.set(gk, group);
    }
    let own = group.bySource.get(source);
    if (!own) {
      own = emptySum();
      group.bySource.set(source, own);
    }
    add(own, key, trade.sizeMicros, trade.usdcMicros);
    if (!total) add(group.rows, key, trade.sizeMicros, trade.usdcMicros);
    const widest = own.size > group.rows.size ? own : group.rows;
    if (known || widest.size <= group.copiedSize) {
      if (widest.size > group.copiedSize) this.raise(group, widest);
      return { kind: 'covered' };
    }
    const excessSize = widest.size - group.copiedSize;
    const excessUsdc = widest.usdc - group.copiedUsdc;
    this.raise(group, widest);
    if (excessSize === trade.sizeMicros) return { kind: 'new', trade };
    // Part of this report was copied from another report of the transaction: pass on the rest at its own average price.
    const priceMicros =
      excessUsdc > 0 ? Math.min(1_000_000, Math.max(1, mulDiv(excessUsdc, 1_000_000, excessSize, 'nearest'))) : trade.priceMicros;
    return { kind: 'new', trade: { ...trade, sizeMicros: excessSize, usdcMicros: Math.max(0, excessUsdc), priceMicros } };
  }

  /**
   * A key decided by an earlier process: its size adds to the copied floor of its transaction group. A key
   * naming one reported fill (not `aggregate`: a chain total or a part) also starts the group's rows view,
   * so a fill of the transaction that was not decided before the restart (read again after a crash) adds
   * to the fills decided beside it and passes on whole, rather than being measured against them alone.
   */
  restore(key: string, aggregate = false): void {
    const parsed = parseKey(key);
    if (!parsed) return;
    const fk = floorKey(parsed.wallet, parsed.tx, parsed.tokenId, parsed.side);
    const f = this.floors.get(fk) ?? { size: 0, usdc: 0, rows: emptySum() };
    const usdc = mulDiv(parsed.sizeMicros, parsed.priceMicros, 1_000_000, 'nearest');
    if (!aggregate && !f.rows.keys.has(key)) add(f.rows, key, parsed.sizeMicros, usdc);
    f.size += parsed.sizeMicros;
    f.usdc += usdc;
    this.floors.set(fk, f);
  }

  prune(cutoffMs: number): void {
    for (const [k, g] of this.groups) if (g.ts < cutoffMs) this.groups.delete(k);
  }

  private raise(group: Group, sum: SourceSum): void {
    group.copiedSize = sum.size;
    group.copiedUsdc = sum.usdc;
  }
}

function emptySum(): SourceSum {
  return { keys: new Set(), size: 0, usdc: 0 };
}

function add(sum: SourceSum, key: string, sizeMicros: number, usdcMicros: number): void {
  if (sum.keys.has(key)) return;
  sum.keys.add(key);
  sum.size += sizeMicros;
  sum.usdc += usdcMicros;
}

export interface KeyParts {
  tx: string;
  /** '' for a legacy key (written before keys named the wallet). */
  wallet: string;
  tokenId: string;
  side: string;
  sizeMicros: number;
  priceMicros: number;
}

/** `tx:wallet:token:side:size:price#occurrence` (or a legacy `tx:token:side:size:price#occurrence`) back into its parts. */
export function parseKey(key: string): KeyParts | undefined {
  const m = /^(0x[0-9a-fA-F]+):(?:(0x[0-9a-fA-F]+):)?([^:#]+):(BUY|SELL):(\d+):(\d+)#\d+$/.exec(key);
  if (!m) return undefined;
  return {
    tx: m[1]!.toLowerCase(),
    wallet: (m[2] ?? '').toLowerCase(),
    tokenId: m[3]!,
    side: m[4]!,
    sizeMicros: Number(m[5]),
    priceMicros: Number(m[6]),
  };
}

/** A key written before keys named the wallet. */
export function isLegacyKey(key: string): boolean {
  return parseKey(key)?.wallet === '';
}
