/**
 * One way to declare an API route: method, path, the role it needs, zod schemas for its input and a
 * handler. The kit checks the role (403, nothing done), validates (400 with the problems), maps
 * refusals to status codes, records every state-changing call in the session's audit table, and
 * describes the route in the served OpenAPI document.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ConfigError } from '../../core/errors.ts';
import { redactedMessage } from '../../core/redact.ts';
import { roleAllows, type Principal, type Role } from '../auth/roles.ts';
import { SurfaceError, type SessionSurface } from '../../core/session-surface.ts';

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface RouteContext<B, Q, P> {
  principal: Principal;
  body: B;
  query: Q;
  params: P;
}

export interface RouteSpec<B = unknown, Q = unknown, P = unknown> {
  method: Method;
  url: string;
  role: Role;
  summary: string;
  tag: string;
  body?: z.ZodType<B>;
  query?: z.ZodType<Q>;
  params?: z.ZodType<P>;
  /** Set for state-changing routes: the name recorded in the audit table. */
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

export class RouteKit {
  readonly operations: OpenApiOperation[] = [];

  constructor(
    private readonly app: FastifyInstance,
    private readonly surface: SessionSurface,
    private readonly now: () => number,
  ) {}

  add<B, Q, P>(spec: RouteSpec<B, Q, P>): this {
    this.operations.push({
      method: spec.method,
      url: spec.url,
      role: spec.role,
      summary: spec.summary,
      tag: spec.tag,
      body: spec.body ? jsonSchema(spec.body) : undefined,
      query: spec.query ? jsonSchema(spec.query) : undefined,
    });
    this.app.route({ method: spec.method, url: spec.url, handler: (req, reply) => this.run(spec, req, reply) });
    return this;
  }

  private async run<B, Q, P>(spec: RouteSpec<B, Q, P>, req: FastifyRequest, reply: FastifyReply): Promise<unknown> {
    const principal = req.principal!;
    if (!roleAllows(principal.role, spec.role)) return forbidden(reply, spec.role, principal.role);
    const problems: string[] = [];
    const parse = <T>(schema: z.ZodType<T> | undefined, value: unknown, where: string): T => {
      if (!schema) return undefined as T;
      const r = schema.safeParse(value ?? {});
      if (r.success) return r.data;
      for (const i of r.error.issues) problems.push(`${[where, ...i.path.map(String)].join('.')}: ${i.message}`);
      return undefined as T;
    };
    const body = parse(spec.body, req.body, 'body');
    const query = parse(spec.query, req.query, 'query');
    const params = parse(spec.params, req.params, 'path');
    if (problems.length > 0) return reply.code(400).send({ error: 'invalid request', problems });
    const record = async (outcome: 'ok' | 'failed', message: string) => {
      if (!spec.action) return;
      const subject = (params as { id?: string } | undefined)?.id ?? (body as { wallet?: string } | undefined)?.wallet;
      await this.surface
        .recordAction({
          tsMs: this.now(),
          actor: principal,
          action: spec.action,
          subject,
          params: (body ?? undefined) as Record<string, unknown> | undefined,
          outcome,
          message,
        })
        .catch(() => undefined);
    };
    try {
      const result = await spec.handler({ principal, body, query, params });
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
