/** MarketPrefetch on its own: what it loads, how many at once, and that a failed token is tried again. */
import { describe, expect, it } from 'vitest';
import { MarketPrefetch } from '../../../src/live/market-prefetch.ts';

function harness(failing = new Set<string>()) {
  const loaded: string[] = [];
  const warmed: [string, string | undefined][] = [];
  let running = 0;
  let maxRunning = 0;
  const gates: (() => void)[] = [];
  const prefetch = new MarketPrefetch({
    loadMarket: async (t) => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      await new Promise<void>((r) => gates.push(r));
      running--;
      loaded.push(t);
      if (failing.has(t)) throw new Error(`no market for ${t}`);
    },
    warmVenue: async (t, c) => void warmed.push([t, c]),
    concurrency: 2,
    log: () => {},
  });
  const release = async () => {
    while (prefetch.stats.done < prefetch.stats.queued) {
      gates.splice(0).forEach((g) => g());
      await new Promise((r) => setImmediate(r));
    }
  };
  return { prefetch, loaded, warmed, release, maxRunning: () => maxRunning };
}

describe('MarketPrefetch', () => {
  it('loads each held token and its other outcome once, a few at a time, skipping resolved positions', async () => {
    const h = harness();
    h.prefetch.add([
      { tokenId: 'a', conditionId: 'c1', oppositeTokenId: 'b' },
      { tokenId: 'b', conditionId: 'c1', oppositeTokenId: 'a' },
      { tokenId: 'x', conditionId: 'c2', redeemable: true },
      { tokenId: 'd', conditionId: 'c3' },
      { tokenId: 'e' },
    ]);
    h.prefetch.add([{ tokenId: 'a', conditionId: 'c1' }]);
    await h.release();
    await h.prefetch.idle();
    expect(h.loaded.sort()).toEqual(['a', 'b', 'd', 'e']);
    expect(h.warmed).toContainEqual(['a', 'c1']);
    expect(h.warmed).toContainEqual(['e', undefined]);
    expect(h.maxRunning()).toBe(2);
    expect(h.prefetch.stats).toMatchObject({ queued: 4, done: 4, failed: 0 });
  });

  it('tries a token whose load failed again the next time its target holds it', async () => {
    const h = harness(new Set(['a']));
    h.prefetch.add([{ tokenId: 'a' }]);
    await h.release();
    await h.prefetch.idle();
    expect(h.prefetch.stats).toMatchObject({ queued: 1, done: 1, failed: 1 });
    h.prefetch.add([{ tokenId: 'a' }]);
    await h.release();
    await h.prefetch.idle();
    expect(h.loaded).toEqual(['a', 'a']);
  });
});
