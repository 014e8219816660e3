import { describe, expect, it } from 'vitest';
import { engageKillSwitch, ordersToCancelFor } from '../../../src/risk/kill-switch.ts';
import { RiskManager } from '../../../src/risk/risk-manager.ts';
import { account, market, order } from './risk-fixtures.ts';

const buy = order({ clientOrderId: 'b1', side: 'BUY' });
const sell = order({ clientOrderId: 's1', side: 'SELL' });

describe('kill switch', () => {
  it('halts, lists every working order and blocks new ones', () => {
    const risk = new RiskManager({});
    const result = engageKillSwitch(risk, 'user pressed K', 1_000, [buy, sell]);
    expect(result.cancel.map((o) => o.clientOrderId)).toEqual(['b1', 's1']);
    expect(result.wasHalted).toBe(false);
    expect(result.alert).toMatchObject({ tsMs: 1_000, level: 'critical', code: 'kill_switch', details: { ordersToCancel: 2 } });
    expect(result.alert.message).toBe('kill switch: user pressed K; trading halted, 2 working orders to cancel');
    expect(risk.state()).toBe('halted');
    expect(risk.check({ order: buy, market: market(), account: account(), nowMs: 2_000 }).reason).toBe('risk_halted');
    expect(engageKillSwitch(risk, 'again', 3_000, []).wasHalted).toBe(true);
  });

  it('cancels by state: all when halted, BUYs when reduce-only, none when active or paused', () => {
    expect(ordersToCancelFor('halted', [buy, sell])).toEqual([buy, sell]);
    expect(ordersToCancelFor('reduce-only', [buy, sell])).toEqual([buy]);
    expect(ordersToCancelFor('paused', [buy, sell])).toEqual([]);
    expect(ordersToCancelFor('active', [buy, sell])).toEqual([]);
  });
});
