/**
 * The floor of one copied trade on this machine: the least any copy path here must do, timed piece by
 * piece, in nanoseconds per trade. It is the evidence for what a goal in copies per second can reach with
 * these records kept (1,000,000 events/s of copied trades is 1,000 ns each).
 *
 * - `dedup_map_ns`: a fresh 150-character live-format key (`tx:wallet:token:side:size:price#1`, the shape
 *   live feeds key fills by) looked up and inserted into a Map kept at 200,000 keys (the oldest deleted per
 *   insert, as pruning does): what remembering a fill by its string costs. Hashing a new string, and a
 *   probe that misses the cache in a table that size, are the cost.
 * - `dedup_filldedup_ns`: the same keys through the real `FillDedup.accept` (its time heap and pruning too),
 *   trades 108 ms apart so its six-hour window holds ~200,000 keys.
 * - `dedup_code_ns`: the replay's path, a key code (the recording's row number) in `FillDedup`'s flat array.
 * - `records_ns`: the records a filled copy keeps and hands to listeners, made as the engine makes them: the
 *   order (its id text and salt), the decision record, the accepted event, the fill (its id) and the
 *   filled event. Kept in a ring so none is optimized away; young-generation GC included.
 * - `ledger_ns`: booking the fill in a `Ledger` holding 600 tokens (BUYs, then SELLs of part).
 * - `floor_ns`: all of the above in one loop (string dedup, records, ledger): a copied trade with nothing
 *   else — no strategy, shaping, risk or venue. `floor_by_code_ns`: the same with the replay's dedup by key code.
 *
 * CPU time, not wall time (the machine is shared), so GC on V8's helper threads counts too.
 *
 * Usage: node --import tsx bench/lib/copy-floor.ts [--json]   (medians of 3 runs after a warm-up)
 */
import { FillDedup } from '../../src/core/dedup.ts';
import type { TargetTradeSeen } from '../../src/core/events.ts';
import { SeededIds } from '../../src/core/ids.ts';
import { Ledger } from '../../src/core/ledger.ts';
import type { Fill, Order, TargetTrade } from '../../src/core/types.ts';
import { DecisionRecord } from '../../src/engine/decision-record.ts';
import { accepted, filled, makeFill } from '../../src/exec/sim/sim-events.ts';
import { median } from './measure.ts';

const KEPT = 200_000;
const TOKENS = 600;
const WALLET = '0x' + 'b0'.repeat(20);
/** CPU time of this process (user + system, ns): on a shared machine wall time says how much of a core it was given. */
const now = (): number => {
  const c = process.cpuUsage();
  return (c.user + c.system) * 1000;
};
const nsPer = (from: number, n: number) => (now() - from) / n;

/** Token ids as long as live ones are short here (the synthetic recording's), so the key comes to 150 characters. */
const tokenOf = (i: number) => String(71_000_000_000_000 + (i % TOKENS));

/** A live-format key of 150 characters, unique per `i` (the transaction hash). */
function keyOf(i: number): string {
  const tx = '0x' + i.toString(16).padStart(64, '0');
  const side = i % 10 < 3 ? 'SELL' : 'BUY';
  const key = `${tx}:${WALLET}:${tokenOf(i)}:${side}:${(5 + (i % 96)) * 1_000_000}:${(5 + (i % 91)) * 10_000}#1`;
  return key.length >= 150 ? key : key.replace('#1', ':'.repeat(150 - key.length) + '#1');
}

/** Fresh key strings (their hash not computed yet, as a key just read from a feed). */
function freshKeys(from: number, n: number): string[] {
  const out = new Array<string>(n);
  for (let i = 0; i < n; i++) out[i] = keyOf(from + i);
  return out;
}

function dedupMap(keys: string[]): number {
  const seen = new Map<string, number>();
  for (let i = 0; i < KEPT; i++) seen.set(keys[i]!, i);
  let dupes = 0;
  const start = now();
  for (let i = KEPT; i < keys.length; i++) {
    const key = keys[i]!;
    if (seen.has(key)) dupes++;
    else seen.set(key, i);
    seen.delete(keys[i - KEPT]!);
  }
  const ns = nsPer(start, keys.length - KEPT);
  if (dupes !== 0 || seen.size !== KEPT) throw new Error('dedup map: wrong count');
  return ns;
}

const STEP_MS = 108; // 6 h / 200,000: FillDedup's window holds ~200,000 keys
const T0 = 1_760_000_000_000;

function tradeEvent(i: number, key: string | undefined, keyCode?: number): TargetTradeSeen {
  const trade: TargetTrade = {
    wallet: WALLET,
    txHash: '0x' + i.toString(16).padStart(64, '0'),
    tokenId: tokenOf(i),
    conditionId: 'c',
    side: 'BUY',
    sizeMicros: 10_000_000,
    priceMicros: 500_000,
    usdcMicros: 5_000_000,
    outcome: 'Yes',
  };
  const e: TargetTradeSeen = {
    type: 'target_trade',
    source: 'import:bench',
    seq: i,
    tsEvent: T0 + i * STEP_MS,
    tsRecv: T0 + i * STEP_MS,
    trade,
  };
  if (key !== undefined) e.key = key;
  if (keyCode !== undefined) e.keyCode = keyCode;
  return e;
}

function dedupReal(keys: string[], byCode: boolean): number {
  const dedup = new FillDedup();
  const events = keys.map((k, i) => (byCode ? tradeEvent(i, undefined, i) : tradeEvent(i, k)));
  const warm = Math.floor(events.length / 2);
  for (let i = 0; i < warm; i++) dedup.accept(events[i]!);
  const start = now();
  let accepted = 0;
  for (let i = warm; i < events.length; i++) if (dedup.accept(events[i]!)) accepted++;
  const ns = nsPer(start, events.length - warm);
  if (accepted !== events.length - warm) throw new Error('FillDedup: wrong count');
  return ns;
}

// Small: records die young here, as in a replay that stores nothing (a larger ring promotes them and measures old-space GC instead).
const RING = 64;
const ring: unknown[] = new Array(RING);
const ids = new SeededIds(1);
const market = { conditionId: 'c', tokens: [], negRisk: false, tickMicros: 10_000, minOrderSizeMicros: 5_000_000 };

/** The records one filled copy makes, as order-flow.ts and the sim venue make them. */
function records(i: number, key: string, tsMs: number): Fill {
  const tokenId = tokenOf(i);
  const intent = { tokenId, side: 'BUY' as const, type: 'FAK' as const, limitPriceMicros: 510_000, amountMicros: 5_000_000 };
  const order: Order = {
    tokenId,
    side: 'BUY',
    type: 'FAK',
    priceMicros: 510_000,
    postOnly: false,
    sizeMicros: 9_803_921,
    clientOrderId: ids.next('o'),
    strategyId: 'mirror',
    conditionId: 'c',
    createdMs: tsMs,
    causeKey: key,
    referencePriceMicros: 500_000,
    salt: ids.salt(),
  };
  order.amountMicros = 5_000_000;
  const d = new DecisionRecord(ids, ids.nextNumber('d'), tsMs, 'mirror', 'copy', 'approved', 'BUY FAK', undefined);
  d.wallet = WALLET;
  d.forOrder(order, intent, undefined, market, []);
  d.causeKey = key;
  d.tokenId = tokenId;
  d.side = 'BUY';
  const acc = accepted(order, tsMs);
  const fill = makeFill(order, ids.next('f'), 500_000, 10_000_000, 0, 'taker', tsMs);
  const done = filled(order, fill, true, tsMs);
  ring[i & (RING - 1)] = d;
  ring[(i + 1) & (RING - 1)] = acc;
  ring[(i + 2) & (RING - 1)] = done;
  return fill;
}

function recordsOnly(n: number, keys: string[]): number {
  const start = now();
  for (let i = 0; i < n; i++) records(i, keys[i % keys.length]!, T0 + i);
  return nsPer(start, n);
}

/** Alternating BUYs and SELLs of half, so positions stay open and every fill moves one. */
function bookFill(
  ledger: Ledger,
  fill: Pick<Fill, 'tokenId' | 'conditionId' | 'side' | 'priceMicros' | 'sizeMicros' | 'feeMicros'>,
  i: number,
): void {
  if ((i & 1) === 1) {
    const held = ledger.size(fill.tokenId);
    ledger.applyFill({ ...fill, side: 'SELL', sizeMicros: Math.floor(held / 2) });
  } else ledger.applyFill(fill);
}

function ledgerOnly(n: number): number {
  const ledger = new Ledger(1e15);
  const fills = Array.from({ length: TOKENS * 2 }, (_, i) => ({
    tokenId: tokenOf(i >> 1),
    conditionId: `c${(i >> 1) >> 1}`,
    side: 'BUY' as const,
    priceMicros: 500_000,
    sizeMicros: 10_000_000,
    feeMicros: 0,
  }));
  const start = now();
  for (let i = 0; i < n; i++) bookFill(ledger, fills[i % fills.length]!, i);
  return nsPer(start, n);
}

/** String dedup, the records and the ledger together: the whole floor in one loop. */
function floor(keys: string[]): number {
  const seen = new Map<string, number>();
  for (let i = 0; i < KEPT; i++) seen.set(keys[i]!, i);
  const ledger = new Ledger(1e15);
  const start = now();
  for (let i = KEPT; i < keys.length; i++) {
    const key = keys[i]!;
    if (seen.has(key)) continue;
    seen.set(key, i);
    seen.delete(keys[i - KEPT]!);
    const fill = records(i, key, T0 + i);
    bookFill(ledger, { ...fill, conditionId: `c${(i % TOKENS) >> 1}` }, i);
  }
  return nsPer(start, keys.length - KEPT);
}

/** The same with the replay's dedup (key codes in a flat array) instead of the string Map. */
function floorByCode(keys: string[]): number {
  const dedup = new FillDedup();
  const events = keys.map((_, i) => tradeEvent(i, undefined, i));
  const ledger = new Ledger(1e15);
  const start = now();
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    if (!dedup.accept(e)) continue;
    const fill = records(i, keys[i]!, e.tsEvent);
    bookFill(ledger, { ...fill, conditionId: `c${(i % TOKENS) >> 1}` }, i);
  }
  return nsPer(start, events.length);
}

export interface CopyFloor {
  dedup_map_ns: number;
  dedup_filldedup_ns: number;
  dedup_code_ns: number;
  records_ns: number;
  ledger_ns: number;
  floor_ns: number;
  floor_copies_per_s: number;
  floor_by_code_ns: number;
}

export function copyFloor(runs = 3): CopyFloor {
  const measured = 200_000;
  const runsOf = (f: () => number) => {
    f(); // warm-up (JIT)
    const xs: number[] = [];
    for (let r = 0; r < runs; r++) xs.push(f());
    return Math.round(median(xs));
  };
  // New strings for every run: a key whose hash is already computed would be cheaper than a fresh one.
  let next = 0;
  const fresh = (n: number) => {
    const k = freshKeys(next, n);
    next += n;
    return k;
  };
  const dedup_map_ns = runsOf(() => dedupMap(fresh(KEPT + measured)));
  const dedup_filldedup_ns = runsOf(() => dedupReal(fresh(2 * KEPT), false));
  const dedup_code_ns = runsOf(() => dedupReal(fresh(2 * KEPT), true));
  const keys = fresh(4096);
  const records_ns = runsOf(() => recordsOnly(measured, keys));
  const ledger_ns = runsOf(() => ledgerOnly(measured));
  const floor_ns = runsOf(() => floor(fresh(KEPT + measured)));
  const floor_by_code_ns = runsOf(() => floorByCode(fresh(measured)));
  return {
    dedup_map_ns,
    dedup_filldedup_ns,
    dedup_code_ns,
    records_ns,
    ledger_ns,
    floor_ns,
    floor_copies_per_s: Math.round(1e9 / floor_ns),
    floor_by_code_ns,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = copyFloor();
  if (process.argv.includes('--json')) process.stdout.write(JSON.stringify(result) + '\n');
  else for (const [k, v] of Object.entries(result)) process.stdout.write(`${k.padEnd(22)} ${v.toLocaleString('en-US')}\n`);
}
