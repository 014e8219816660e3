/**
 * The real price-change capture (one token, 2025-01-25 → 01-30, no snapshot) imported by polytail's
 * importer and replayed through `polytail run`'s replay path. What it shows was read by hand and is
 * written down in docs/strategies.md.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { OrderEvent } from '../../../src/core/events.ts';
import type { Decision } from '../../../src/core/ports.ts';
import { parseParamArgs, runMarketReplay } from '../../../src/cli/commands/run.ts';
import { renderStrategies } from '../../../src/cli/commands/strategies.ts';
import { listStrategies } from '../../../src/strategy/loader.ts';
import { PC_TOKEN, priceChangeRecording } from './helpers.ts';

let recording: string;
beforeAll(async () => {
  recording = await priceChangeRecording();
});

async function replay(strategy: string, params: Record<string, unknown>) {
  const decisions: Decision[] = [];
  const events: OrderEvent[] = [];
  const result = await runMarketReplay({
    recording,
    strategy,
    params: { market: PC_TOKEN, ...params },
    listeners: [{ onDecision: (d) => decisions.push(d), onOrderEvent: (e) => events.push(e) }],
  });
  const fills = events.flatMap((e) => ('fill' in e ? [e.fill] : []));
  return { ...result, decisions, events, fills };
}

const iso = (ms: number) => new Date(ms).toISOString();

describe('market strategies on the real price-change capture', () => {
  it('taker-wave buys the one real dip (ask 0.21 vs a 0.24 max) and then holds: the bid never reaches +5%', async () => {
    const r = await replay('taker-wave', { dropPct: 5, profitPct: 5, stopPct: 12, referenceWindowMs: 600_000 });
    expect(r.fills.map((f) => [iso(f.tsMs), f.side, f.priceMicros, f.liquidity])).toEqual([
      ['2025-01-25T17:34:23.966Z', 'BUY', 210_000, 'taker'],
    ]);
    expect(r.decisions.find((d) => d.action === 'order')!.message).toMatch(/ask 0\.210 is 12\.50% below the max 0\.240/);
    // From 2025-01-29 12:01 the book stays crossed (a stale 0.19 bid the capture never removed): said once.
    const crossed = r.decisions.filter((d) => d.reason === 'book_crossed');
    expect(crossed.length).toBeGreaterThanOrEqual(1);
    expect(iso(crossed[0]!.tsMs)).toBe('2025-01-29T12:01:14.252Z');
    expect(r.summary.trades.count).toBe(0);
    expect(r.summary.events).toBe(3830);
  });

  it('taker-wave with stopPct below the spread refuses the entry (spread_too_wide) instead of stopping out at once', async () => {
    const r = await replay('taker-wave', { dropPct: 5, profitPct: 5, stopPct: 5, referenceWindowMs: 600_000 });
    expect(r.fills).toHaveLength(0);
    const s = r.decisions.filter((d) => d.reason === 'spread_too_wide');
    expect(s.length).toBeGreaterThanOrEqual(1);
    expect(s.at(-1)!.details).toMatchObject({ askMicros: 210_000, bidMicros: 190_000, spreadBps: 952 });
  });

  it('maker-wave rests a 0.19 bid, requotes on drift, and is filled as a maker when the ask comes down to it', async () => {
    const r = await replay('maker-wave', { bidOffsetPct: 2, askOffsetPct: 5, requoteDriftPct: 2, referenceWindowMs: 300_000 });
    const first = r.decisions.find((d) => d.action === 'order')!;
    expect(first).toMatchObject({ side: 'BUY', details: { priceMicros: 190_000 } });
    expect(r.decisions.filter((d) => d.action === 'cancel' && d.reason === 'requote').length).toBeGreaterThanOrEqual(1);
    expect(r.fills.map((f) => [iso(f.tsMs), f.side, f.priceMicros, f.liquidity])).toEqual([
      ['2025-01-29T12:01:14.252Z', 'BUY', 190_000, 'maker'],
    ]);
    // Post-only bids never crossed the book.
    expect(r.events.filter((e) => e.type === 'order_rejected')).toHaveLength(0);
    // The ask cannot go out: the book is crossed from that moment to the end of the capture.
    expect(r.decisions.some((d) => d.reason === 'book_crossed')).toBe(true);
  });

  it('is deterministic: the same run twice gives the same fills, decisions and fills hash', async () => {
    const params = { bidOffsetPct: 1, askOffsetPct: 3, requoteDriftPct: 1, reference: 'last', sizeUsdc: 5 };
    const [a, b] = [await replay('maker-wave', params), await replay('maker-wave', params)];
    // A run that fills nothing would be "deterministic" trivially: this one trades ($5 at 0.19 = 26.31 shares).
    expect(a.fills.map((f) => [iso(f.tsMs), f.side, f.priceMicros, f.sizeMicros, f.liquidity])).toEqual([
      ['2025-01-29T12:01:14.252Z', 'BUY', 190_000, 26_310_000, 'maker'],
    ]);
    expect(a.decisions).toHaveLength(6);
    expect(a.summary.fillsHash).toBe('613ce201b2ebe220d7fd3a74a8662112c5e356c679b3bdbd8745439aa2ddbad2');
    expect(b.fills).toEqual(a.fills);
    expect(b.decisions).toEqual(a.decisions);
    expect(b.summary.fillsHash).toBe(a.summary.fillsHash);
  });
});

describe('polytail run / strategies plumbing', () => {
  it('parses --param pairs as JSON or text, with dotted keys', () => {
    expect(parseParamArgs(['dropPct=5', 'outcome=Yes', 'tokenIds=["1234567890"]', 'a.b=true'])).toEqual({
      dropPct: 5,
      outcome: 'Yes',
      tokenIds: ['1234567890'],
      a: { b: true },
    });
    expect(() => parseParamArgs(['dropPct'])).toThrow(/expected key=value/);
  });

  it('names the markets a recording holds when --market is not one of them', async () => {
    await expect(runMarketReplay({ recording, strategy: 'taker-wave', params: { market: 'some-other-market' } })).rejects.toThrow(
      /some-other-market is not in recording.*0xe0a5b98f/s,
    );
  });

  it('refuses a copy strategy', async () => {
    await expect(runMarketReplay({ recording, strategy: 'mirror', params: {} })).rejects.toThrow(/copy strategy/);
  });

  it('lists the three market strategies with their parameters and defaults', async () => {
    const rows = await listStrategies();
    for (const name of ['taker-wave', 'maker-wave', 'end-sweeper']) {
      const row = rows.find((r) => r.name === name)!;
      expect(row).toMatchObject({ kind: 'market' });
      expect(row.error).toBeUndefined();
      expect(row.params.find((p) => p.key === 'market')).toMatchObject({ required: true });
    }
    const text = renderStrategies(rows, 200);
    expect(text).toMatch(/taker-wave {2}\[market\]/);
    expect(text).toMatch(/dropPct\s+number\s+5\s+enter when the price is this % below the reference/);
    expect(text).toMatch(/mirror {2}\[copy\] {2}built-in/);
  });
});
