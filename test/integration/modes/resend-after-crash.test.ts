/**
 * A live session SIGKILLed between signing an order and its POST (the chaos child's `after-sign` kill
 * point: right after the intent, with the signed order, reached the journal). The restart finds the
 * order missing on the exchange and posts the same signed order while the target fill is fresh: the
 * exchange ends up with exactly that one order. When the fill is too old by then, the order is never
 * posted and the refusal says why.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JournalEntry } from '../../../src/exec/clob/intent-journal.ts';
import type { Sandbox } from '../../../src/sandbox/index.ts';
import { RecordingStore } from '../../../src/store/index.ts';
import { TEST_ADDRESS, ledger, startFastSandbox, tempDataDir } from './helpers.ts';
import { chaosChildRunner, journalEntries } from './chaos-child-runner.ts';

let sb: Sandbox;
beforeAll(async () => {
  sb = await startFastSandbox();
});
const children = chaosChildRunner(() => sb.urls.clob);
const runChild = children.run;
afterAll(async () => {
  children.killAll();
  await sb.stop();
});

const SIGNED_FIELDS = [
  'builder',
  'expiration',
  'maker',
  'makerAmount',
  'metadata',
  'salt',
  'side',
  'signature',
  'signatureType',
  'signer',
  'takerAmount',
  'timestamp',
  'tokenId',
];

/** Every order the exchange was asked to place with this hash, and whether it took it. */
function watchPlacements(hash: string): { ok: boolean; error?: string }[] {
  const seen: { ok: boolean; error?: string }[] = [];
  const exchange = sb.state;
  const place = exchange.place.bind(exchange);
  exchange.place = (req) => {
    const r = place(req);
    if (req.id.toLowerCase() === hash.toLowerCase()) seen.push(r.ok ? { ok: true } : { ok: false, error: r.error });
    return r;
  };
  return seen;
}

/** Kills a session between sign and POST; returns the one intent it journalled (signed, never posted). */
async function killAfterSign(dataDir: string): Promise<JournalEntry> {
  const first = await runChild(dataDir, { kind: 'after-sign' });
  expect(first.signal, first.out.slice(-1500)).toBe('SIGKILL');
  const entries = journalEntries(dataDir);
  expect(entries).toHaveLength(1);
  const [e] = entries;
  expect(e!.outcome).toBeUndefined();
  expect(e!.intent.signed?.order.signature).toMatch(/^0x[0-9a-f]+$/i);
  // The signed order's own fields and nothing else: no key, no API key or secret.
  expect(Object.keys(e!.intent.signed!.order).sort()).toEqual(SIGNED_FIELDS);
  expect(sb.state.orders.has(e!.intent.orderHash)).toBe(false);
  return e!;
}

describe('a live session killed between signing an order and its POST', () => {
  it('posts the same signed order after the restart: exactly one order on the exchange, its fills recorded once', async () => {
    const dataDir = tempDataDir();
    const killed = await killAfterSign(dataDir);
    const hash = killed.intent.orderHash.toLowerCase();
    const placements = watchPlacements(hash);

    const restart = await runChild(dataDir, { kind: 'final' });
    expect(restart.code, restart.out.slice(-2000)).toBe(0);

    const after = journalEntries(dataDir).find((e) => e.intent.clientOrderId === killed.intent.clientOrderId)!;
    // Posted once after the restart; the exchange took it (or, an FOK finding no match by then, answered no).
    expect(placements.length, JSON.stringify(placements)).toBe(1);
    expect(after.outcome?.status, JSON.stringify(after.outcome)).toBe(placements[0]!.ok ? 'accepted' : 'rejected');
    if (!placements[0]!.ok) expect(after.outcome?.reason).toBe('no_match');
    const ours = (await ledger(sb)).filter((l) => l.taker.toLowerCase() === TEST_ADDRESS && l.takerOrderId?.toLowerCase() === hash);
    const recording = await RecordingStore.open(join(dataDir, 'sessions', `live-${new Date().toISOString().slice(0, 10)}.duckdb`), {
      readOnly: true,
    });
    try {
      const fills = await recording.query(`SELECT fill_id FROM fills WHERE client_order_id = '${killed.intent.clientOrderId}'`);
      const events = await recording.query(
        `SELECT event, reason FROM orders WHERE client_order_id = '${killed.intent.clientOrderId}' ORDER BY seq`,
      );
      expect(events.map((r) => r.reason)).not.toContain('outcome_unknown');
      if (placements[0]!.ok) {
        expect(ours.length).toBeGreaterThan(0);
        expect(events.map((r) => r.event)).toContain('accepted');
      }
      // Every trade of that one order is one fill of ours, once.
      expect(fills.length).toBe(ours.length);
    } finally {
      await recording.close();
    }
  }, 600_000);

  it('does not post it when its target fill is too old by the restart, and records why', async () => {
    const dataDir = tempDataDir();
    const killed = await killAfterSign(dataDir);
    const placements = watchPlacements(killed.intent.orderHash);
    // The restart allows 1 s: its start-up alone takes longer, so the copy is stale by then.
    const restart = await runChild(dataDir, { kind: 'final', maxTradeAgeSeconds: 1 });
    expect(restart.code, restart.out.slice(-2000)).toBe(0);

    const after = journalEntries(dataDir).find((e) => e.intent.clientOrderId === killed.intent.clientOrderId)!;
    expect(after.outcome).toMatchObject({ status: 'not_found', reason: 'stale_after_restart' });
    expect(placements).toEqual([]);
    const hash = killed.intent.orderHash.toLowerCase();
    expect((await ledger(sb)).filter((l) => l.takerOrderId?.toLowerCase() === hash)).toEqual([]);
    const recording = await RecordingStore.open(join(dataDir, 'sessions', `live-${new Date().toISOString().slice(0, 10)}.duckdb`), {
      readOnly: true,
    });
    try {
      const events = await recording.query(`SELECT event, reason FROM orders WHERE client_order_id = '${killed.intent.clientOrderId}'`);
      expect(events).toContainEqual({ event: 'rejected', reason: 'stale_after_restart' });
    } finally {
      await recording.close();
    }
  }, 600_000);
});

interface JournalLine {
  t: string;
  runId?: string;
  decision?: { causeKey?: string; action: string; reason: string; clientOrderId?: string; strategyId: string };
  fill?: { clientOrderId: string };
}

describe('a paper session killed after deciding a copy, before the simulated venue filled it', () => {
  it('decides that target fill again after the restart (the simulated order died with the process)', async () => {
    const dataDir = tempDataDir();
    const first = await runChild(dataDir, { kind: 'after-submit', mode: 'paper' });
    expect(first.signal, first.out.slice(-1500)).toBe('SIGKILL');
    const read = () =>
      readFileSync(join(dataDir, 'sessions/paper.journal.jsonl'), 'utf8')
        .split('\n')
        .filter((l) => l.startsWith('{') && l.endsWith('}'))
        .map((l) => JSON.parse(l) as JournalLine);
    const approved = read().filter((l) => l.t === 'decision' && l.decision!.reason === 'approved' && l.decision!.clientOrderId);
    expect(approved).toHaveLength(1);
    const lost = approved[0]!;
    const key = lost.decision!.causeKey!;

    const restart = await runChild(dataDir, { kind: 'final', mode: 'paper' });
    expect(restart.code, restart.out.slice(-2000)).toBe(0);
    const lines = read();
    const again = lines.filter(
      (l) =>
        l.t === 'decision' &&
        l.runId !== lost.runId &&
        l.decision!.causeKey === key &&
        l.decision!.strategyId === lost.decision!.strategyId,
    );
    // Decided once more: copied again while fresh (a new order), or skipped as stale with that reason.
    expect(again, restart.out.slice(-2000)).toHaveLength(1);
    const d = again[0]!.decision!;
    if (d.reason === 'approved') expect(d.clientOrderId).not.toBe(lost.decision!.clientOrderId);
    else expect(d.reason).toBe('stale_after_restart');
    expect(lines.filter((l) => l.t === 'fill' && l.fill!.clientOrderId === lost.decision!.clientOrderId)).toEqual([]);
  }, 600_000);
});
