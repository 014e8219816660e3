/**
 * The daemon's control server: the REST API under /api, the WebSocket streams, /metrics, the OpenAPI
 * document and the web console (/console/), all behind tokens, on 127.0.0.1 unless told otherwise (with TLS).
 * Requests are size-limited and rate-limited per token. It serves every account of the daemon, each
 * caller only those their token reaches (auth/access.ts).
 */
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import websocket from '@fastify/websocket';
import type { AccountDirectory } from '../core/account-directory.ts';
import { ConfigError } from '../core/errors.ts';
import type { SessionSurface } from '../core/session-surface.ts';
import { accessOf } from './auth/access.ts';
import { daemonAuditPath, fileDaemonAudit } from './auth/daemon-audit.ts';
import type { TokenStore } from './auth/token-store.ts';
import { UserStore, usersFilePath } from './auth/user-store.ts';
import { checkBind } from './bind-policy.ts';
import { accountResolver, singleAccount } from './http/account-scope.ts';
import { TokenGate, authHook, unauthorized } from './http/auth-hook.ts';
import { isConsolePublic, registerConsoleRoutes } from './http/console-routes.ts';
import { registerControlRoutes } from './http/control-routes.ts';
import { registerEntryRoutes } from './http/entry-routes.ts';
import { registerRunRoutes } from './http/run-routes.ts';
import { queries as apiQueries } from './api/contract.ts';
import type { TelegramLinks } from './telegram/telegram-links.ts';
import { registerTelegramRoutes } from './http/telegram-routes.ts';
import { openApiDocument } from './http/openapi.ts';
import { registerReadRoutes } from './http/read-routes.ts';
import { RouteKit, forbidden } from './http/route-kit.ts';
import { StreamRoutes } from './http/stream-routes.ts';
import { registerUserRoutes } from './http/user-routes.ts';
import { roleAllows } from './auth/roles.ts';

/** Prometheus text of the given accounts (the ones the caller reaches). */
export interface MetricsSource {
  contentType: string;
  render(accountIds: readonly string[]): Promise<string>;
}

export interface ControlServerOptions {
  /** The daemon's accounts; or `surface` for a daemon with one account, `main`. */
  accounts?: AccountDirectory;
  surface?: SessionSurface;
  tokens: TokenStore;
  /** Default: users.json next to the token file. */
  users?: UserStore;
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
  metrics?: MetricsSource;
  now?: () => number;
  /** The stream's view interval (tests speed it up). */
  viewEveryMs?: number;
  /** Linking Telegram chats to users (a daemon with a bot; without one the routes are absent). */
  telegramLinks?: TelegramLinks;
  telegramBotName?: () => string | undefined;
  /** How often open streams notice a token revoked or a grant withdrawn by another process. Default 250 ms. */
  accessCheckEveryMs?: number;
}

export interface ControlServer {
  url: string;
  app: FastifyInstance;
  streams: StreamRoutes;
  close(): Promise<void>;
}

export async function startControlServer(o: ControlServerOptions): Promise<ControlServer> {
  const host = o.host ?? '127.0.0.1';
  const { tls } = checkBind({ host, allowRemote: o.allowRemote, tlsCert: o.tlsCert, tlsKey: o.tlsKey });
  const now = o.now ?? Date.now;
  const directory = o.accounts ?? (o.surface ? singleAccount(o.surface) : undefined);
  if (!directory) throw new Error('startControlServer needs accounts or a surface');
  const dataDir = dirname(o.tokens.path);
  const users = o.users ?? new UserStore(usersFilePath(dataDir));
  const accounts = accountResolver(directory);
  const app = Fastify({
    logger: false,
    forceCloseConnections: true,
    bodyLimit: o.bodyLimitBytes ?? 16 * 1024,
    ...(tls ? { https: { cert: readFileSync(o.tlsCert!), key: readFileSync(o.tlsKey!) } } : {}),
  }) as unknown as FastifyInstance;
  const gate = new TokenGate(o.tokens, now, o.authFailuresPerMinute);
  app.addHook('onRequest', authHook(gate, isConsolePublic));
  app.addHook('onRequest', async (req, reply) => {
    if (reply.sent || !req.principal) return;
    const access = accessOf(req.principal, users, directory);
    if (!access) {
      // A token of a user who was removed: as dead as a revoked one.
      await unauthorized(reply);
      if (req.headers.upgrade) req.raw.socket.destroy();
      return;
    }
    req.access = access;
  });
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
  const streams = new StreamRoutes({ accounts, tokens: o.tokens, users, viewEveryMs: o.viewEveryMs, checkEveryMs: o.accessCheckEveryMs });
  registerConsoleRoutes(app, { gate, tls: Boolean(tls) });
  const kit = new RouteKit(app, accounts, now);
  await app.register(async (scope) => {
    const scoped = new RouteKit(scope, accounts, now, fileDaemonAudit(daemonAuditPath(dataDir)));
    registerReadRoutes(scoped, now);
    registerControlRoutes(scoped);
    registerEntryRoutes(scoped);
    registerRunRoutes(scoped);
    scoped.add({
      method: 'GET',
      url: '/alerts',
      role: 'viewer',
      tag: 'session',
      summary: 'the account’s recent alerts (since the daemon started), newest first',
      query: apiQueries.limit,
      handler: ({ account, query }) => streams.hubOf(account.info.id)?.recentAlerts(query.limit) ?? [],
    });
    if (o.telegramLinks) registerTelegramRoutes(scoped, { links: o.telegramLinks, users, now, botName: o.telegramBotName });
    registerUserRoutes(scoped, { users, tokens: o.tokens, accounts, now, accessChanged: () => streams.revalidate() });
    streams.register(scope);
    scope.addHook('onResponse', async (req) => {
      if (req.method !== 'GET') streams.sendViews(); // every viewer sees a command's effect at once
    });
    kit.operations.push(...scoped.operations);
    scope.get('/api/openapi.json', async (req, reply) =>
      roleAllows(req.principal!.role, 'viewer') ? openApiDocument(kit.operations, version(directory)) : forbidden(reply, 'viewer'),
    );
    if (o.metrics) {
      const metrics = o.metrics;
      scope.get('/metrics', async (req, reply) => {
        const ids = accounts.visible(req.access!).map((v) => v.account.info.id);
        if (ids.length === 0) return reply.code(404).send({ error: 'no account for this token' });
        return reply.type(metrics.contentType).send(await metrics.render(ids));
      });
    }
  });
  app.setNotFoundHandler((_req, reply) => reply.code(404).send({ error: 'not found (GET /api/openapi.json lists the routes)' }));
  try {
    await app.listen({ host, port: o.port ?? 0 });
  } catch (error) {
    await app.close().catch(() => undefined);
    streams.close();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE')
      throw new ConfigError(`port ${o.port} on ${host} is in use (another served session?): pick another with --port (0 = any free one)`);
    throw error;
  }
  streams.start();
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : (o.port ?? 0);
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `${tls ? 'https' : 'http'}://${shownHost}:${port}`,
    app,
    streams,
    async close() {
      streams.close();
      await app.close();
    },
  };
}

function version(directory: AccountDirectory): string {
  return directory.list().find((a) => a.surface)?.surface?.info.version ?? '0';
}
