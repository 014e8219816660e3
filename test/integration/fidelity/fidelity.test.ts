/**
 * A short fidelity run: paper and live sessions follow one sandbox target together; the comparison
 * pairs their copies by target fill and reports the gaps it measured (not a pass/fail on their size:
 * docs/scout.md records the measured figures).
 */
import { describe, expect, it } from 'vitest';
import { runFidelity } from '../../../src/modes/fidelity.ts';

describe('npm run fidelity (short)', () => {
  it('pairs paper and live copies of the same target fills and reports the gaps', async () => {
    const r = await runFidelity({ targetTrades: 15, timeoutMs: 150_000 });
    expect(r.targetTrades).toBeGreaterThanOrEqual(15);
    expect(r.fills).toBeGreaterThanOrEqual(3);
    expect(r.fills + r.onlyPaper + r.onlyLive).toBeLessThanOrEqual(r.targetTrades);
    expect(r.fillMismatches).toBeLessThanOrEqual(r.fills);
    expect(Number.isFinite(r.pnlPaper) && Number.isFinite(r.pnlLive)).toBe(true);
    expect(r.avgPriceGapBps).not.toBeNull();
    expect(r.pnlGapBpsOfNotional).not.toBeNull();
  }, 200_000);
});
