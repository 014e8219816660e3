/**
 * After a crash: copies an earlier process approved but never sent. The decision line is written
 * before the order goes to the venue, and the order reaches the intent journal only once it is
 * signed; a kill in between leaves an approved copy with no order anywhere. Such a copy has certainly
 * not reached the exchange (no signed order existed), so it can be decided again without any risk of
 * sending twice — but only by the strategy that lost it, and only while the target fill is fresh.
 * Anything that might have been signed or posted keeps going through the venue's recovery (intent
 * journal + look-up by hash) and never appears here. Paper: the simulated venue lives in the process,
 * so an approved copy it had not answered died with it and is just as safe to decide again.
 */
import type { Decision } from '../core/ports.ts';

export interface UnsentCopy {
  strategyId: string;
  causeKey: string;
  clientOrderId: string;
  tokenId?: string;
  side?: 'BUY' | 'SELL';
  /** When the target fill happened (its dedup key's event time), else when the copy was approved. */
  eventMs: number;
}

export interface UnsentPlan {
  /** Fresh: read again and decided again by these strategies (key → strategy ids). */
  redecide: Map<string, Set<string>>;
  /** Event time of each key to read again (where the Data API read must start). */
  redecideFrom: Map<string, number>;
  /** Too old to send now: answered `stale_after_restart`. */
  stale: UnsentCopy[];
}

const isApprovedOrder = (d: Decision) => (d.action === 'copy' || d.action === 'order') && d.reason === 'approved' && !!d.clientOrderId;

/**
 * Per (target fill, strategy): unsent when that strategy's latest answer to the fill is an approved
 * order that no durable record shows reaching the venue (`reachedVenue`: orders in the intent
 * journal, our fills, order events the recording kept), and none of its orders for the fill did.
 */
export function findUnsentCopies(
  decisions: readonly { decision: Decision }[],
  reachedVenue: ReadonlySet<string>,
  eventMsOf: (causeKey: string) => number | undefined,
): UnsentCopy[] {
  const groups = new Map<string, { last: Decision; sent: boolean }>();
  for (const { decision: d } of decisions) {
    if (!d.causeKey) continue;
    const id = `${d.causeKey}\n${d.strategyId}`;
    const g = groups.get(id) ?? { last: d, sent: false };
    g.last = d;
    if (d.clientOrderId && reachedVenue.has(d.clientOrderId)) g.sent = true;
    groups.set(id, g);
  }
  const out: UnsentCopy[] = [];
  for (const { last, sent } of groups.values()) {
    if (sent || !isApprovedOrder(last)) continue;
    out.push({
      strategyId: last.strategyId,
      causeKey: last.causeKey!,
      clientOrderId: last.clientOrderId!,
      tokenId: last.tokenId,
      side: last.side,
      eventMs: eventMsOf(last.causeKey!) ?? last.tsMs,
    });
  }
  return out;
}

/** Splits unsent copies into those decided again (event within `maxAgeMs` of `nowMs`) and those skipped as stale. */
export function planUnsent(unsent: readonly UnsentCopy[], nowMs: number, maxAgeMs: number): UnsentPlan {
  const plan: UnsentPlan = { redecide: new Map(), redecideFrom: new Map(), stale: [] };
  for (const u of unsent) {
    if (nowMs - u.eventMs > maxAgeMs) {
      plan.stale.push(u);
      continue;
    }
    const set = plan.redecide.get(u.causeKey) ?? new Set<string>();
    set.add(u.strategyId);
    plan.redecide.set(u.causeKey, set);
    plan.redecideFrom.set(u.causeKey, u.eventMs);
  }
  return plan;
}

/** Client order ids any durable record shows reaching the venue: signed intents, our fills, order events the recording kept. */
export async function ordersThatReachedVenue(
  intentOrderIds: Iterable<string>,
  fills: readonly { fill: { clientOrderId: string } }[],
  recording: { query(sql: string): Promise<Record<string, unknown>[]> },
): Promise<Set<string>> {
  const ids = new Set<string>(intentOrderIds);
  for (const f of fills) ids.add(f.fill.clientOrderId);
  // A refusal before signing (shaping, a signing error) is an answer too: it is not sent again.
  for (const r of await recording.query(`SELECT DISTINCT client_order_id FROM orders WHERE event <> 'submitted'`))
    ids.add(String(r.client_order_id));
  return ids;
}
