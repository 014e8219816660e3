/**
 * State-changing routes. Traders pause, resume, change multipliers, cancel orders and resync;
 * admins also pull the kill switch, change limits, add and remove targets, start or stop
 * strategies and turn any declared knob. Everything goes through EngineCommands (as the TUI does)
 * or the session surface; every call is recorded (who, what, when) by the route kit.
 */
import { bodies, idParams } from '../api/contract.ts';
import { SurfaceError, type SessionSurface } from '../../core/session-surface.ts';
import { MULTIPLIER_KNOB } from '../../strategy/api.ts';
import { setKnobs } from './knobs.ts';
import { requireStrategy } from './read-routes.ts';
import type { RouteKit } from './route-kit.ts';

export function registerControlRoutes(kit: RouteKit): void {
  const by = (name: string, reason: string | undefined, fallback: string) => reason ?? `${fallback} by ${name}`;
  const riskState = (surface: SessionSurface) => surface.view.snapshot().riskState;
  kit
    .add({
      method: 'POST',
      url: '/risk/pause',
      role: 'trader',
      tag: 'risk',
      summary: 'pause all trading (risk state → paused)',
      body: bodies.reason,
      action: 'pause_all',
      handler: ({ surface, body, principal }) => {
        surface.commands.pauseAll(by(principal.name, body.reason, 'paused'));
        return { state: riskState(surface) };
      },
    })
    .add({
      method: 'POST',
      url: '/risk/resume',
      role: 'trader',
      tag: 'risk',
      summary: 'resume trading after a pause (a halt is lifted only by a restart)',
      body: bodies.reason,
      action: 'resume_all',
      handler: ({ surface }) => {
        const snap = surface.view.snapshot();
        if (snap.riskState === 'halted')
          throw new SurfaceError(`trading is halted (${snap.riskReason}); a halt is lifted only by restarting the session`, 409);
        surface.commands.resumeAll();
        return { state: riskState(surface) };
      },
    })
    .add({
      method: 'POST',
      url: '/risk/kill',
      role: 'admin',
      tag: 'risk',
      summary: 'kill switch: cancel every open order and halt trading',
      body: bodies.reason,
      action: 'kill_switch',
      handler: ({ surface, body, principal }) => {
        surface.commands.killSwitch(by(principal.name, body.reason, 'kill switch'));
        return { state: riskState(surface) };
      },
    })
    .add({
      method: 'PATCH',
      url: '/risk/limits',
      role: 'admin',
      tag: 'risk',
      summary: 'change account-wide limits (config units; null removes a limit)',
      body: bodies.values,
      action: 'set_limits',
      handler: ({ surface, body, account, access }) => {
        // A member's limits protect the pool: only its operator sets them, not the member.
        if (account.info.parent !== undefined && access.roleOn(account.info.parent) !== 'admin')
          throw new SurfaceError('only an admin of the pool sets a sub-account’s limits', 403);
        return surface.updateRiskLimits(body);
      },
    })
    .add({
      method: 'POST',
      url: '/resync',
      role: 'trader',
      tag: 'risk',
      summary: 're-read positions from the venue and the targets now',
      body: bodies.reason,
      action: 'resync',
      handler: ({ surface }) => surface.commands.resync(),
    })
    .add({
      method: 'POST',
      url: '/orders/:id/cancel',
      role: 'trader',
      tag: 'orders',
      summary: 'cancel one open order by client order id',
      params: idParams,
      body: bodies.reason,
      action: 'cancel_order',
      handler: ({ surface, params }) => {
        if (!surface.view.snapshot().openOrders.some((o) => o.clientOrderId === params.id))
          throw new SurfaceError(`no open order "${params.id}"`, 404);
        surface.commands.cancelOrder(params.id);
      },
    })
    .add({
      method: 'POST',
      url: '/targets',
      role: 'admin',
      tag: 'targets',
      summary: 'start copying a wallet (a copy strategy, mirror by default)',
      body: bodies.target,
      action: 'add_target',
      handler: ({ surface, body }) => surface.addTarget(body),
    })
    .add({
      method: 'DELETE',
      url: '/targets/:id',
      role: 'admin',
      tag: 'targets',
      summary: 'stop copying: the strategy stops and its open orders are cancelled; its positions stay',
      params: idParams,
      action: 'remove_target',
      handler: ({ surface, params }) => {
        if (requireStrategy(surface, params.id).kind !== 'copy') throw new SurfaceError(`${params.id} is not a copy target`, 400);
        return surface.stopStrategy(params.id);
      },
    })
    .add({
      method: 'POST',
      url: '/strategies',
      role: 'admin',
      tag: 'strategies',
      summary: 'start a strategy (built-in name or a file in strategies/) with parameters',
      body: bodies.strategy,
      action: 'start_strategy',
      handler: ({ surface, body }) => surface.startStrategy(body),
    })
    .add({
      method: 'POST',
      url: '/strategies/:id/stop',
      role: 'admin',
      tag: 'strategies',
      summary: 'stop a strategy: no more actions, its open orders are cancelled, its positions stay',
      params: idParams,
      body: bodies.reason,
      action: 'stop_strategy',
      handler: ({ surface, params }) => (requireStrategy(surface, params.id), surface.stopStrategy(params.id)),
    })
    .add({
      method: 'PATCH',
      url: '/strategies/:id/knobs',
      role: 'admin',
      tag: 'strategies',
      summary: 'turn knobs the strategy declares (GET …/knobs lists them with their ranges); all or none',
      params: idParams,
      body: bodies.knobs,
      action: 'set_knobs',
      handler: ({ surface, params, body }) => {
        setKnobs(surface.commands, requireStrategy(surface, params.id), body);
        return requireStrategy(surface, params.id).knobs;
      },
    });
  for (const base of ['targets', 'strategies'] as const) {
    kit
      .add({
        method: 'POST',
        url: `/${base}/:id/pause`,
        role: 'trader',
        tag: base,
        summary: 'pause one strategy (its target trades are skipped as strategy_paused)',
        params: idParams,
        body: bodies.reason,
        action: 'pause_strategy',
        handler: ({ surface, params, body, principal }) => {
          requireStrategy(surface, params.id);
          surface.commands.pauseStrategy(params.id, by(principal.name, body.reason, 'paused'));
          return requireStrategy(surface, params.id);
        },
      })
      .add({
        method: 'POST',
        url: `/${base}/:id/resume`,
        role: 'trader',
        tag: base,
        summary: 'resume one strategy',
        params: idParams,
        body: bodies.reason,
        action: 'resume_strategy',
        handler: ({ surface, params }) => {
          if (requireStrategy(surface, params.id).stopped) throw new SurfaceError(`${params.id} was stopped; start it again instead`, 409);
          surface.commands.resumeStrategy(params.id);
          return requireStrategy(surface, params.id);
        },
      })
      .add({
        method: 'POST',
        url: `/${base}/:id/multiplier`,
        role: 'trader',
        tag: base,
        summary: 'turn a strategy’s `multiplier` knob (the TUI’s +/-)',
        params: idParams,
        body: bodies.multiplier,
        action: 'set_multiplier',
        handler: ({ surface, params, body }) => {
          setKnobs(surface.commands, requireStrategy(surface, params.id), { [MULTIPLIER_KNOB]: body.multiplier });
          return { id: params.id, multiplier: requireStrategy(surface, params.id).multiplier };
        },
      });
  }
}
