/**
 * What to do with working orders when the risk state tightens. The engine calls these and then
 * cancels the listed orders on its venue; risk itself never touches a venue.
 */
import type { Alert } from '../core/ports.ts';
import type { Order, RiskState } from '../core/types.ts';
import type { RiskManager } from './risk-manager.ts';

/**
 * Orders that no longer fit `state`: all of them when halted; the BUYs (which would grow a
 * position) when reduce-only; none when active or paused (pause stops new orders, it does not
 * pull resting ones).
 */
export function ordersToCancelFor(state: RiskState, orders: readonly Order[]): Order[] {
  if (state === 'halted') return [...orders];
  if (state === 'reduce-only') return orders.filter((o) => o.side === 'BUY');
  return [];
}

export interface KillSwitchResult {
  /** Critical alert to emit (`kill_switch`). */
  alert: Alert;
  /** Every working order: cancel them all. */
  cancel: Order[];
  /** True when risk was already halted before this call. */
  wasHalted: boolean;
}

/** Halts trading and lists every working order to cancel. */
export function engageKillSwitch(risk: RiskManager, reason: string, nowMs: number, workingOrders: readonly Order[]): KillSwitchResult {
  const wasHalted = risk.state() === 'halted';
  risk.halt(reason);
  const cancel = ordersToCancelFor('halted', workingOrders);
  return {
    alert: {
      tsMs: nowMs,
      level: 'critical',
      code: 'kill_switch',
      message: `kill switch: ${reason}; trading halted, ${cancel.length} working order${cancel.length === 1 ? '' : 's'} to cancel`,
      details: { ordersToCancel: cancel.length, wasHalted },
    },
    cancel,
    wasHalted,
  };
}
