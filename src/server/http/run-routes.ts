/**
 * Market strategy runs of an account (modes/strategy-runs.ts): a viewer lists them with status,
 * parameters, fills and PnL; a trader starts and cancels them (seed 001: starting a strategy is what
 * a trader does; adding copy targets and other strategies stays an admin's). Recorded in the account's
 * audit table like every state-changing call.
 */
import { z } from 'zod';
import type { HostedAccount, RunBook } from '../../core/account-directory.ts';
import { SurfaceError, type Principal } from '../../core/session-surface.ts';
import { idParams } from '../api/contract.ts';
import type { RouteKit } from './route-kit.ts';

export const runBody = z
  .object({
    strategy: z
      .string()
      .regex(/^[\w.-]{1,80}$/, 'a strategy name (built-in or a file in strategies/)')
      .min(1),
    params: z.record(z.string(), z.unknown()).optional(),
    name: z
      .string()
      .regex(/^[\w.-]{1,40}$/, 'letters, digits, _ . - (at most 40)')
      .optional(),
  })
  .strict();

export function runsOf(account: HostedAccount): RunBook {
  if (!account.runs) throw new SurfaceError(`account "${account.info.id}" has no strategy runs`, 404);
  return account.runs;
}

/** Who started or cancelled a run, as the run keeps it. */
export function actorName(p: Principal): string {
  return p.user ?? p.name;
}

export function registerRunRoutes(kit: RouteKit): void {
  kit
    .add({
      method: 'GET',
      url: '/runs',
      role: 'viewer',
      tag: 'strategies',
      summary: 'market strategy runs: status (running, finished, failed, cancelled), parameters, fills and PnL',
      handler: ({ account }) => runsOf(account).list(),
    })
    .add({
      method: 'POST',
      url: '/runs',
      role: 'trader',
      tag: 'strategies',
      summary: 'start a market strategy run with parameters',
      body: runBody,
      action: 'start_run',
      handler: ({ account, body, principal }) =>
        runsOf(account).start({ strategy: body.strategy, params: body.params, name: body.name }, actorName(principal)),
    })
    .add({
      method: 'POST',
      url: '/runs/:id/cancel',
      role: 'trader',
      tag: 'strategies',
      summary: 'cancel a running run: its strategy stops, its open orders are cancelled, its positions stay',
      params: idParams,
      action: 'cancel_run',
      handler: ({ account, params, principal }) => runsOf(account).cancel(params.id, actorName(principal)),
    });
}
