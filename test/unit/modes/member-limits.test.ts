/**
 * A sub-account's limits set at run time outlive the process: each change is recorded in the pool's
 * recording (a real DuckDB file) before the API confirms it, and a restart reads back the newest —
 * including a limit the admin removed, which must not come back from the config's defaults.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SessionSurface } from '../../../src/core/session-surface.ts';
import { memberRiskLimits, memberSurface, recordedMemberLimits } from '../../../src/modes/member-surface.ts';
import type { LiveSession } from '../../../src/modes/live-session.ts';
import { RiskManager } from '../../../src/risk/risk-manager.ts';
import { AccountBookQueries, RecordingStore } from '../../../src/store/index.ts';
import { useTempDir } from '../store/helpers.ts';

const tempDir = useTempDir();
const CONFIG = { maxOrderUsdc: 25, maxDailyTrades: 40 };

/** A process's view of one member: the config's limits, then whatever the recording says was set since. */
async function open(path: string, now: number) {
  const store = await RecordingStore.open(path);
  const queries = new AccountBookQueries(store);
  const recorded = (await queries.memberLimits()).find((l) => l.account === 'pool-ann');
  const risk = new RiskManager(memberRiskLimits(CONFIG));
  if (recorded) risk.updateLimits(recordedMemberLimits(recorded));
  const member = memberSurface({
    pool: {} as SessionSurface,
    session: { engine: { control: { mode: 'paper' } } } as unknown as LiveSession, // limits touch no engine
    member: 'pool-ann',
    now: () => now,
    queries,
    earlier: [],
    earlierLimits: recorded,
    risk,
  });
  return { store, queries, risk, surface: member.surface };
}

describe('sub-account limits across a restart', () => {
  it('come back as last set, not as the config had them', async () => {
    const path = join(tempDir(), 'pool.duckdb');
    const first = await open(path, 1_000);
    expect(first.surface.riskLimits()).toEqual(CONFIG);
    // Two changes at once: each lands on the other's result, in order.
    const [a, b] = await Promise.all([
      first.surface.updateRiskLimits({ maxDailyUsdc: 100.5, maxDailyTrades: null }),
      first.surface.updateRiskLimits({ maxOrderUsdc: 10 }),
    ]);
    expect(a).toEqual({ maxOrderUsdc: 25, maxDailyUsdc: 100.5 });
    expect(b).toEqual({ maxOrderUsdc: 10, maxDailyUsdc: 100.5 });
    await expect(Promise.resolve(first.surface.updateRiskLimits({ maxDailyUsdc: -1 }))).rejects.toThrow(/maxDailyUsdc/);
    expect(first.risk.limits).toMatchObject({ maxOrderUsdcMicros: 10_000_000, maxDailyUsdcMicros: 100_500_000 });
    expect(first.risk.limits.maxDailyTrades).toBeUndefined();
    await first.store.close();

    // A restart: the newest change is in force; the removed daily trade count stays removed.
    const second = await open(path, 2_000);
    expect(second.surface.riskLimits()).toEqual({ maxOrderUsdc: 10, maxDailyUsdc: 100.5 });
    expect(second.risk.limits).toEqual({ maxOrderUsdcMicros: 10_000_000, maxDailyUsdcMicros: 100_500_000 });
    // A change after the restart is newer than every one before it.
    expect(await second.surface.updateRiskLimits({ maxDailyUsdc: null, maxDailyTrades: 3 })).toEqual({
      maxOrderUsdc: 10,
      maxDailyTrades: 3,
    });
    expect((await second.queries.memberLimits()).map((l) => [l.account, l.version, l.tsMs])).toEqual([['pool-ann', 3, 2_000]]);
    await second.store.close();

    const third = await open(path, 3_000);
    expect(third.surface.riskLimits()).toEqual({ maxOrderUsdc: 10, maxDailyTrades: 3 });
    await third.store.close();
  }, 60_000);
});
