/**
 * Copies approved before a crash but never sent: found per (target fill, strategy), never when any
 * order of that strategy for the fill reached the venue, and split into fresh (decided again) and
 * stale (`stale_after_restart`) by the trade's age.
 */
import { describe, expect, it } from 'vitest';
import type { Decision } from '../../../src/core/ports.ts';
import { findUnsentCopies, planUnsent } from '../../../src/live/unsent-copies.ts';

let n = 0;
function d(causeKey: string, strategyId: string, action: Decision['action'], clientOrderId?: string): { decision: Decision } {
  return {
    decision: {
      decisionId: `d-${++n}`,
      tsMs: 1_000 + n,
      strategyId,
      causeKey,
      tokenId: 't1',
      side: 'BUY',
      action,
      reason: action === 'skip' ? 'stale_after_restart' : 'approved',
      message: '',
      details: {},
      checks: [],
      clientOrderId,
    },
  };
}

describe('findUnsentCopies', () => {
  const events = new Map([
    ['k1', 500],
    ['k2', 600],
  ]);
  const eventMs = (k: string) => events.get(k);

  it('finds an approved copy with no order anywhere, with the fill’s event time', () => {
    const found = findUnsentCopies([d('k1', 'tail', 'copy', 'o-1')], new Set(), eventMs);
    expect(found).toEqual([{ strategyId: 'tail', causeKey: 'k1', clientOrderId: 'o-1', tokenId: 't1', side: 'BUY', eventMs: 500 }]);
  });

  it('leaves alone a copy whose order reached the venue (journalled, filled or answered)', () => {
    expect(findUnsentCopies([d('k1', 'tail', 'copy', 'o-1')], new Set(['o-1']), eventMs)).toEqual([]);
  });

  it('never redoes a fill for which an earlier order of the same strategy reached the venue', () => {
    const decisions = [d('k1', 'tail', 'copy', 'o-1'), d('k1', 'tail', 'copy', 'o-2')];
    expect(findUnsentCopies(decisions, new Set(['o-1']), eventMs)).toEqual([]);
  });

  it('is settled once a later decision answers the fill (a stale skip written at an earlier restart)', () => {
    const decisions = [d('k1', 'tail', 'copy', 'o-1'), d('k1', 'tail', 'skip')];
    expect(findUnsentCopies(decisions, new Set(), eventMs)).toEqual([]);
  });

  it('judges each strategy apart: one sent, the other lost', () => {
    const decisions = [d('k2', 'tail', 'copy', 'o-1'), d('k2', 'fade', 'copy', 'o-2')];
    const found = findUnsentCopies(decisions, new Set(['o-1']), eventMs);
    expect(found.map((u) => [u.strategyId, u.clientOrderId])).toEqual([['fade', 'o-2']]);
  });
});

describe('planUnsent', () => {
  it('decides fresh copies again (only their strategies) and skips the stale ones', () => {
    const unsent = [
      { strategyId: 'tail', causeKey: 'k1', clientOrderId: 'o-1', eventMs: 100_000 },
      { strategyId: 'fade', causeKey: 'k1', clientOrderId: 'o-2', eventMs: 100_000 },
      { strategyId: 'tail', causeKey: 'k2', clientOrderId: 'o-3', eventMs: 10_000 },
    ];
    const plan = planUnsent(unsent, 150_000, 60_000);
    expect([...plan.redecide]).toEqual([['k1', new Set(['tail', 'fade'])]]);
    expect([...plan.redecideFrom]).toEqual([['k1', 100_000]]);
    expect(plan.stale.map((u) => u.clientOrderId)).toEqual(['o-3']);
  });
});
