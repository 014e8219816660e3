/**
 * What a token may reach on a daemon with several accounts. An operator token (made without a user)
 * has its role on every account, and an operator admin token also manages users. A user's token has,
 * on each account granted to the user, the lower of the token's role and the grant — and nothing on
 * any other account. A grant on a pool reaches its sub-accounts too (the wallet's operator sees how
 * the wallet is split); a grant on a sub-account reaches nothing else. A daemon admin user has their
 * token's role everywhere (they could grant it to themselves anyway) and manages users.
 */
import type { AccountDirectory } from '../../core/account-directory.ts';
import { ROLES, type Principal, type Role } from './roles.ts';
import type { UserStore } from './user-store.ts';

export interface Access {
  readonly principal: Principal;
  /** May manage users, grants and other users' tokens. */
  readonly daemonAdmin: boolean;
  /** The role on this account, or undefined when the account is not theirs to see. */
  roleOn(accountId: string): Role | undefined;
}

export function lowerRole(a: Role, b: Role): Role {
  return ROLES.indexOf(a) <= ROLES.indexOf(b) ? a : b;
}

/** Undefined when the token names a user that no longer exists (the token is then refused). */
export function accessOf(principal: Principal, users: UserStore, directory: AccountDirectory): Access | undefined {
  if (principal.user === undefined) {
    return { principal, daemonAdmin: principal.role === 'admin', roleOn: (id) => (directory.get(id) ? principal.role : undefined) };
  }
  const user = users.get(principal.user);
  if (!user) return undefined;
  const roleOn = (id: string): Role | undefined => {
    const account = directory.get(id);
    if (!account) return undefined;
    if (user.daemonAdmin) return principal.role;
    const grant = user.grants[id] ?? (account.info.parent !== undefined ? user.grants[account.info.parent] : undefined);
    return grant === undefined ? undefined : lowerRole(principal.role, grant);
  };
  return { principal, daemonAdmin: user.daemonAdmin && principal.role === 'admin', roleOn };
}
