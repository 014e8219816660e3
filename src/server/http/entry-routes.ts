/**
 * Deposits and withdrawals of a sub-account's virtual balance: anyone who sees the sub-account reads
 * them; only an admin of the pool (the wallet's operator) records them — a member, even an admin of
 * their own sub-account, cannot credit themselves.
 */
import { z } from 'zod';
import { toMicros } from '../../core/money.ts';
import { SurfaceError } from '../../core/session-surface.ts';
import type { RouteKit } from './route-kit.ts';

export function registerEntryRoutes(kit: RouteKit): void {
  kit
    .add({
      method: 'GET',
      url: '/entries',
      role: 'viewer',
      tag: 'accounts',
      summary: 'a sub-account’s deposits and withdrawals',
      handler: ({ account }) => {
        if (!account.entries) throw new SurfaceError(`account "${account.info.id}" is not a sub-account`, 404);
        return account.entries.list();
      },
    })
    .add({
      method: 'POST',
      url: '/entries',
      role: 'viewer',
      tag: 'accounts',
      summary: 'record a deposit or withdrawal on a sub-account (an admin of its pool only)',
      body: z
        .object({ kind: z.enum(['deposit', 'withdrawal']), usdc: z.number().positive().max(1e9), note: z.string().max(200).default('') })
        .strict(),
      action: 'record_entry',
      handler: ({ account, access, principal, body }) => {
        if (!account.entries || account.info.parent === undefined)
          throw new SurfaceError(`account "${account.info.id}" is not a sub-account`, 404);
        if (access.roleOn(account.info.parent) !== 'admin')
          throw new SurfaceError('only an admin of the pool records deposits and withdrawals', 403);
        return account.entries.record({
          kind: body.kind,
          amountMicros: toMicros(body.usdc),
          note: body.note,
          by: principal.user ?? principal.name,
        });
      },
    });
}
