/**
 * The session journal fsyncs a target fill's dedup key off the copy path (group commit), so a power cut
 * can lose a key line even though the order copying that fill was posted: the order's intent (fsynced
 * before the POST) names the key with its event time, and the restart must treat it as decided.
 * Here a live session is SIGKILLed right after the exchange accepted its order (chaos child `after-post`),
 * then the power cut is modelled by cutting the session journal back to before that key line (a power
 * cut keeps at most what was fsynced before: the run line; the key, its decision and anything after may
 * be gone). The restart reads the Data API again from before that fill (it is fed the same trade) and
 * must not copy it a second time: exactly one order for that target fill on the exchange.
 */
import { readFileSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../../src/sandbox/index.ts';
import { startFastSandbox, tempDataDir } from './helpers.ts';
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

interface SessionLine {
  t: string;
  key?: string;
  runId?: string;
  decision?: { causeKey?: string };
}

function sessionLines(path: string): { line: SessionLine; start: number }[] {
  const text = readFileSync(path, 'utf8');
  const out: { line: SessionLine; start: number }[] = [];
  let start = 0;
  for (const raw of text.split('\n')) {
    if (raw.startsWith('{') && raw.endsWith('}')) out.push({ line: JSON.parse(raw) as SessionLine, start });
    start += Buffer.byteLength(raw) + 1;
  }
  return out;
}

describe('a live session whose posted copy lost its dedup key line in a power cut', () => {
  it('restores the key from the fsynced intent: the same trade read again is not copied twice', async () => {
    const dataDir = tempDataDir();
    const first = await runChild(dataDir, { kind: 'after-post' });
    expect(first.signal, first.out.slice(-1500)).toBe('SIGKILL');
    // Killed at the first 'accepted' answer (other copies of a burst may be signed or in flight beside it).
    const accepted = journalEntries(dataDir).filter((e) => e.outcome?.status === 'accepted');
    expect(accepted).toHaveLength(1);
    const posted = accepted[0];
    const key = posted!.intent.order.causeKey!;
    expect(key).toBeTruthy();
    // The intent carries what the restart needs to restore the key without its own line.
    expect(posted!.intent.cause).toMatchObject({ key });
    expect(posted!.intent.cause!.tsEvent).toBeGreaterThan(0);
    expect(sb.state.orders.has(posted!.intent.orderHash)).toBe(true);

    // The power cut: the key line (written, its fsync still in the background) and all after it are gone.
    const path = join(dataDir, 'sessions', 'live.journal.jsonl');
    const lines = sessionLines(path);
    const keyLine = lines.find((l) => l.line.t === 'key' && l.line.key === key);
    expect(keyLine, 'the key was journalled before the order').toBeDefined();
    // Nothing that is fsynced per record (a fill of ours) came after it: this cut is a state a power cut can leave.
    expect(lines.filter((l) => l.start > keyLine!.start && l.line.t === 'fill')).toEqual([]);
    truncateSync(path, keyLine!.start);
    expect(sessionLines(path).some((l) => l.line.key === key || l.line.decision?.causeKey === key)).toBe(false);

    // Orders the exchange is asked to place from now on, by hash.
    const placed: string[] = [];
    const exchange = sb.state;
    const place = exchange.place.bind(exchange);
    exchange.place = (req) => {
      placed.push(req.id.toLowerCase());
      return place(req);
    };

    // The restart reads the Data API from before that fill (the overlap), so the same trade is fed again.
    const restart = await runChild(dataDir, { kind: 'final' });
    expect(restart.code, restart.out.slice(-2000)).toBe(0);

    const after = journalEntries(dataDir);
    const forKey = after.filter((e) => e.intent.order.causeKey === key);
    expect(forKey.map((e) => e.intent.clientOrderId)).toEqual([posted!.intent.clientOrderId]);
    // No order the exchange was asked for during the restart copies that fill (others' orders are not in our journal).
    const byHash = new Map(after.map((e) => [e.intent.orderHash.toLowerCase(), e]));
    for (const h of placed) expect(byHash.get(h)?.intent.order.causeKey, h).not.toBe(key);
    const onExchange = [...sb.state.orders.keys()].filter((h) => byHash.get(h.toLowerCase())?.intent.order.causeKey === key);
    expect(onExchange).toHaveLength(1);
    // The cut also took the keys of any copy signed after it: none of those fills is on the exchange twice either.
    const perCause = new Map<string, number>();
    for (const h of sb.state.orders.keys()) {
      const cause = byHash.get(h.toLowerCase())?.intent.order.causeKey;
      if (cause) perCause.set(cause, (perCause.get(cause) ?? 0) + 1);
    }
    expect([...perCause].filter(([, n]) => n > 1)).toEqual([]);
    // The restart saw that key as decided: it neither accepted nor decided it again.
    const restarted = sessionLines(path).map((l) => l.line);
    expect(restarted.filter((l) => l.t === 'key' && l.key === key)).toEqual([]);
    expect(restarted.filter((l) => l.t === 'decision' && l.decision?.causeKey === key)).toEqual([]);
  }, 600_000);
});
