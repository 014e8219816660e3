/**
 * After-the-fact audit of a paper/live session, for the mode tests, the kill -9 test and the chaos run:
 * every fill the exchange matched for a target wallet must be copied exactly once or skipped with a
 * recorded reason, nothing may be copied that the target never did, and (live) our fills must equal
 * the exchange's ledger. A fill counts as copied only when one of our orders for it reached the
 * exchange: live, its order hash is on the sandbox's ledger; paper, the venue accepted or filled it.
 * An approved copy whose order never got there is a miss unless a reason was recorded (a skip, a
 * denial, or the venue's refusal of that order).
 *
 * The truth is the sandbox's own ledger of matched fills (`/_sandbox/ledger`), not anything polytail
 * computes: no FillDedup, no ActivityPoller. What polytail did is read from what it recorded: the
 * decisions in its DuckDB recording and the orders in its intent journal, each naming its cause by the
 * key `txHash:wallet:tokenId:side:sizeMicros:priceMicros#occurrence` (docs/modes.md). Fills are compared by
 * content (transaction, target wallet, token, side from the target's point of view, size, price) and counted, so a
 * fill seen twice under two keys and copied twice is a duplicate, and byte-identical genuine fills of
 * one transaction must each be answered.
 *
 * The chain reports a taking order once with the totals of its match (src/core/tx-coverage.ts) where the
 * ledger lists it per maker fill, and dedup passes on the part of such a total that no other source had
 * reported yet (the rest of the match at its average price): a decision keyed by a total or a part names
 * no single ledger fill but a sum of the fills of one transaction, token and side. Such an aggregate is
 * recognised by its size (the sum of some of those fills) and judged by shares instead: with the keys of
 * the single fills decided beside it, it covers every fill of its group it sums (copied or skipped as it
 * was), and copying more shares of a transaction than the target traded is a duplicate.
 */
import type { JournalEntry } from '../../src/exec/clob/intent-journal.ts';
import type { RecordingStore } from '../../src/store/index.ts';

/** One row of the sandbox's `/_sandbox/ledger` (fields this audit and the benches read). */
export interface LedgerRow {
  seq?: number;
  tradeId: string;
  tsMs: number;
  tokenId: string;
  takerSide: 'BUY' | 'SELL';
  taker: string;
  maker: string;
  sizeMicros: number;
  priceMicros: number;
  txHash: string;
  takerOrderId?: string;
  makerOrderId?: string;
  status?: string;
  source?: string;
}

/** A fill of a target wallet as the exchange matched it, from that wallet's side. */
export interface TargetFill {
  wallet: string;
  txHash: string;
  tokenId: string;
  side: 'BUY' | 'SELL';
  sizeMicros: number;
  priceMicros: number;
  tsMs: number;
}

export interface AuditResult {
  /** Target fills in the window, per the exchange's ledger. */
  targetTrades: number;
  copied: number;
  skipped: number;
  /** Copies beyond one per target fill. */
  duplicates: number;
  /** Target fills with neither a copy nor a recorded skip. */
  unexplainedMissing: number;
  /** Copies whose cause matches no fill any target ever made (all time). */
  phantomCopies: number;
  ledgerMismatches: number;
  skipReasons: Record<string, number>;
  /** A few examples of each problem, for the report. */
  examples: { duplicates: string[]; missing: string[]; phantom: string[]; ledger: string[] };
  /**
   * With `keySources`: the audited fills answered (copied or skipped), by the source whose report of them
   * dedup passed on — the fill's own key, or the chain total or part that covered it. Sums to copied + skipped.
   */
  firstSeenBy?: Record<string, number>;
}

/** Every fill the exchange matched for `wallets`, taker or maker side, failed trades left out, oldest first. */
export function targetFillsFromLedger(ledger: readonly LedgerRow[], wallets: readonly string[]): TargetFill[] {
  const targets = new Set(wallets.map((w) => w.toLowerCase()));
  const out: TargetFill[] = [];
  for (const l of ledger) {
    if (l.status === 'FAILED') continue;
    const base = { txHash: l.txHash.toLowerCase(), tokenId: l.tokenId, sizeMicros: l.sizeMicros, priceMicros: l.priceMicros, tsMs: l.tsMs };
    const taker = l.taker.toLowerCase();
    const maker = l.maker.toLowerCase();
    if (targets.has(taker)) out.push({ ...base, wallet: taker, side: l.takerSide });
    if (targets.has(maker) && maker !== taker) out.push({ ...base, wallet: maker, side: l.takerSide === 'BUY' ? 'SELL' : 'BUY' });
  }
  return out.sort((a, b) => a.tsMs - b.tsMs);
}

/** A fill's content as a cause key names it (without `#occurrence`). */
export const contentOf = (f: Pick<TargetFill, 'txHash' | 'wallet' | 'tokenId' | 'side' | 'sizeMicros' | 'priceMicros'>) =>
  `${f.txHash.toLowerCase()}:${f.wallet.toLowerCase()}:${f.tokenId}:${f.side}:${f.sizeMicros}:${f.priceMicros}`;

/** The fill a cause key names (everything before `#occurrence`), or undefined for a key of another shape. */
export function contentOfCauseKey(key: string): string | undefined {
  const m = /^(0x[0-9a-fA-F]+):(0x[0-9a-fA-F]+):([^:#]+):(BUY|SELL):(\d+):(\d+)#\d+$/.exec(key);
  return m ? `${m[1]!.toLowerCase()}:${m[2]!.toLowerCase()}:${m[3]}:${m[4]}:${m[5]}:${m[6]}` : undefined;
}

export async function auditSession(o: {
  recording: RecordingStore;
  /** The sandbox's ledger, read after the session has decided everything it saw. */
  ledger: readonly LedgerRow[];
  /** Wallets the session followed. */
  targets: readonly string[];
  /** Only target fills matched at or after this time are checked (the session's start, rounded up to a second). */
  sinceMs: number;
  /** Live: the intent journal, the durable record of what was sent (a decision row can be lost in a crash). */
  intents?: JournalEntry[];
  /** Live: our address, to compare our recorded fills with the ledger. */
  ourAddress?: string;
  /** Each key dedup passed on → the source that reported it (the engine's accepted events), for `firstSeenBy`. */
  keySources?: ReadonlyMap<string, string>;
}): Promise<AuditResult> {
  await o.recording.flush();
  const everFilled = targetFillsFromLedger(o.ledger, o.targets);
  const truth = new Map<string, number>();
  for (const f of everFilled) if (f.tsMs >= o.sinceMs) bump(truth, contentOf(f), 1);
  const everContent = new Set(everFilled.map(contentOf));

  // What polytail did, per cause key: orders of ours that reached the exchange (copies), else why not.
  const { copies, refusals } = await ordersByCause(o);
  const skips = new Map<string, string>();
  const rows = await o.recording.query(`SELECT cause_key, action, reason FROM decisions WHERE cause_key IS NOT NULL ORDER BY seq`);
  for (const r of rows) if (r.action === 'skip' || r.action === 'deny') skips.set(String(r.cause_key), String(r.reason));
  // A venue's refusal (no match, a signing timeout, an order lost in a crash) is a recorded reason too.
  for (const [key, reason] of refusals) if (!skips.has(key)) skips.set(key, reason);

  // Group polytail's keys by the fill they name.
  const keysByContent = new Map<string, string[]>();
  const result: AuditResult = {
    targetTrades: 0,
    copied: 0,
    skipped: 0,
    duplicates: 0,
    unexplainedMissing: 0,
    phantomCopies: 0,
    ledgerMismatches: 0,
    skipReasons: {},
    examples: { duplicates: [], missing: [], phantom: [], ledger: [] },
    ...(o.keySources ? { firstSeenBy: {} } : {}),
  };
  const seenFirstBy = (key: string | undefined) => {
    if (result.firstSeenBy) bumpRecord(result.firstSeenBy, (key !== undefined && o.keySources?.get(key)) || 'unknown');
  };
  // A chain total or part names a sum of a transaction's fills on one side: its size is one of their subset sums.
  const everGroupSizes = new Map<string, number[]>();
  for (const f of everFilled) {
    const g = groupOf(contentOf(f));
    everGroupSizes.set(g, [...(everGroupSizes.get(g) ?? []), f.sizeMicros]);
  }
  const sums = new Map<string, SubsetSums>();
  const isAggregate = (content: string): boolean => {
    if (everContent.has(content)) return false;
    const group = groupOf(content);
    const sizes = everGroupSizes.get(group);
    if (!sizes) return false;
    let s = sums.get(group);
    if (!s) sums.set(group, (s = subsetSums(sizes)));
    return s.has(sharesOf(content));
  };
  const groups = new Map<string, GroupDecisions>();
  for (const key of new Set([...copies.keys(), ...skips.keys()])) {
    const content = contentOfCauseKey(key);
    if (content === undefined) continue;
    const aggregate = isAggregate(content);
    if (!aggregate && !everContent.has(content)) continue;
    const g = groups.get(groupOf(content)) ?? { copiedShares: 0, hasAggregate: false, aggregateCopiedLeft: 0, aggregateSkippedLeft: 0 };
    groups.set(groupOf(content), g);
    const copiedShares = sharesOf(content) * (copies.get(key) ?? 0);
    g.copiedShares += copiedShares;
    if (aggregate) {
      g.hasAggregate = true;
      if (copiedShares > 0) {
        g.aggregateCopiedLeft += sharesOf(content);
        g.copiedKey ??= key;
      } else {
        g.aggregateSkippedLeft += sharesOf(content);
        g.skipReason ??= skips.get(key);
        g.skippedKey ??= key;
      }
    }
  }
  for (const key of new Set([...copies.keys(), ...skips.keys()])) {
    const content = contentOfCauseKey(key);
    if (content !== undefined && isAggregate(content)) continue; // a chain total or part
    if (content !== undefined && everContent.has(content)) {
      const list = keysByContent.get(content) ?? [];
      list.push(key);
      keysByContent.set(content, list);
    } else if ((copies.get(key) ?? 0) > 0) {
      result.phantomCopies += copies.get(key)!;
      example(result.examples.phantom, `${key} ×${copies.get(key)}`);
    }
  }

  const truthShares = new Map<string, number>();
  for (const [content, fills] of truth) bump(truthShares, groupOf(content), sharesOf(content) * fills);
  for (const [group, g] of groups) {
    const shares = truthShares.get(group) ?? 0;
    if (g.hasAggregate && shares > 0 && g.copiedShares > shares) {
      result.duplicates++;
      example(result.examples.duplicates, `${group}: ${g.copiedShares} shares copied of ${shares} traded`);
    }
  }

  for (const [content, fills] of truth) {
    result.targetTrades += fills;
    const keys = keysByContent.get(content) ?? [];
    const copiedKeys = keys.filter((k) => (copies.get(k) ?? 0) > 0);
    const skippedKeys = keys.filter((k) => (copies.get(k) ?? 0) === 0 && skips.has(k));
    const sent = copiedKeys.reduce((s, k) => s + copies.get(k)!, 0);
    // Too many copies: one key copied twice, or more keys copied than the exchange has fills.
    const extra = Math.max(
      copiedKeys.reduce((s, k) => s + copies.get(k)! - 1, 0),
      sent - fills,
    );
    if (extra > 0) {
      result.duplicates += extra;
      example(result.examples.duplicates, `${content}: ${fills} fill(s), ${sent} copies under ${copiedKeys.join(', ')}`);
    }
    const copied = Math.min(fills, copiedKeys.length);
    const skipped = Math.min(fills - copied, skippedKeys.length);
    result.copied += copied;
    result.skipped += skipped;
    for (const k of skippedKeys.slice(0, skipped)) bumpRecord(result.skipReasons, skips.get(k)!);
    for (const k of [...copiedKeys.slice(0, copied), ...skippedKeys.slice(0, skipped)]) seenFirstBy(k);
    let missing = fills - copied - skipped;
    const g = groups.get(groupOf(content));
    // Decided under the chain's total of the taking order or a part of it: each fill no key of its own
    // answered takes its shares from the shares of the aggregates decided in its group (copied first),
    // and is missing once they are used up.
    for (const size = sharesOf(content); missing > 0 && g?.hasAggregate; missing--) {
      if (g.aggregateCopiedLeft >= size) {
        result.copied++;
        g.aggregateCopiedLeft -= size;
        seenFirstBy(g.copiedKey);
      } else if (g.aggregateSkippedLeft >= size) {
        result.skipped++;
        g.aggregateSkippedLeft -= size;
        bumpRecord(result.skipReasons, g.skipReason ?? 'covered');
        seenFirstBy(g.skippedKey);
      } else break;
    }
    if (missing > 0) {
      result.unexplainedMissing += missing;
      example(result.examples.missing, `${content} (${missing} of ${fills} unanswered)`);
    }
  }

  if (o.ourAddress) {
    const me = o.ourAddress.toLowerCase();
    const theirs = new Map<string, number>();
    for (const l of o.ledger) {
      if (l.status === 'FAILED') continue;
      if (l.taker.toLowerCase() === me || l.maker.toLowerCase() === me) bump(theirs, `${l.tradeId}|${l.sizeMicros}|${l.priceMicros}`, 1);
    }
    const ours = new Map<string, number>();
    for (const f of await o.recording.query(`SELECT venue_trade_id, size_micros, price_micros FROM fills`))
      bump(ours, `${f.venue_trade_id}|${f.size_micros}|${f.price_micros}`, 1);
    for (const [k, n] of theirs) bump(ours, k, -n);
    for (const [k, n] of ours) {
      if (n === 0) continue;
      result.ledgerMismatches += Math.abs(n);
      example(result.examples.ledger, `${k} ${n > 0 ? `recorded ${n} more` : `missing ${-n}`}`);
    }
  }
  return result;
}

interface GroupDecisions {
  /** Shares copied under every key of the group, each key counted once per order of ours it caused. */
  copiedShares: number;
  /** Some decision of this transaction names a sum of ledger fills (the chain's total, or a part of it) rather than one. */
  hasAggregate: boolean;
  /** Shares of the aggregates copied (skipped) that no fill has been credited with yet. */
  aggregateCopiedLeft: number;
  aggregateSkippedLeft: number;
  /** The first copied (skipped) aggregate's key: the report that covered the group's other fills. */
  copiedKey?: string;
  skippedKey?: string;
  skipReason?: string;
}

/** Whether a size is the sum of some of a group's fills (every subset when there are few, else anything up to their total). */
interface SubsetSums {
  has(size: number): boolean;
}

function subsetSums(sizes: readonly number[]): SubsetSums {
  const total = sizes.reduce((s, n) => s + n, 0);
  // 2^16 sums at most; a bigger group (a taker sweeping a deep book) is judged by its total alone.
  if (sizes.length > 16) return { has: (size) => size > 0 && size <= total };
  let reach = new Set<number>([0]);
  for (const n of sizes) reach = new Set([...reach, ...[...reach].map((r) => r + n)]);
  reach.delete(0);
  return reach;
}

/** Transaction, wallet, token and side of a fill's content. */
const groupOf = (content: string) => content.split(':').slice(0, 4).join(':');
const sharesOf = (content: string) => Number(content.split(':')[4]);

/**
 * Per cause key: how many distinct orders of ours reached the exchange, and the recorded refusal
 * reason (`order_<event>:<reason>`) of orders that did not.
 */
async function ordersByCause(o: {
  recording: RecordingStore;
  ledger: readonly LedgerRow[];
  intents?: JournalEntry[];
  ourAddress?: string;
}): Promise<{ copies: Map<string, number>; refusals: Map<string, string> }> {
  const causeOf = new Map<string, string>();
  const hashesOf = new Map<string, Set<string>>();
  const addHash = (id: string, hash: unknown) => {
    if (typeof hash !== 'string' || hash === '') return;
    const set = hashesOf.get(id) ?? new Set<string>();
    set.add(hash.toLowerCase());
    hashesOf.set(id, set);
  };
  const refusedWith = new Map<string, string>();
  for (const e of o.intents ?? []) {
    if (e.intent.order.causeKey) causeOf.set(e.intent.clientOrderId, e.intent.order.causeKey);
    addHash(e.intent.clientOrderId, e.intent.orderHash);
    // The journal's outcome is durable even when a crash cut the recording's order row off.
    const out = e.outcome;
    if (out && out.status !== 'accepted' && out.status !== 'filled')
      refusedWith.set(e.intent.clientOrderId, `intent_${out.status}${out.reason ? `:${out.reason}` : ''}`);
  }
  const events = await o.recording.query(
    `SELECT client_order_id, cause_key, event, reason, venue_order_id FROM orders WHERE cause_key IS NOT NULL ORDER BY seq`,
  );
  const venueAnswered = new Set<string>();
  for (const r of events) {
    const id = String(r.client_order_id);
    causeOf.set(id, String(r.cause_key));
    addHash(id, r.venue_order_id);
    if (r.event === 'accepted' || r.event === 'filled' || r.event === 'partially_filled') venueAnswered.add(id);
    if (r.event === 'rejected' || r.event === 'cancelled' || r.event === 'expired')
      refusedWith.set(id, `order_${String(r.event)}:${r.reason === null || r.reason === undefined ? 'none' : String(r.reason)}`);
  }
  for (const r of await o.recording.query(`SELECT DISTINCT client_order_id FROM fills`)) venueAnswered.add(String(r.client_order_id));
  let reached: (id: string) => boolean = (id) => venueAnswered.has(id);
  if (o.ourAddress) {
    // Live: only the exchange's own ledger says an order of ours got there.
    const me = o.ourAddress.toLowerCase();
    const onLedger = new Set<string>();
    for (const l of o.ledger) {
      if (l.status === 'FAILED') continue;
      if (l.taker.toLowerCase() === me && l.takerOrderId) onLedger.add(l.takerOrderId.toLowerCase());
      if (l.maker.toLowerCase() === me && l.makerOrderId) onLedger.add(l.makerOrderId.toLowerCase());
    }
    reached = (id) => [...(hashesOf.get(id) ?? [])].some((h) => onLedger.has(h));
  }
  const copies = new Map<string, number>();
  const refusals = new Map<string, string>();
  for (const [id, key] of causeOf) {
    if (reached(id)) bump(copies, key, 1);
    else if (refusedWith.has(id)) refusals.set(key, refusedWith.get(id)!);
    // Live: accepted and still resting (no match yet) is on the exchange, just not on its ledger.
    else if (venueAnswered.has(id)) refusals.set(key, 'order_resting');
  }
  return { copies, refusals };
}

function bump(map: Map<string, number>, key: string, by: number): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

function bumpRecord(record: Record<string, number>, key: string): void {
  record[key] = (record[key] ?? 0) + 1;
}

function example(list: string[], text: string): void {
  if (list.length < 5) list.push(text);
}
