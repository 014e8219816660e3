/**
 * One way to declare an API route: method, path, the role it needs, zod schemas for its input and a
 * handler. An account route is served at `/api/accounts/:account/<path>` and, for the daemon's
 * default account, at `/api/<path>`; the kit finds the account, asks the token's access what role it
 * has there (no role → 404, as for an account that does not exist: a user never learns what others
 * hold; too low → 403, nothing done), validates (400 with the problems), maps refusals to status
 * codes, records every state-changing call in that account's audit table, and describes the route in
 * the served OpenAPI document. Daemon routes (users, tokens, the account list) are checked by their
 * own handler against the token's access.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { HostedAccount } from '../../core/account-directory.ts';
import { ConfigError } from '../../core/errors.ts';
import { redactedMessage } from '../../core/redact.ts';
import { SurfaceError, type SessionSurface } from '../../core/session-surface.ts';
import type { Access } from '../auth/access.ts';
import { roleAllows, type Principal, type Role } from '../auth/roles.ts';
import type { AccountResolver } from './account-scope.ts';

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface RouteContext<B, Q, P> {
  principal: Principal;
  access: Access;
  body: B;
  query: Q;
  params: P;
}

export interface AccountRouteContext<B, Q, P> extends RouteContext<B, Q, P> {
  account: HostedAccount;
  surface: SessionSurface;
  /** The caller's role on this account. */
  role: Role;
}

interface BaseSpec<B, Q, P> {
  method: Method;
  /** Below /api, without the account: `/status`, `/strategies/:id/knobs`. */
  url: string;
  role: Role;
  summary: string;
  tag: string;
  body?: z.ZodType<B>;
  query?: z.ZodType<Q>;
  params?: z.ZodType<P>;
}

export interface RouteSpec<B = unknown, Q = unknown, P = unknown> extends BaseSpec<B, Q, P> {
  /** Set for state-changing routes: the name recorded in the account's audit table. */
  action?: string;
  handler(ctx: AccountRouteContext<B, Q, P>): unknown;
}

export interface DaemonRouteSpec<B = unknown, Q = unknown, P = unknown> extends BaseSpec<B, Q, P> {
  /** Also needs a daemon admin (user management). */
  daemonAdmin?: boolean;
  /** Set for state-changing routes: the name recorded in the daemon's audit file. */
  action?: string;
  handler(ctx: RouteContext<B, Q, P>): unknown;
}

export interface OpenApiOperation {
  method: Method;
  url: string;
  role: Role;
  summary: string;
  tag: string;
  body?: unknown;
  query?: unknown;
}

/** Where daemon-wide state changes (users, grants, tokens) are recorded. */
export type DaemonAudit = (entry: {
  tsMs: number;
  actor: Principal;
  action: string;
  subject?: string;
  outcome: 'ok' | 'failed';
  message: string;
}) => void;

export class RouteKit {
  readonly operations: OpenApiOperation[] = [];

  constructor(
    private readonly app: FastifyInstance,
    private readonly accounts: AccountResolver,
    private readonly now: () => number,
    private readonly audit: DaemonAudit = () => undefined,
  ) {}

  /** An account route: `/api/accounts/:account<url>` and `/api<url>` (the default account). */
  add<B, Q, P>(spec: RouteSpec<B, Q, P>): this {
    this.describe(spec, `/api/accounts/:account${spec.url}`);
    this.describe(spec, `/api${spec.url}`);
    const handler = (req: FastifyRequest, reply: FastifyReply) => this.runAccount(spec, req, reply);
    this.app.route({ method: spec.method, url: `/api/accounts/:account${spec.url}`, handler });
    this.app.route({ method: spec.method, url: `/api${spec.url}`, handler });
    return this;
  }

  /** A daemon route at `/api<url>`, for any token that may use it; the handler scopes what it returns. */
  addDaemon<B, Q, P>(spec: DaemonRouteSpec<B, Q, P>): this {
    this.describe(spec, `/api${spec.url}`);
    this.app.route({ method: spec.method, url: `/api${spec.url}`, handler: (req, reply) => this.runDaemon(spec, req, reply) });
    return this;
  }

  private describe(spec: BaseSpec<unknown, unknown, unknown>, url: string): void {
    this.operations.push({
      method: spec.method,
      url,
      role: spec.role,
      summary: spec.summary,
      tag: spec.tag,
      body: spec.body ? jsonSchema(spec.body) : undefined,
      query: spec.query ? jsonSchema(spec.query) : undefined,
    });
  }

  private async runAccount<B, Q, P>(spec: RouteSpec<B, Q, P>, req: FastifyRequest, reply: FastifyReply): Promise<unknown> {
    const access = req.access!;
    const found = this.accounts.resolve(req, access);
    if ('refusal' in found) return reply.code(found.refusal.status).send({ error: found.refusal.error });
    const { account, surface, role } = found;
    if (!roleAllows(role, spec.role)) return forbidden(reply, spec.role, role);
    const input = parseInput(spec, req, true);
    if ('problems' in input) return reply.code(400).send({ error: 'invalid request', problems: input.problems });
    const record = async (outcome: 'ok' | 'failed', message: string) => {
      if (!spec.action) return;
      const params = input.params as { id?: string } | undefined;
      const subject = params?.id ?? (input.body as { wallet?: string } | undefined)?.wallet;
      await surface
        .recordAction({
          tsMs: this.now(),
          actor: access.principal,
          action: spec.action,
          subject,
          params: (input.body ?? undefined) as Record<string, unknown> | undefined,
          outcome,
          message,
        })
        .catch(() => undefined);
    };
    return this.respond(reply, record, () => spec.handler({ principal: access.principal, access, account, surface, role, ...input }));
  }

  private async runDaemon<B, Q, P>(spec: DaemonRouteSpec<B, Q, P>, req: FastifyRequest, reply: FastifyReply): Promise<unknown> {
    const access = req.access!;
    if (!roleAllows(access.principal.role, spec.role)) return forbidden(reply, spec.role, access.principal.role);
    if (spec.daemonAdmin && !access.daemonAdmin)
      return reply
        .code(403)
        .send({ error: 'forbidden: this needs a daemon admin (an operator admin token or an admin user’s admin token)' });
    const input = parseInput(spec, req, false);
    if ('problems' in input) return reply.code(400).send({ error: 'invalid request', problems: input.problems });
    const record = async (outcome: 'ok' | 'failed', message: string) => {
      if (!spec.action) return;
      const subject =
        (input.params as { name?: string; id?: string } | undefined)?.name ?? (input.params as { id?: string } | undefined)?.id;
      this.audit({ tsMs: this.now(), actor: access.principal, action: spec.action, subject, outcome, message });
    };
    return this.respond(reply, record, () => spec.handler({ principal: access.principal, access, ...input }));
  }

  private async respond(reply: FastifyReply, record: (outcome: 'ok' | 'failed', message: string) => Promise<void>, run: () => unknown) {
    try {
      const result = await run();
      await record('ok', 'done');
      return reply.code(200).send(result ?? { ok: true });
    } catch (error) {
      const message = redactedMessage(error);
      await record('failed', message);
      if (error instanceof SurfaceError) return reply.code(error.status).send({ error: message });
      if (error instanceof ConfigError) return reply.code(400).send({ error: message });
      return reply.code(500).send({ error: message });
    }
  }
}

function parseInput<B, Q, P>(
  spec: BaseSpec<B, Q, P>,
  req: FastifyRequest,
  accountRoute: boolean,
): { body: B; query: Q; params: P } | { problems: string[] } {
  const problems: string[] = [];
  const parse = <T>(schema: z.ZodType<T> | undefined, value: unknown, where: string): T => {
    if (!schema) return undefined as T;
    const r = schema.safeParse(value ?? {});
    if (r.success) return r.data;
    for (const i of r.error.issues) problems.push(`${[where, ...i.path.map(String)].join('.')}: ${i.message}`);
    return undefined as T;
  };
  // The account segment is the kit's, not the route's: route schemas stay strict about their own.
  const { account: _account, ...ownParams } = (req.params ?? {}) as Record<string, unknown>;
  const routeParams = accountRoute ? ownParams : req.params;
  const body = parse(spec.body, req.body, 'body');
  const query = parse(spec.query, req.query, 'query');
  const params = parse(spec.params, routeParams, 'path');
  return problems.length > 0 ? { problems } : { body, query, params };
}

export function forbidden(reply: FastifyReply, need: Role, have?: Role): FastifyReply {
  return reply.code(403).send({ error: `forbidden: this needs a ${need} token${have ? ` (yours is ${have})` : ''}` });
}

function jsonSchema(schema: z.ZodType): unknown {
  try {
    return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
  } catch {
    return {};
  }
}
