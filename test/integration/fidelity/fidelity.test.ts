/**
 * A short fidelity run (`npm run fidelity`): paper and live sessions follow one sandbox target in
 * lockstep — both copies of each target fill meet the same book — and at latency 0 paper's book-walk
 * fills must be live's fills exactly: the same copies, shares and prices, and the same PnL.
 */
import { describe, expect, it } from 'vitest';
import { runFidelity } from '../../../src/modes/fidelity.ts';

describe('npm run fidelity (short)', () => {
  it('paper at latency 0 fills exactly what live fills on the same books', async () => {
    const r = await runFidelity({ targetTrades: 15, timeoutMs: 150_000 });
    expect(r.pace).toBe('lockstep');
    expect(r.targetTrades).toBeGreaterThanOrEqual(15);
    // Every target fill copied on both sides, and nothing copied on one side only.
    expect({ fills: r.fills, onlyPaper: r.onlyPaper, onlyLive: r.onlyLive, mismatches: r.fillMismatches }).toEqual({
      fills: r.targetTrades,
      onlyPaper: 0,
      onlyLive: 0,
      mismatches: 0,
    });
    expect(r.sharesGapPct).toBe(0);
    expect(r.avgPriceGapBps).toBe(0);
    expect(r.pnlPaper).not.toBe(0);
    expect(r.pnlPaper).toBe(r.pnlLive);
    // Live's copy latency was measured for every order it sent.
    expect(r.liveLatencyMs.n).toBeGreaterThanOrEqual(r.fills);
    expect(r.liveLatencyMs.p50).toBeGreaterThan(0);
  }, 200_000);
});
