/**
 * After-the-fact audit of a paper/live session against ground truth, for the chaos run and the
 * crash tests: each target fill must be copied exactly once or skipped with a recorded reason, and
 * (live) our fills must equal the exchange's ledger. Ground truth comes from the Data API read back
 * in full after the run (`readTruthKeys`) and from the sandbox's ledger.
 */
import { FillDedup } from '../core/dedup.ts';
import { parseKey } from '../core/tx-coverage.ts';
import type { EngineEvent } from '../core/events.ts';
import { ActivityPoller } from '../feeds/activity-poller.ts';
import type { JournalEntry } from '../exec/clob/intent-journal.ts';
import type { RecordingStore } from '../store/index.ts';

export interface AuditResult {
  targetTrades: number;
  copied: number;
  skipped: number;
  duplicates: number;
  unexplainedMissing: number;
  ledgerMismatches: number;
  skipReasons: Record<string, number>;
  /** A few examples of each problem, for the report. */
  examples: { duplicates: string[]; missing: string[]; ledger: string[] };
}

export interface LedgerRow {
  tradeId: string;
  taker: string;
  maker: string;
  sizeMicros: number;
  priceMicros: number;
  takerOrderId?: string;
  makerOrderId?: string;
  status?: string;
}

/**
 * Every target fill the Data API reports for `wallets` at or after `sinceMs`, by dedup key (what the
 * engine would use). Pass a time safely after the session started (trade times have 1 s resolution).
 */
export async function readTruthKeys(dataUrl: string, wallets: string[], sinceMs: number): Promise<Set<string>> {
  const events: EngineEvent[] = [];
  const poller = new ActivityPoller({ wallets, baseUrl: dataUrl, intervalMs: 0, overlapMs: 0, log: () => {} });
  await poller.start((e) => events.push(e));
  await poller.backfill(sinceMs);
  await poller.stop();
  const dedup = new FillDedup();
  const keys = new Set<string>();
  for (const e of events) if (e.type === 'target_trade' && e.tsEvent >= sinceMs) keys.add(dedup.accept(e, e.occurrence)?.key ?? '');
  keys.delete('');
  return keys;
}

export async function auditSession(o: {
  recording: RecordingStore;
  truthKeys: Set<string>;
  intents?: JournalEntry[];
  ledger?: LedgerRow[];
  ourAddress?: string;
}): Promise<AuditResult> {
  await o.recording.flush();
  const rows = await o.recording.query(`SELECT cause_key, action, reason FROM decisions WHERE cause_key IS NOT NULL`);
  const copies = new Map<string, number>();
  const skips = new Map<string, string>();
  for (const r of rows) {
    const key = String(r.cause_key);
    if (r.action === 'copy' || r.action === 'order') copies.set(key, (copies.get(key) ?? 0) + 1);
    else if (r.action === 'skip' || r.action === 'deny') skips.set(key, String(r.reason));
  }
  // Live: the intent journal is the durable record of what was sent (a decision row can be lost in a crash).
  const intentsByCause = new Map<string, number>();
  for (const e of o.intents ?? [])
    if (e.intent.order.causeKey) intentsByCause.set(e.intent.order.causeKey, (intentsByCause.get(e.intent.order.causeKey) ?? 0) + 1);
  const result: AuditResult = {
    targetTrades: o.truthKeys.size,
    copied: 0,
    skipped: 0,
    duplicates: 0,
    unexplainedMissing: 0,
    ledgerMismatches: 0,
    skipReasons: {},
    examples: { duplicates: [], missing: [], ledger: [] },
  };
  const byTx = decidedByTransaction(copies, skips, intentsByCause);
  const truthShares = new Map<string, number>();
  for (const key of o.truthKeys) {
    const p = parseKey(key);
    if (p) truthShares.set(txGroup(p), (truthShares.get(txGroup(p)) ?? 0) + p.sizeMicros);
  }
  for (const [group, shares] of truthShares) {
    // A transaction copied in more shares than the target traded in it: some fill was copied twice.
    const copiedShares = byTx.get(group)?.copiedShares ?? 0;
    if (copiedShares > shares) {
      result.duplicates++;
      if (result.examples.duplicates.length < 5) result.examples.duplicates.push(`${group}: ${copiedShares} shares copied of ${shares}`);
    }
  }
  for (const key of o.truthKeys) {
    let n = Math.max(copies.get(key) ?? 0, intentsByCause.get(key) ?? 0);
    const p = parseKey(key);
    const tx = p ? byTx.get(txGroup(p)) : undefined;
    if (n === 0 && !skips.has(key) && tx && tx.decidedShares >= (truthShares.get(txGroup(p!)) ?? 0)) {
      // Decided under another report of the same transaction (the chain's total of a taking order): covered.
      if (tx.copiedShares > 0) n = 1;
      else skips.set(key, tx.skipReason ?? 'covered');
    }
    if (n > 1) {
      result.duplicates++;
      if (result.examples.duplicates.length < 5) result.examples.duplicates.push(`${key} ×${n}`);
    } else if (n === 1) result.copied++;
    else if (skips.has(key)) {
      result.skipped++;
      const reason = skips.get(key)!;
      result.skipReasons[reason] = (result.skipReasons[reason] ?? 0) + 1;
    } else {
      result.unexplainedMissing++;
      if (result.examples.missing.length < 5) result.examples.missing.push(key);
    }
  }
  if (o.ledger && o.ourAddress) {
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
      if (result.examples.ledger.length < 5) result.examples.ledger.push(`${k} ${n > 0 ? `recorded ${n} more` : `missing ${-n}`}`);
    }
  }
  return result;
}

const txGroup = (p: { tx: string; tokenId: string; side: string }) => `${p.tx}:${p.tokenId}:${p.side}`;

/**
 * Shares decided per transaction, token and side, over every decided cause key (each once): the chain
 * reports a taking order as one total where the Data API lists it per maker fill (src/core/tx-coverage.ts).
 */
function decidedByTransaction(
  copies: Map<string, number>,
  skips: Map<string, string>,
  intents: Map<string, number>,
): Map<string, { decidedShares: number; copiedShares: number; skipReason?: string }> {
  const out = new Map<string, { decidedShares: number; copiedShares: number; skipReason?: string }>();
  for (const key of new Set([...copies.keys(), ...skips.keys(), ...intents.keys()])) {
    const p = parseKey(key);
    if (!p) continue;
    const g = out.get(txGroup(p)) ?? { decidedShares: 0, copiedShares: 0 };
    g.decidedShares += p.sizeMicros;
    if ((copies.get(key) ?? 0) > 0 || (intents.get(key) ?? 0) > 0) g.copiedShares += p.sizeMicros;
    else g.skipReason ??= skips.get(key);
    out.set(txGroup(p), g);
  }
  return out;
}

function bump(map: Map<string, number>, key: string, by: number): void {
  map.set(key, (map.get(key) ?? 0) + by);
}
