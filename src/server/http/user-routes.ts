/**
 * Daemon routes: who am I, which accounts may I see, and — for a daemon admin — users, their grants
 * on accounts and their tokens. Every change that can take access away re-checks open streams at once
 * (`accessChanged`), so a revoked token or a withdrawn grant also ends its WebSocket.
 */
import { z } from 'zod';
import { SurfaceError } from '../../core/session-surface.ts';
import { ROLES } from '../auth/roles.ts';
import type { TokenStore } from '../auth/token-store.ts';
import { ACCOUNT_ROLES, USER_NAME_RE, type UserStore } from '../auth/user-store.ts';
import type { AccountResolver } from './account-scope.ts';
import type { RouteKit } from './route-kit.ts';

const userName = z.string().regex(USER_NAME_RE, 'lower-case letters, digits, _ . - (at most 40)');
const nameParams = z.object({ name: userName }).strict();
const grantParams = z.object({ name: userName, account: z.string().min(1).max(40) }).strict();
const tokenParams = z.object({ id: z.string().min(1).max(80) }).strict();

export interface UserRouteDeps {
  users: UserStore;
  tokens: TokenStore;
  accounts: AccountResolver;
  now: () => number;
  accessChanged: () => void;
}

export function registerUserRoutes(kit: RouteKit, d: UserRouteDeps): void {
  const { users, tokens, accounts, now } = d;
  const requireUser = (name: string) => {
    const user = users.get(name);
    if (!user) throw new SurfaceError(`no user "${name}" (GET /api/users lists them)`, 404);
    return user;
  };
  const changed = <T>(result: T): T => (d.accessChanged(), result);
  kit
    .addDaemon({
      method: 'GET',
      url: '/me',
      role: 'metrics',
      tag: 'users',
      summary: 'this token: its name, user, role, whether it manages users, and the accounts it reaches',
      handler: ({ access }) => ({
        token: { id: access.principal.id, name: access.principal.name, role: access.principal.role },
        user: access.principal.user,
        daemonAdmin: access.daemonAdmin,
        accounts: accounts.visible(access).map(({ account, role }) => ({ ...account.info, role })),
      }),
    })
    .addDaemon({
      method: 'GET',
      url: '/accounts',
      role: 'viewer',
      tag: 'accounts',
      summary: 'the accounts this token reaches, with its role on each (others are not listed)',
      handler: ({ access }) => accounts.visible(access).map(({ account, role }) => ({ ...account.info, role })),
    })
    .addDaemon({
      method: 'GET',
      url: '/users',
      role: 'admin',
      daemonAdmin: true,
      tag: 'users',
      summary: 'users and their grants (daemon admin)',
      handler: () => users.list().map(({ telegramChats, ...u }) => ({ ...u, telegramChats: telegramChats.length })),
    })
    .addDaemon({
      method: 'POST',
      url: '/users',
      role: 'admin',
      daemonAdmin: true,
      tag: 'users',
      summary: 'create a user (no grants yet)',
      body: z.object({ name: userName, daemonAdmin: z.boolean().optional() }).strict(),
      action: 'create_user',
      handler: ({ body }) => users.create(body.name, { daemonAdmin: body.daemonAdmin, nowMs: now() }),
    })
    .addDaemon({
      method: 'DELETE',
      url: '/users/:name',
      role: 'admin',
      daemonAdmin: true,
      tag: 'users',
      summary: 'remove a user and revoke their tokens',
      params: nameParams,
      action: 'remove_user',
      handler: ({ params, principal }) => {
        requireUser(params.name);
        if (principal.user === params.name) throw new SurfaceError('a daemon admin cannot remove themselves; ask another admin', 409);
        for (const t of tokens.list()) if (t.user === params.name && t.revokedMs === undefined) tokens.revoke(t.id, now());
        users.remove(params.name);
        return changed({ removed: params.name });
      },
    })
    .addDaemon({
      method: 'PUT',
      url: '/users/:name/grants/:account',
      role: 'admin',
      daemonAdmin: true,
      tag: 'users',
      summary: 'grant a user a role on an account (viewer, trader, admin), or take it away with null',
      params: grantParams,
      body: z.object({ role: z.enum(ACCOUNT_ROLES).nullable() }).strict(),
      action: 'grant',
      handler: ({ params, body }) => {
        requireUser(params.name);
        if (!accounts.directory.get(params.account)) throw new SurfaceError(`no account "${params.account}" on this daemon`, 404);
        return changed(users.grant(params.name, params.account, body.role ?? undefined));
      },
    })
    .addDaemon({
      method: 'POST',
      url: '/users/:name/tokens',
      role: 'admin',
      daemonAdmin: true,
      tag: 'users',
      summary: 'create a token for a user (shown once); its role caps the user’s grants',
      params: nameParams,
      body: z
        .object({
          role: z.enum(ROLES),
          name: z
            .string()
            .regex(/^[\w.@ -]{1,60}$/)
            .optional(),
        })
        .strict(),
      action: 'create_token',
      handler: async ({ params, body }) => {
        requireUser(params.name);
        const { token, info } = await tokens.create(body.role, body.name ?? `${params.name}-${body.role}`, now(), params.name);
        return { token, ...info };
      },
    })
    .addDaemon({
      method: 'GET',
      url: '/tokens',
      role: 'viewer',
      tag: 'users',
      summary: 'tokens: every one for a daemon admin, else this user’s own (never a secret or a hash)',
      handler: ({ access, principal }) =>
        tokens
          .list()
          .filter((t) => access.daemonAdmin || t.id === principal.id || (principal.user !== undefined && t.user === principal.user)),
    })
    .addDaemon({
      method: 'POST',
      url: '/tokens/:id/revoke',
      role: 'viewer',
      tag: 'users',
      summary: 'revoke a token at once (its open streams close): a daemon admin any, a user their own',
      params: tokenParams,
      action: 'revoke_token',
      handler: ({ access, principal, params }) => {
        const target = tokens.list().find((t) => t.id === params.id);
        const own =
          target !== undefined && (target.id === principal.id || (principal.user !== undefined && target.user === principal.user));
        // Someone else's token answers like a missing one: ids are not secrets, but whose they are is.
        if (!target || (!own && !access.daemonAdmin)) throw new SurfaceError(`no token "${params.id}" of yours`, 404);
        return changed(tokens.revoke(target.id, now()));
      },
    });
}
