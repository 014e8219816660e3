/**
 * The daemon's control server: the REST API under /api, the WebSocket stream, /metrics and the
 * OpenAPI document, all behind bearer tokens, on 127.0.0.1 unless told otherwise (with TLS).
 * Requests are size-limited and rate-limited per token.
 */
import { readFileSync } from 'node:fs';
import Fastify, { type FastifyInstance } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import websocket from '@fastify/websocket';
import type { TokenStore } from './auth/token-store.ts';
import { ConfigError } from '../core/errors.ts';
import { checkBind } from './bind-policy.ts';
import { roleAllows } from './auth/roles.ts';
import { forbidden } from './http/route-kit.ts';
import { authHook } from './http/auth-hook.ts';
import { registerControlRoutes } from './http/control-routes.ts';
import { EventHub } from './http/event-stream.ts';
import { openApiDocument } from './http/openapi.ts';
import { registerReadRoutes } from './http/read-routes.ts';
import { RouteKit } from './http/route-kit.ts';
import type { SessionSurface } from '../core/session-surface.ts';

export interface ControlServerOptions {
  surface: SessionSurface;
  tokens: TokenStore;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (any free port). */
  port?: number;
  allowRemote?: boolean;
  tlsCert?: string;
  tlsKey?: string;
  /** Requests per minute per token. Default 600. */
  rateLimitPerMinute?: number;
  /** Failed token checks per client address per minute before unknown tokens are refused unchecked. Default 120. */
  authFailuresPerMinute?: number;
  /** Largest request body in bytes. Default 16 KiB. */
  bodyLimitBytes?: number;
  /** Prometheus text for /metrics. */
  metrics?: { contentType: string; render(): Promise<string> };
  now?: () => number;
  /** The stream's view interval (tests speed it up). */
  viewEveryMs?: number;
}

export interface ControlServer {
  url: string;
  app: FastifyInstance;
  hub: EventHub;
  close(): Promise<void>;
}

export async function startControlServer(o: ControlServerOptions): Promise<ControlServer> {
  const host = o.host ?? '127.0.0.1';
  const { tls } = checkBind({ host, allowRemote: o.allowRemote, tlsCert: o.tlsCert, tlsKey: o.tlsKey });
  const now = o.now ?? Date.now;
  const app = Fastify({
    logger: false,
    forceCloseConnections: true,
    bodyLimit: o.bodyLimitBytes ?? 16 * 1024,
    ...(tls ? { https: { cert: readFileSync(o.tlsCert!), key: readFileSync(o.tlsKey!) } } : {}),
  }) as unknown as FastifyInstance;
  app.addHook('onRequest', authHook(o.tokens, now, o.authFailuresPerMinute));
  await app.register(rateLimit, {
    global: true,
    max: o.rateLimitPerMinute ?? 600,
    timeWindow: 60_000,
    hook: 'preHandler', // after auth: the key is the token, not the address
    keyGenerator: (req) => req.principal?.id ?? req.ip,
  });
  await app.register(websocket, {
    options: {
      maxPayload: 64 * 1024,
      // Browsers pass the token as a subprotocol; the server answers with the plain `polytail` one.
      handleProtocols: (protocols) => (protocols.has('polytail') ? 'polytail' : false),
    },
  });
  const hub = new EventHub(o.surface, { viewEveryMs: o.viewEveryMs });
  o.surface.subscribe(hub);
  const kit = new RouteKit(app, o.surface, now);
  await app.register(async (scope) => {
    const scoped = new RouteKit(scope, o.surface, now);
    registerReadRoutes(scoped, o.surface, now);
    registerControlRoutes(scoped, o.surface);
    hub.register(scope);
    scope.addHook('onResponse', async (req) => {
      if (req.method !== 'GET') hub.sendView(); // every viewer sees a command's effect at once
    });
    kit.operations.push(...scoped.operations);
    scope.get('/api/openapi.json', async (req, reply) =>
      roleAllows(req.principal!.role, 'viewer') ? openApiDocument(kit.operations, o.surface.info.version) : forbidden(reply, 'viewer'),
    );
    if (o.metrics) {
      const metrics = o.metrics;
      scope.get('/metrics', async (_req, reply) => reply.type(metrics.contentType).send(await metrics.render()));
    }
  });
  app.setNotFoundHandler((_req, reply) => reply.code(404).send({ error: 'not found (GET /api/openapi.json lists the routes)' }));
  try {
    await app.listen({ host, port: o.port ?? 0 });
  } catch (error) {
    await app.close().catch(() => undefined);
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE')
      throw new ConfigError(`port ${o.port} on ${host} is in use (another served session?): pick another with --port (0 = any free one)`);
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : (o.port ?? 0);
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `${tls ? 'https' : 'http'}://${shownHost}:${port}`,
    app,
    hub,
    async close() {
      hub.close();
      await app.close();
    },
  };
}
