/**
 * Which account a request is about, and the caller's role on it. `/api/accounts/<id>/…` names it;
 * the short `/api/…` routes mean the caller's first account in the daemon's order (on a daemon with
 * one account, that account — so `polytail attach` and scripts written for one session keep working).
 * An account the caller has no role on answers exactly like one that does not exist.
 */
import type { FastifyRequest } from 'fastify';
import type { AccountDirectory, HostedAccount } from '../../core/account-directory.ts';
import type { SessionSurface } from '../../core/session-surface.ts';
import type { Access } from '../auth/access.ts';
import type { Role } from '../auth/roles.ts';

export type Resolved = { account: HostedAccount; surface: SessionSurface; role: Role } | { refusal: { status: 404 | 409; error: string } };

export interface AccountResolver {
  readonly directory: AccountDirectory;
  resolve(req: FastifyRequest, access: Access): Resolved;
  /** The accounts the caller has a role on, in the daemon's order. */
  visible(access: Access): { account: HostedAccount; role: Role }[];
}

export function accountResolver(directory: AccountDirectory): AccountResolver {
  const visible = (access: Access) =>
    directory.list().flatMap((account) => {
      const role = access.roleOn(account.info.id);
      return role === undefined ? [] : [{ account, role }];
    });
  return {
    directory,
    visible,
    resolve(req, access) {
      const named = (req.params as { account?: string } | undefined)?.account;
      let found: { account: HostedAccount; role: Role } | undefined;
      if (named === undefined) {
        found = visible(access)[0];
        if (!found) return { refusal: { status: 404, error: 'no account for this token (GET /api/accounts lists yours)' } };
      } else {
        const account = directory.get(named);
        const role = account ? access.roleOn(named) : undefined;
        if (!account || role === undefined)
          return { refusal: { status: 404, error: `no account "${named}" for this token (GET /api/accounts lists yours)` } };
        found = { account, role };
      }
      const { account, role } = found;
      if (!account.surface)
        return {
          refusal: {
            status: 409,
            error: `account "${account.info.id}" is ${account.info.state}${account.info.error ? `: ${account.info.error}` : ''}`,
          },
        };
      return { account, surface: account.surface, role };
    },
  };
}

/** A daemon with one account (a plain `--serve` session). */
export function singleAccount(surface: SessionSurface, id = 'main', label = 'main'): AccountDirectory {
  const hosted: HostedAccount = {
    info: { id, label, kind: 'wallet', mode: surface.info.mode === 'live' ? 'live' : 'paper', state: 'running' },
    surface,
  };
  return { list: () => [hosted], get: (x) => (x === id ? hosted : undefined) };
}
