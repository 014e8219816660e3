import { describe, expect, it } from 'vitest';
import type { EngineListener } from '../../../src/core/ports.ts';
import { ListenerBacklog } from '../../../src/modes/listener-backlog.ts';

/** A listener that writes down every call it gets, by kind. */
function tape(): { calls: string[]; listener: EngineListener } {
  const calls: string[] = [];
  return {
    calls,
    listener: {
      onRiskState: (state, reason) => calls.push(`risk ${state} ${reason}`),
      onEquity: (p) => calls.push(`equity ${p.equityMicros}`),
    },
  };
}
const equity = (equityMicros: number) =>
  ({ tsMs: 0, equityMicros, cashMicros: 0, realizedMicros: 0, unrealizedMicros: 0 }) as Parameters<
    NonNullable<EngineListener['onEquity']>
  >[0];

describe('ListenerBacklog', () => {
  it('hands a late listener what came before, in order, then every call live', () => {
    const backlog = new ListenerBacklog();
    backlog.onEquity(equity(1));
    backlog.onRiskState('halted', 'daily loss');
    const late = tape();
    backlog.attach(late.listener);
    expect(late.calls).toEqual(['equity 1', 'risk halted daily loss']);
    backlog.onEquity(equity(2));
    expect(late.calls).toEqual(['equity 1', 'risk halted daily loss', 'equity 2']);
  });

  it('gives listeners attached after stopHolding only what comes next', () => {
    const backlog = new ListenerBacklog();
    const first = tape();
    backlog.onEquity(equity(1));
    backlog.attach(first.listener);
    backlog.stopHolding();
    const second = tape();
    backlog.attach(second.listener);
    backlog.onEquity(equity(2));
    expect(first.calls).toEqual(['equity 1', 'equity 2']);
    expect(second.calls).toEqual(['equity 2']);
  });

  it('stops holding at its limit instead of growing, and says how much a late listener missed', () => {
    const backlog = new ListenerBacklog(3);
    for (let i = 1; i <= 5; i++) backlog.onEquity(equity(i));
    const late = tape();
    backlog.attach(late.listener);
    backlog.onEquity(equity(6));
    expect(late.calls).toEqual(['equity 6']);
    expect(backlog.dropped).toBe(3);
  });
});
